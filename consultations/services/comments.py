"""Comments: post, edit, delete, support, report and official replies.

A submission stores exactly one comment however often it arrives: each
form render carries an idempotency key, unique in the database.
"""

import uuid

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from civic.models import Area
from consultations import search, selectors
from consultations.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    Consultation,
    Section,
    Support,
)
from consultations.services.errors import PermissionDenied, ValidationError, require
from moderation import reports, screening
from moderation import selectors as moderation_selectors
from moderation.models import Flag
from notifications import services as notification_services
from notifications.models import Notification

# The district or county that contains an area (or is it), found by the
# database inside the INSERT of a comment: no round trip of its own.
_DISTRICT_SQL = (
    "(SELECT d.id FROM {area} d JOIN {area} a ON starts_with(a.path, d.path) "
    "WHERE a.id = %s AND d.level = %s ORDER BY d.id LIMIT 1)"
)


def _clean_body(body: str) -> str:
    # PostgreSQL text cannot hold NUL; it is never meant in a comment.
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError({"body": _("Please write your comment.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "A comment can be at most %(max)d characters; yours has %(n)d."
                )
                % {"max": COMMENT_MAX_LENGTH, "n": len(body)}
            }
        )
    return body


def _refuse_if_cannot_comment(user: User, consultation: Consultation) -> None:
    if user.has_perm("consultations.add_comment", consultation):
        return
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to take part."))
    if consultation.status != Consultation.Status.OPEN:
        raise PermissionDenied(_("This consultation is not open for comments."))
    # The permission's own look-up, kept on the user: no second query.
    sanction = moderation_selectors.participant_standing(user=user).sanction
    if sanction is not None:
        if sanction.ends_at:
            raise PermissionDenied(
                _("Your account cannot post until %(date)s: %(reason)s")
                % {
                    "date": timezone.localtime(sanction.ends_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "reason": sanction.reason,
                }
            )
        raise PermissionDenied(
            _("Your account is suspended: %(reason)s") % {"reason": sanction.reason}
        )
    raise PermissionDenied(_("Please verify your email address before commenting."))


class KeyTaken(ValidationError):
    """The form's idempotency key already stored someone else's comment."""


# Columns a new comment's INSERT takes from the instance; its district and
# search vector are computed in the statement itself.
_COMPUTED = ("id", "author_district", "search_vector")


def _insert_once(comment: Comment) -> tuple[Comment, bool]:
    """Insert ``comment`` unless its idempotency key was stored already.

    One statement, ``INSERT … ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id``, that also finds the author's district and builds the
    search vector: a double click waits for the first insert to commit,
    then finds its row. The unique constraint stays the guarantee; this
    only spares the savepoint, the lookups and the re-read of a normal post.
    """
    fields = [f for f in Comment._meta.concrete_fields if f.name not in _COMPUTED]
    values = [f.get_db_prep_save(f.pre_save(comment, True), connection) for f in fields]
    table = Comment._meta.db_table
    district = _DISTRICT_SQL.format(area=Area._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {table} ({columns}, author_district_id, search_vector) "  # noqa: S608 - names from _meta
        f"VALUES ({placeholders}, {district}, "
        "setweight(to_tsvector('simple'::regconfig, %s), 'B')) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, author_district_id"
    )
    tokens = " ".join(search.tokens(comment.body))
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*values, comment.author_area_id, Area.Level.DISTRICT, tokens]
        )
        row = cursor.fetchone()
    if row is not None:
        comment.pk, comment.author_district_id = row
        comment._state.adding = False
        comment._state.db = connection.alias
        return comment, True
    existing = Comment.objects.filter(idempotency_key=comment.idempotency_key).first()
    if existing is None:
        # Stored and deleted again in between: nothing to return.
        raise ValidationError(_("This form was already used. Please reload the page."))
    if existing.author_id != comment.author_id:
        raise KeyTaken(
            _("This form was already used. Please reload the page and try again.")
        )
    return existing, False


