"""Who may do what with consultations: the whole picture in one file.

Predicates take (user, consultation) or (user, comment). Services re-check
the same permissions before writing.
"""

from datetime import timedelta

import rules
from django.utils import timezone

from consultations.models import Comment, Consultation
from moderation import selectors as moderation_selectors

Status = Consultation.Status
EDIT_WINDOW = timedelta(minutes=15)


@rules.predicate
def is_department_official(user, consultation) -> bool:
    if not user.is_authenticated or consultation is None:
        return False
    return user.memberships.filter(department_id=consultation.department_id).exists()


@rules.predicate
def is_published(user, consultation) -> bool:
    return consultation is not None and consultation.published_at is not None


@rules.predicate
def is_editable(user, consultation) -> bool:
    return consultation.status in {Status.DRAFT, Status.SCHEDULED}


@rules.predicate
def is_open(user, consultation) -> bool:
    return consultation.status == Status.OPEN


@rules.predicate
def is_closed(user, consultation) -> bool:
    return consultation.status == Status.CLOSED


@rules.predicate
def is_responded(user, consultation) -> bool:
    return consultation.status == Status.RESPONDED


@rules.predicate
def not_archived(user, consultation) -> bool:
    return consultation.status != Status.ARCHIVED


# Both read one look-up, kept on the user for the request
# (moderation.selectors.participant_standing).
@rules.predicate
def has_verified_email(user) -> bool:
    return moderation_selectors.participant_standing(user=user).verified


@rules.predicate
def is_not_sanctioned(user) -> bool:
    return moderation_selectors.participant_standing(user=user).sanction is None


@rules.predicate
def is_comment_author(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def comment_consultation_open(user, comment: Comment) -> bool:
    return comment.consultation.status == Status.OPEN


@rules.predicate
def is_visible_comment(user, comment: Comment) -> bool:
    return comment.status == Comment.Status.VISIBLE


@rules.predicate
def is_live_comment(user, comment: Comment) -> bool:
    """Visible or awaiting moderation: not hidden, not a placeholder."""
    return comment.status in {Comment.Status.VISIBLE, Comment.Status.PENDING}


@rules.predicate
def comment_consultation_not_archived(user, comment: Comment) -> bool:
    return comment.consultation.status != Status.ARCHIVED


@rules.predicate
def within_edit_window(user, comment: Comment) -> bool:
    return timezone.now() - comment.created_at <= EDIT_WINDOW


@rules.predicate
def comment_department_official(user, comment: Comment) -> bool:
    return is_department_official(user, comment.consultation)


@rules.predicate
def is_official(user) -> bool:
    return user.is_authenticated and user.memberships.exists()


may_participate = rules.is_authenticated & has_verified_email & is_not_sanctioned

rules.add_perm("consultations.view_consultation", is_published | is_department_official)
rules.add_perm("consultations.add_consultation", is_official)
rules.add_perm(
    "consultations.change_consultation", is_department_official & is_editable
)
rules.add_perm("consultations.extend_consultation", is_department_official & is_open)
rules.add_perm(
    "consultations.archive_consultation", is_department_official & is_responded
)
rules.add_perm("consultations.manage_consultation", is_department_official)
rules.add_perm("consultations.view_figures", is_department_official)
rules.add_perm("consultations.export_comments", is_department_official)
rules.add_perm(
    "consultations.write_outcome", is_department_official & (is_closed | is_open)
)
rules.add_perm("consultations.publish_outcome", is_department_official & is_closed)
rules.add_perm("consultations.add_comment", may_participate & is_open)
rules.add_perm(
    "consultations.reply_officially",
    comment_department_official & comment_consultation_not_archived,
)
rules.add_perm(
    "consultations.change_comment",
    is_comment_author
    & is_live_comment
    & within_edit_window
    & comment_consultation_open
    & is_not_sanctioned,
)
rules.add_perm("consultations.delete_comment", is_comment_author)
rules.add_perm(
    "consultations.support_comment",
    may_participate
    & comment_consultation_open
    & is_visible_comment
    & ~is_comment_author,
)
rules.add_perm(
    "consultations.report_comment", rules.is_authenticated & ~is_comment_author
)
rules.add_perm(
    "consultations.follow_consultation", rules.is_authenticated & is_published
)
