"""Written testimony: submitted with an optional PDF before the deadline,
then moderated like comments (pre-moderated consultations hold it for a
moderator; the others publish it at once)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config import uploads
from consultations.models import Consultation
from consultations.services.errors import PermissionDenied, ValidationError, require
from hearings.models import TEXT_MAX_LENGTH, Hearing, LiveQuestion, Testimony
from moderation import audit, screening
from moderation import content as moderation_content
from moderation import selectors as moderation_selectors

Status = LiveQuestion.Status
PDF_MAX_BYTES = 10 * 1024 * 1024


def _refuse_if_cannot_testify(user: User, hearing: Hearing) -> None:
    if user.has_perm("hearings.add_testimony", hearing):
        return
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to submit testimony."))
    if timezone.now() > hearing.testimony_deadline:
        raise PermissionDenied(_("The deadline for written testimony has passed."))
    if hearing.status == Hearing.State.RECORD_PUBLISHED:
        raise PermissionDenied(_("The record of this hearing is published."))
    sanction = moderation_selectors.active_sanction(user=user)
    if sanction is not None:
        raise PermissionDenied(
            _("Your account cannot take part: %(reason)s") % {"reason": sanction.reason}
        )
    raise PermissionDenied(_("Please verify your email address first."))


def check_pdf(upload) -> None:
    """A PDF by its content and size, whatever its name says."""
    uploads.check_pdf(upload, max_bytes=PDF_MAX_BYTES)


@transaction.atomic
def testimony_submit(
    *, user: User, hearing: Hearing, body: str, upload=None
) -> Testimony:
    _refuse_if_cannot_testify(user, hearing)
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError({"body": _("Please write your testimony.")})
    if len(body) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("Testimony can be at most %(max)d characters.")
                % {"max": TEXT_MAX_LENGTH}
            }
        )
    held = screening.text_screen(user=user, text=body)
    if upload is not None:
        check_pdf(upload)
    pre = hearing.consultation.moderation == Consultation.Moderation.PRE
    testimony = Testimony(
        hearing=hearing,
        author=user,
        author_area=user.home_area,
        body=body,
        status=Status.PENDING if pre or held else Status.VISIBLE,
        hidden_reason=held,
    )
    testimony.full_clean(exclude=["file"])
    if upload is not None:
        testimony.file.save("testimony.pdf", upload, save=False)
    testimony.save()
    if held:
        screening.content_held(item=testimony, reason=held)
    return testimony


def _moderate(user: User, testimony: Testimony) -> Testimony:
    require(
        user,
        "hearings.moderate_hearing",
        testimony.hearing,
        _("You do not moderate this hearing."),
    )
    return Testimony.objects.select_for_update().get(pk=testimony.pk)


@transaction.atomic
def testimony_approve(*, moderator: User, testimony: Testimony) -> Testimony:
    testimony = _moderate(moderator, testimony)
    snapshot = moderation_content.snapshot(testimony)
    testimony.status = Status.VISIBLE
    testimony.hidden_reason = ""
    testimony.save(update_fields=["status", "hidden_reason"])
    audit.action_record(
        kind="approve", actor=moderator, target=testimony, snapshot=snapshot
    )
    return testimony


@transaction.atomic
def testimony_hide(*, moderator: User, testimony: Testimony, reason: str) -> Testimony:
    testimony = _moderate(moderator, testimony)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a public reason for hiding it.")})
    snapshot = moderation_content.snapshot(testimony)
    testimony.status = Status.HIDDEN
    testimony.hidden_reason = reason[:300]
    testimony.save(update_fields=["status", "hidden_reason"])
    audit.action_record(
        kind="hide",
        actor=moderator,
        target=testimony,
        reason=testimony.hidden_reason,
        snapshot=snapshot,
    )
    return testimony