def _counts_changed(consultation_id: int) -> None:
    """The public pages' cached comment counts and content are out of date
    once this transaction commits."""
    transaction.on_commit(
        lambda: selectors.comment_counts_forget(consultation_id=consultation_id)
    )


# A new comment's related rows were just read from the database and the
# database enforces the foreign keys, the key's uniqueness and the check
# constraint, so full_clean checks the fields themselves only (a query per
# foreign key and per constraint otherwise, on the busiest write path).
_FAST_CLEAN = {
    "exclude": [
        "idempotency_key",
        "consultation",
        "section",
        "parent",
        "author",
        "author_area",
        "author_district",
        "official_department",
    ],
    "validate_constraints": False,
}


def _index(comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        search_vector=search.document_vector((comment.body, "B"))
    )


@transaction.atomic
def comment_post(
    *,
    user: User,
    consultation: Consultation,
    body: str,
    idempotency_key: uuid.UUID,
    stance: str = "",
    section: Section | None = None,
) -> tuple[Comment, bool]:
    """Post a top-level comment; return it and whether it is new."""
    _refuse_if_cannot_comment(user, consultation)
    body = _clean_body(body)
    held = screening.text_screen(user=user, text=body)
    if section is not None and section.consultation_id != consultation.pk:
        raise ValidationError(
            {"section": _("This section belongs to another consultation.")}
        )
    if section is not None and not section.is_commentable:
        raise ValidationError(
            {"section": _("Comment on an article, not on a chapter title.")}
        )
    if stance and stance not in Comment.Stance.values:
        raise ValidationError(
            {"stance": _("Choose whether you support, oppose, suggest or ask.")}
        )
    comment = Comment(
        consultation=consultation,
        section=section,
        author=user,
        author_area_id=user.home_area_id,
        body=body,
        stance=stance,
        status=(
            Comment.Status.PENDING
            if consultation.moderation == Consultation.Moderation.PRE or held
            else Comment.Status.VISIBLE
        ),
        hidden_reason=held,
        idempotency_key=idempotency_key,
    )
    comment.full_clean(**_FAST_CLEAN)
    comment, created = _insert_once(comment)
    if created:
        _counts_changed(consultation.pk)
        if held:
            screening.comment_held(comment=comment, reason=held)
        notification_services.follow_ensure(user=user, consultation=consultation)
    return comment, created


@transaction.atomic
def comment_reply(
    *,
    user: User,
    parent: Comment,
    body: str,
    idempotency_key: uuid.UUID,
    official: bool = False,
) -> tuple[Comment, bool]:
    """Reply to a top-level comment (one level); officials may reply
    officially, badged with their department."""
    consultation = parent.consultation
    if parent.parent_id is not None:
        raise ValidationError(_("Replies can only be made to a top-level comment."))
    if parent.status != Comment.Status.VISIBLE:
        raise ValidationError(_("This comment cannot be replied to."))
    if official:
        require(
            user,
            "consultations.reply_officially",
            parent,
            _("Only officials of the department can reply officially."),
        )
    else:
        _refuse_if_cannot_comment(user, consultation)
    body = _clean_body(body)
    held = "" if official else screening.text_screen(user=user, text=body)
    reply = Comment(
        consultation=consultation,
        section=parent.section,
        parent=parent,
        author=user,
        author_area_id=user.home_area_id,
        official_department=consultation.department if official else None,
        body=body,
        status=(
            Comment.Status.PENDING
            if held
            or (consultation.moderation == Consultation.Moderation.PRE and not official)
            else Comment.Status.VISIBLE
        ),
        hidden_reason=held,
        idempotency_key=idempotency_key,
    )
    reply.full_clean(**_FAST_CLEAN)
    reply, created = _insert_once(reply)
    if created:
        _counts_changed(consultation.pk)
        if held:
            screening.comment_held(comment=reply, reason=held)
        if reply.status == Comment.Status.VISIBLE:
            Comment.objects.filter(pk=parent.pk).update(
                reply_count=F("reply_count") + 1
            )
        # A reply awaiting moderation is not news yet: approval announces it.
        if reply.status == Comment.Status.VISIBLE:
            reply_announce(reply=reply)
    return reply, created


