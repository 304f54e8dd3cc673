"""A page of comments put together from cached pieces.

Rendering every comment through the template for each reader cost more
than the rest of a signed-in page (20 comments and their replies, each with
a support form and a reply box). A comment's head, everything up to its
actions, is the same for every reader, so it is rendered once and cached
under a digest of what it shows (status, text, stance, edit time, author's
name, outcome item, section): an edit, a hiding, an approval or a deletion
gives it a new key, so nothing has to be forgotten by hand, and a change
nothing here sees (an author renaming themselves) shows within
``HEAD_SECONDS``. The reader's part (the support button or count, the
reply count, edit, delete and report links, the reply box) is put around
the heads on each request, from pieces rendered once per page with
placeholders.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from consultations.models import Comment

HEAD_SECONDS = 300
PK, COUNT, PRESSED, KEY = "__pk__", "__count__", "__pressed__", "__key__"
VISIBLE, HIDDEN = Comment.Status.VISIBLE, Comment.Status.HIDDEN


def _head_key(comment: Comment, flags: str, language: str) -> str:
    author = comment.author.display_name if comment.author_id else ""
    shown = "\x1f".join(
        str(value)
        for value in (
            comment.status,
            comment.body,
            comment.hidden_reason,
            comment.stance,
            comment.edited_at,
            comment.outcome_item_id,
            comment.section_id,
            comment.official_department_id,
            author,
        )
    )
    digest = hashlib.blake2b(shown.encode(), digest_size=12).hexdigest()
    return f"consultations:comment-head:{comment.pk}:{digest}:{flags}:{language}"


def _heads(comments: list[Comment], context: dict, viewer_id) -> dict[int, str]:
    """Each comment's head by id, from the cache or rendered (and cached)."""
    template = get_template("consultations/_comment_head.html")
    outcome = bool(context["consultation"].outcome_published_at)
    show_section = bool(context.get("show_section"))
    flags = f"{int(outcome)}{int(show_section)}"
    base = {"base": context["base"], "outcome_published": outcome}
    base["show_section"] = show_section
    heads, wanted = {}, {}
    language = get_language()
    for comment in comments:
        if comment.status == HIDDEN and viewer_id and comment.author_id == viewer_id:
            # Its author also sees what they wrote: rendered for them only.
            heads[comment.pk] = template.render(
                {**base, "comment": comment, "own": True}
            )
        else:
            wanted[_head_key(comment, flags, language)] = comment
    cached = cache.get_many(list(wanted))
    fresh = {}
    for key, comment in wanted.items():
        head = cached.get(key)
        if head is None:
            head = fresh[key] = template.render({**base, "comment": comment})
        heads[comment.pk] = head
    if fresh:
        cache.set_many(fresh, HEAD_SECONDS)
    return heads


def _pieces(request, context: dict) -> dict:
    """The support form and reply box of this page, with placeholders for
    each comment's id, count, state and key."""
    pieces = {}
    token = get_token(request)
    if context.get("can_support"):
        pieces["support"] = get_template("consultations/_comment_support.html").render(
            {
                "base": context["base"],
                "pk": PK,
                "count": COUNT,
                "pressed": PRESSED,
                "next": request.get_full_path(),
                "csrf_token": token,
            }
        )
    if context.get("can_reply") and not context.get("thread_page"):
        pieces["reply"] = get_template("consultations/_reply_box.html").render(
            {
                "base": context["base"],
                "comment": {"pk": PK},
                "idempotency_key": KEY,
                "can_reply_officially": context.get("can_reply_officially"),
                "consultation": context["consultation"],
                "csrf_token": token,
            }
        )
    return pieces


class _Words:
    """The actions' words in the active language, translated once a page
    (a count's plural once per count)."""

    def __init__(self, base: str):
        self.base = escape(base)
        self.links = {
            action: escape(label)
            for action, label in (
                ("edit", gettext("Edit")),
                ("delete", gettext("Delete")),
                ("report", gettext("Report")),
            )
        }
        self.link = escape(gettext("Link"))
        self._counted = {}

    def counted(self, singular: str, plural: str, n: int) -> str:
        key = (singular, n)
        if key not in self._counted:
            self._counted[key] = escape(ngettext(singular, plural, n) % {"counter": n})
        return self._counted[key]


def _actions(comment: Comment, context: dict, pieces: dict, viewer_id, words) -> str:
    base, pk = words.base, comment.pk
    parts = ['\n  <div class="comment-actions no-print">\n']
    if comment.status == VISIBLE:
        if "support" in pieces and comment.author_id != viewer_id:
            parts.append(
                pieces["support"]
                .replace(PK, str(pk))
                .replace(COUNT, str(comment.support_count))
                .replace(PRESSED, "true" if comment.supported_by_viewer else "false")
            )
        else:
            count = words.counted(
                "%(counter)s support", "%(counter)s supports", comment.support_count
            )
            parts.append(f'<span class="support-count">{count}</span>')
    if comment.parent_id is None and not context.get("thread_page"):
        n = len(comment.replies.all())
        label = (
            words.counted("%(counter)s reply", "%(counter)s replies", n)
            if n
            else words.link
        )
        parts.append(f'<a href="{base}comments/{pk}/">{label}</a>')
    shown = {
        "edit": comment.can_edit,
        "delete": comment.can_delete,
        "report": comment.status == VISIBLE and comment.author_id != viewer_id,
    }
    for action, label in words.links.items():
        if shown[action]:
            parts.append(f'<a href="{base}comments/{pk}/{action}/">{label}</a>')
    parts.append("\n  </div>\n")
    return "".join(parts)


def render_comments(request, comments: list[Comment], context: dict) -> None:
    """Set ``html`` on each top-level comment of ``comments``: the comment,
    its actions for ``request.user``, its replies and its reply box.

    ``context`` is the page's (``participation`` and ``consultation``, with
    ``show_section`` and ``thread_page`` as the page wants them); each
    comment and reply carries ``can_edit``, ``can_delete`` and
    ``supported_by_viewer`` (see ``views.public.mark_comment_permissions``).
    """
    viewer_id = request.user.pk if request.user.is_authenticated else None
    everything = [c for top in comments for c in (top, *top.replies.all())]
    heads = _heads(everything, context, viewer_id)
    pieces = _pieces(request, context)
    replies_label = escape(gettext("Replies"))
    words = _Words(context["base"])
    for comment in comments:
        parts = [
            heads[comment.pk],
            _actions(comment, context, pieces, viewer_id, words),
        ]
        replies = comment.replies.all()
        if replies:
            parts.append(
                f'  <ol class="reply-list" aria-label="{replies_label}">\n        '
            )
            for reply in replies:
                parts += [
                    "<li>",
                    heads[reply.pk],
                    _actions(reply, context, pieces, viewer_id, words),
                    "</article>\n</li>",
                ]
            parts.append("\n      </ol>\n")
        if "reply" in pieces and comment.status == VISIBLE:
            parts.append(
                pieces["reply"]
                .replace(PK, str(comment.pk))
                .replace(KEY, str(uuid.uuid4()))
            )
        parts.append("</article>\n")
        comment.html = SafeString("".join(parts))
