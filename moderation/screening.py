"""Automatic rules: screening new text before it is published, and hiding
content (any kind in moderation.content) pending review once enough
residents report it.

Settings (read when used):
- ``MODERATION_AUTO_HIDE_REPORTS`` (default 3): distinct residents'
  open reports that take a visible comment out of view.
- ``MODERATION_NEW_ACCOUNT_DAYS`` (default 7): links from accounts younger
  than this are held for review.

"Hidden pending review" is the ``pending`` status: the comment leaves the
public pages at once, as pre-moderated comments do, its author still sees
it with the reason, and it waits in the queue with its reports. The audit
log records it as an automatic ``auto_hide``.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import Comment
from consultations.services.errors import ValidationError
from moderation import audit, content, textscan, visibility
from moderation.models import Flag, ModerationAction, WordFilter

RULES_CACHE_KEY = "moderation:word-filters"
# The cache may be per process (locmem): an administrator's change reaches
# every process within this many seconds.
RULES_CACHE_SECONDS = 60


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def filter_rules() -> list[textscan.Rule]:
    rules = cache.get(RULES_CACHE_KEY)
    if rules is None:
        rules = [
            textscan.Rule(f.pattern, f.is_regex, f.action)
            for f in WordFilter.objects.order_by("pk")
        ]
        cache.set(RULES_CACHE_KEY, rules, RULES_CACHE_SECONDS)
    return rules


def filters_forget() -> None:
    """Drop the cached filters after an administrator changes them."""
    transaction.on_commit(lambda: cache.delete(RULES_CACHE_KEY))


PERSONAL_INFO = {
    "phone": gettext_lazy("a mobile phone number"),
    "id_card": gettext_lazy("an ID-card number"),
    "email": gettext_lazy("an email address"),
}


def text_screen(*, user, text: str) -> str:
    """Refuse ``text`` if it has a blocked word (ValidationError on
    "body"); otherwise why it must be held for review ("" if not)."""
    matched = textscan.match_words(text, filter_rules())
    if matched and matched[0] == "block":
        raise ValidationError(
            {
                "body": _(
                    "Your text contains words that are not allowed here (%(words)s)."
                    " Please rephrase it."
                )
                % {"words": matched[1]}
            }
        )
    reasons = []
    if matched:
        reasons.append(_("words that moderators check first"))
    reasons += [str(PERSONAL_INFO[kind]) for kind in textscan.personal_info(text)]
    joined = user.date_joined or timezone.now()
    young = timezone.now() - joined < timedelta(
        days=_setting("MODERATION_NEW_ACCOUNT_DAYS", 7)
    )
    if young and textscan.has_link(text):
        reasons.append(_("a link (links from new accounts are checked first)"))
    if not reasons:
        return ""
    return _("Held for review before publication: it seems to contain %(what)s.") % {
        "what": _(", ").join(reasons)
    }


def content_held(*, item, reason: str) -> None:
    """Record that the filters held a new item (any kind)."""
    audit.action_record(
        kind=ModerationAction.Kind.HOLD, actor=None, target=item, reason=reason
    )


def comment_held(*, comment: Comment, reason: str) -> None:
    content_held(item=comment, reason=reason)


def content_reported(*, item) -> bool:
    """Hide a visible item (any kind) pending review once enough distinct
    residents have reported it; return whether it was hidden now. Runs
    inside the report's transaction."""
    threshold = _setting("MODERATION_AUTO_HIDE_REPORTS", 3)
    reports = Flag.objects.filter(
        content_type=content.kind_of(item).content_type,
        object_id=item.pk,
        resolved_at__isnull=True,
    ).count()
    if reports < threshold:
        return False
    item = content.locked(item)
    if item.status != content.VISIBLE:
        return False
    snapshot = content.snapshot(item)
    visibility.status_set(
        item=item,
        status=content.PENDING,
        reason=_("Hidden pending review after reports from several residents."),
    )
    audit.action_record(
        kind=ModerationAction.Kind.AUTO_HIDE,
        actor=None,
        target=item,
        reason=_("%(n)d reports from distinct residents.") % {"n": reports},
        snapshot=snapshot,
    )
    return True


def comment_reported(*, comment: Comment) -> bool:
    return content_reported(item=comment)