def reply_announce(*, reply: Comment) -> None:
    """Tell the parent comment's author about a visible reply (once)."""
    parent = reply.parent
    if not parent.author_id or parent.author_id == reply.author_id:
        return
    notification_services.notify(
        users=[parent.author],
        kind=Notification.Kind.OFFICIAL_REPLY
        if reply.is_official
        else Notification.Kind.REPLY,
        key=f"reply:{reply.pk}",
        url=reply.get_absolute_url(),
        consultation=reply.consultation,
        comment=reply,
    )


@transaction.atomic
def comment_edit(*, user: User, comment: Comment, body: str) -> Comment:
    require(
        user,
        "consultations.change_comment",
        comment,
        _("Comments can only be edited by their author within 15 minutes."),
    )
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    fields = ["body", "edited_at"]
    # Under pre-moderation an edit is new text: it waits for approval again,
    # or approved comments could be rewritten into anything.
    if (
        comment.status == Comment.Status.VISIBLE
        and comment.consultation.moderation == Consultation.Moderation.PRE
        and not comment.is_official
    ):
        comment.status = Comment.Status.PENDING
        fields.append("status")
        if comment.parent_id:
            Comment.objects.filter(pk=comment.parent_id, reply_count__gt=0).update(
                reply_count=F("reply_count") - 1
            )
    comment.full_clean()
    comment.save(update_fields=fields)
    _index(comment)
    _counts_changed(comment.consultation_id)
    return comment


@transaction.atomic
def comment_delete(*, user: User, comment: Comment) -> bool:
    """Delete one's own comment. One with replies leaves a placeholder;
    return whether the row itself was deleted."""
    require(
        user,
        "consultations.delete_comment",
        comment,
        _("You can only delete your own comments."),
    )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _counts_changed(comment.consultation_id)
    if comment.parent_id and comment.status == Comment.Status.VISIBLE:
        Comment.objects.filter(pk=comment.parent_id, reply_count__gt=0).update(
            reply_count=F("reply_count") - 1
        )
    if comment.replies.exists():
        comment.status = Comment.Status.REMOVED
        comment.body = ""
        comment.save(update_fields=["status", "body"])
        Comment.objects.filter(pk=comment.pk).update(search_vector=None)
        return False
    comment.delete()
    # A placeholder kept only for its replies goes with the last of them.
    if comment.parent_id:
        Comment.objects.filter(
            pk=comment.parent_id, status=Comment.Status.REMOVED
        ).exclude(replies__isnull=False).delete()
    return True


@transaction.atomic
def support_toggle(*, user: User, comment: Comment) -> bool:
    """Support or withdraw support; return whether the user now supports."""
    if not user.has_perm("consultations.support_comment", comment):
        if comment.author_id == user.pk:
            raise PermissionDenied(_("You cannot support your own comment."))
        _refuse_if_cannot_comment(user, comment.consultation)
    _counts_changed(comment.consultation_id)
    # One person's toggles run one at a time (a double click sends two), so
    # "delete, else insert" never races with itself.
    User.objects.select_for_update().only("pk").get(pk=user.pk)
    deleted, _unused = Support.objects.filter(user=user, comment=comment).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(
            support_count=F("support_count") - 1
        )
        return False
    if comment.status != Comment.Status.VISIBLE:
        raise ValidationError(_("Only a published comment can be supported."))
    _support, created = Support.objects.get_or_create(user=user, comment=comment)
    if created:
        Comment.objects.filter(pk=comment.pk).update(
            support_count=F("support_count") + 1
        )
    return True


@transaction.atomic
def comment_report(
    *, user: User, comment: Comment, reason: str, text: str = ""
) -> Flag:
    """Send a comment to moderation; one report per person per comment."""
    require(
        user,
        "consultations.report_comment",
        comment,
        _("You cannot report your own comment."),
    )
    return reports.content_report(user=user, item=comment, reason=reason, text=text)
