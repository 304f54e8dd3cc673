"""Registration: places, the waiting list and speakers.

Every change to who holds a place locks the hearing's row first (SELECT …
FOR UPDATE), so concurrent registrations queue up behind each other and
the count of places can never pass the capacity; a check constraint on
``registered_count`` backs that up in the database.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.services.errors import PermissionDenied, ValidationError, require
from hearings import rules as hearing_rules
from hearings.models import Hearing, Registration
from hearings.services import notices
from moderation import selectors as moderation_selectors
from notifications.models import Notification

Status = Registration.Status
Speaker = Registration.Speaker
TOPIC_MAX_LENGTH = 300


def _locked(hearing: Hearing) -> Hearing:
    return (
        Hearing.objects.select_related("consultation")
        .select_for_update(of=("self",))
        .get(pk=hearing.pk)
    )


def refuse_if_cannot_register(user: User, hearing: Hearing) -> None:
    if user.has_perm("hearings.register", hearing):
        return
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to register."))
    if hearing.consultation.status not in hearing_rules.TAKING_INPUT:
        raise PermissionDenied(
            _("The consultation of this hearing is closed; registration is over.")
        )
    if hearing.status != Hearing.State.SCHEDULED:
        raise PermissionDenied(_("This hearing has started; registration is over."))
    if timezone.now() > hearing.registration_deadline:
        raise PermissionDenied(_("The registration deadline has passed."))
    sanction = moderation_selectors.active_sanction(user=user)
    if sanction is not None:
        raise PermissionDenied(
            _("Your account cannot take part: %(reason)s") % {"reason": sanction.reason}
        )
    raise PermissionDenied(_("Please verify your email address before registering."))


@transaction.atomic
def registration_create(
    *, user: User, hearing: Hearing, kind: str, topic: str = ""
) -> Registration:
    """Take a place, or a place on the waiting list when the hearing is
    full; tell the resident which."""
    hearing = _locked(hearing)
    refuse_if_cannot_register(user, hearing)
    if kind not in Registration.Kind.values:
        raise ValidationError({"kind": _("Choose whether to attend or to speak.")})
    topic = (topic or "").replace("\x00", "").strip()
    if kind == Registration.Kind.SPEAK and not topic:
        raise ValidationError(
            {"topic": _("Tell the organisers what you want to speak about.")}
        )
    if len(topic) > TOPIC_MAX_LENGTH:
        raise ValidationError(
            {
                "topic": _("Keep the topic to %(max)d characters.")
                % {"max": TOPIC_MAX_LENGTH}
            }
        )
    mine = Registration.objects.filter(hearing=hearing, user=user)
    if mine.exclude(status=Status.CANCELLED).exists():
        raise ValidationError(_("You are already registered for this hearing."))
    has_place = hearing.registered_count < hearing.capacity
    registration = Registration(
        hearing=hearing,
        user=user,
        kind=kind,
        topic=topic if kind == Registration.Kind.SPEAK else "",
        status=Status.REGISTERED if has_place else Status.WAITING,
        speaker=Speaker.REQUESTED if kind == Registration.Kind.SPEAK else Speaker.NONE,
    )
    registration.full_clean()
    registration.save()
    if has_place:
        Hearing.objects.filter(pk=hearing.pk).update(
            registered_count=F("registered_count") + 1
        )
    notices.notify_one(
        user=user,
        hearing=hearing,
        kind=Notification.Kind.HEARING_REGISTERED
        if has_place
        else Notification.Kind.HEARING_WAITING,
        key=f"hearing-registration:{registration.pk}",
    )
    return registration


@transaction.atomic
def registration_cancel(*, user: User, registration: Registration) -> Registration:
    """Give the place up; the first on the waiting list takes it."""
    hearing = _locked(registration.hearing)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.hearing = hearing
    require(
        user,
        "hearings.cancel_registration",
        registration,
        _("This registration can no longer be cancelled."),
    )
    held_place = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.speaker_position = None
    registration.save(update_fields=["status", "cancelled_at", "speaker_position"])
    if held_place:
        Hearing.objects.filter(pk=hearing.pk).update(
            registered_count=F("registered_count") - 1
        )
        hearing.registered_count -= 1
        promote_waiting(hearing=hearing)
    return registration


def promote_waiting(*, hearing: Hearing) -> list[Registration]:
    """Fill free places from the waiting list, first come first served.
    Call with the hearing's row locked."""
    free = hearing.capacity - Hearing.objects.values_list(
        "registered_count", flat=True
    ).get(pk=hearing.pk)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.select_for_update()
        .select_related("user")
        .filter(hearing=hearing, status=Status.WAITING)
        .order_by("created_at", "pk")[:free]
    )
    if not promoted:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Status.REGISTERED
    )
    Hearing.objects.filter(pk=hearing.pk).update(
        registered_count=F("registered_count") + len(promoted)
    )
    for registration in promoted:
        registration.status = Status.REGISTERED
        notices.notify_one(
            user=registration.user,
            hearing=hearing,
            kind=Notification.Kind.HEARING_PROMOTED,
            key=f"hearing-promoted:{registration.pk}",
        )
    return promoted


# Speakers ----------------------------------------------------------------------


def _manage(user: User, hearing: Hearing) -> None:
    require(
        user,
        "hearings.manage_hearing",
        hearing,
        _("Only officials of the department can manage the speakers."),
    )


@transaction.atomic
def speaker_decide(
    *, user: User, registration: Registration, approve: bool
) -> Registration:
    """Approve (within the speaker slots) or decline a request to speak."""
    hearing = _locked(registration.hearing)
    _manage(user, hearing)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.kind != Registration.Kind.SPEAK:
        raise ValidationError(_("This resident did not ask to speak."))
    if registration.status != Status.REGISTERED:
        raise ValidationError(
            _("Only a resident who holds a place can be approved to speak.")
        )
    speakers = Registration.objects.filter(
        hearing=hearing, status=Status.REGISTERED, speaker=Speaker.APPROVED
    )
    if approve and registration.speaker != Speaker.APPROVED:
        if speakers.count() >= hearing.speaker_slots:
            raise ValidationError(
                _("All %(n)d speaker slots are taken. Decline someone first.")
                % {"n": hearing.speaker_slots}
            )
        last = speakers.aggregate(last=Max("speaker_position"))["last"]
        registration.speaker = Speaker.APPROVED
        registration.speaker_position = 0 if last is None else last + 1
    elif not approve:
        registration.speaker = Speaker.DECLINED
        registration.speaker_position = None
    registration.save(update_fields=["speaker", "speaker_position"])
    notices.notify_one(
        user=registration.user,
        hearing=hearing,
        kind=Notification.Kind.HEARING_SPEAKER,
        key=f"hearing-speaker:{registration.pk}:{registration.speaker}",
        registration=registration,
    )
    return registration


def speaker_queue(hearing: Hearing):
    return Registration.objects.filter(
        hearing=hearing, status=Status.REGISTERED, speaker=Speaker.APPROVED
    ).order_by("speaker_position", "pk")


@transaction.atomic
def speaker_move(*, user: User, registration: Registration, up: bool) -> None:
    """Move an approved speaker one place earlier or later."""
    hearing = _locked(registration.hearing)
    _manage(user, hearing)
    queue = list(speaker_queue(hearing).select_for_update())
    index = next((i for i, r in enumerate(queue) if r.pk == registration.pk), None)
    if index is None:
        raise ValidationError(_("Only approved speakers have a place in the order."))
    other = index - 1 if up else index + 1
    if 0 <= other < len(queue):
        queue[index], queue[other] = queue[other], queue[index]
    for position, speaker in enumerate(queue):
        Registration.objects.filter(pk=speaker.pk).update(speaker_position=position)


@transaction.atomic
def speaker_call(
    *, user: User, hearing: Hearing, registration: Registration | None
) -> Hearing:
    """Give the floor to an approved speaker (their minutes start now), or
    to no one."""
    hearing = _locked(hearing)
    _manage(user, hearing)
    if hearing.status != Hearing.State.LIVE:
        raise ValidationError(_("Speakers are called during the live session."))
    now = timezone.now()
    if hearing.now_speaking_id:
        Registration.objects.filter(
            pk=hearing.now_speaking_id, spoke_at__isnull=True
        ).update(spoke_at=hearing.speaking_since or now)
    if registration is not None:
        valid = speaker_queue(hearing).filter(pk=registration.pk).exists()
        if not valid:
            raise ValidationError(_("Only approved speakers can be called."))
    hearing.now_speaking = registration
    hearing.speaking_since = now if registration is not None else None
    hearing.save(update_fields=["now_speaking", "speaking_since"])
    return hearing
