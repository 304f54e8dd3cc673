"""Create, edit and reschedule hearings; their agenda and state."""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.models import Consultation
from consultations.services.errors import PermissionDenied, ValidationError, require
from hearings import tasks
from hearings.models import AgendaItem, Hearing, stream_hosts
from hearings.services import notices, registrations
from notifications.models import Notification

logger = logging.getLogger(__name__)
State = Hearing.State
# Changing these changes the calendar entry: SEQUENCE goes up and
# registered residents are told.
RESCHEDULING_FIELDS = ("starts_at", "ends_at", "venue")
EDITABLE_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "stream_url",
    "embed_stream",
    "registration_deadline",
    "capacity",
    "speaker_slots",
    "speaker_minutes",
    "testimony_deadline",
)


def _check(hearing: Hearing) -> None:
    """Friendly messages for what the database would refuse anyway."""
    errors = {}
    if hearing.ends_at <= hearing.starts_at:
        errors["ends_at"] = _("The hearing must end after it starts.")
    if hearing.registration_deadline > hearing.starts_at:
        errors["registration_deadline"] = _(
            "Registration must close before the hearing starts."
        )
    if hearing.speaker_slots > hearing.capacity:
        errors["speaker_slots"] = _("There cannot be more speakers than places.")
    if hearing.speaker_slots and not hearing.speaker_minutes:
        errors["speaker_minutes"] = _("Give each speaker at least one minute.")
    if hearing.embed_stream:
        allowed = sorted(stream_hosts())
        if not hearing.stream_url:
            errors["stream_url"] = _("Give the stream's address to embed it.")
        elif not allowed:
            errors["stream_url"] = _(
                "No stream host is approved for embedding. Untick “embed” to "
                "show the stream as a link."
            )
        elif hearing.stream_host not in allowed or not hearing.stream_url.startswith(
            "https://"
        ):
            errors["stream_url"] = _(
                "Streams can be embedded only over HTTPS from %(hosts)s. Untick "
                "“embed” to show this address as a link."
            ) % {"hosts": ", ".join(allowed)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hearing_create(*, user: User, consultation: Consultation, **fields) -> Hearing:
    require(
        user,
        "hearings.add_hearing",
        consultation,
        _(
            "Hearings can be added only by officials of the department, to a "
            "consultation that is scheduled or open."
        ),
    )
    hearing = Hearing(consultation=consultation, created_by=user)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(hearing, name, fields[name])
    if hearing.starts_at and hearing.starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A new hearing must start later.")})
    _check(hearing)
    hearing.full_clean()
    hearing.save()
    return hearing


@transaction.atomic
def hearing_update(*, user: User, hearing: Hearing, **fields) -> Hearing:
    """Edit a hearing that has not ended; moving its time or place bumps
    the calendar SEQUENCE and tells the registered residents."""
    require(
        user,
        "hearings.manage_hearing",
        hearing,
        _("Only officials of the department can edit this hearing."),
    )
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.status in {State.ENDED, State.RECORD_PUBLISHED}:
        raise ValidationError(_("A hearing that has ended can no longer be edited."))
    before = {name: getattr(hearing, name) for name in RESCHEDULING_FIELDS}
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(hearing, name, fields[name])
    if hearing.capacity < hearing.registered_count:
        raise ValidationError(
            {
                "capacity": _(
                    "%(n)d residents already hold a place; the hearing needs at "
                    "least that many places."
                )
                % {"n": hearing.registered_count}
            }
        )
    _check(hearing)
    rescheduled = any(getattr(hearing, n) != v for n, v in before.items())
    if rescheduled:
        hearing.sequence += 1
    hearing.full_clean()
    hearing.save()
    registrations.promote_waiting(hearing=hearing)
    if rescheduled:
        _announce_change_later(hearing)
    return hearing


def _announce_change_later(hearing: Hearing) -> None:
    hearing_id = hearing.pk

    def enqueue():
        try:
            tasks.change_announce.delay(hearing_id=hearing_id)
        except Exception:  # The broker is down: ``reminders_send`` sweeps.
            logger.warning("Broker unavailable; change of hearing %s left", hearing_id)

    transaction.on_commit(enqueue)


def change_announce(*, hearing_id: int) -> int:
    """Tell the registered residents that the time or place changed, once
    per change (the calendar SEQUENCE); safe to run again."""
    sequence = Hearing.objects.values_list("sequence", flat=True).get(pk=hearing_id)
    total = notices.fan_out(
        hearing_id=hearing_id,
        audience=notices.REGISTERED,
        kind=Notification.Kind.HEARING_CHANGED,
        key=f"hearing:{hearing_id}:changed:{sequence}",
    )
    Hearing.objects.filter(pk=hearing_id, announced_sequence__lt=sequence).update(
        announced_sequence=sequence
    )
    return total


TRANSITIONS = {
    State.SCHEDULED: {State.LIVE},
    State.LIVE: {State.ENDED},
}


@transaction.atomic
def hearing_move(*, user: User, hearing: Hearing, to: str) -> Hearing:
    """Start the session early or end it; the record has its own service."""
    require(
        user,
        "hearings.manage_hearing",
        hearing,
        _("Only officials of the department can run this hearing."),
    )
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if to not in TRANSITIONS.get(hearing.status, set()):
        raise ValidationError(
            _("A hearing that is “%(status)s” cannot be moved to “%(to)s”.")
            % {
                "status": hearing.get_status_display(),
                "to": State(to).label if to in State.values else to,
            }
        )
    hearing.state = to
    if to == State.ENDED:
        hearing.now_speaking = None
        hearing.speaking_since = None
    hearing.save(update_fields=["state", "now_speaking", "speaking_since"])
    return hearing


def _manage(user: User, hearing: Hearing) -> None:
    require(
        user,
        "hearings.manage_hearing",
        hearing,
        _("Only officials of the department can change the agenda."),
    )
    if hearing.status == State.RECORD_PUBLISHED:
        raise ValidationError(_("The record is published; the agenda is final."))


@transaction.atomic
def agenda_item_add(
    *,
    user: User,
    hearing: Hearing,
    title: str,
    presenter: str = "",
    planned_minutes: int = 10,
) -> AgendaItem:
    _manage(user, hearing)
    last = hearing.agenda.aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        hearing=hearing,
        position=0 if last is None else last + 1,
        title=title.strip(),
        presenter=presenter.strip(),
        planned_minutes=planned_minutes,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_delete(*, user: User, item: AgendaItem) -> None:
    _manage(user, item.hearing)
    item.delete()


@transaction.atomic
def agenda_item_move(*, user: User, item: AgendaItem, up: bool) -> None:
    """Swap an item with its neighbour above or below."""
    _manage(user, item.hearing)
    items = list(item.hearing.agenda.select_for_update())
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, it in enumerate(items):
        AgendaItem.objects.filter(pk=it.pk).update(position=position)


@transaction.atomic
def agenda_item_current(
    *, user: User, hearing: Hearing, item: AgendaItem | None
) -> Hearing:
    """Mark the item under discussion (or none)."""
    _manage(user, hearing)
    if item is not None and item.hearing_id != hearing.pk:
        raise PermissionDenied(_("This item belongs to another hearing."))
    Hearing.objects.filter(pk=hearing.pk).update(current_item=item)
    hearing.current_item = item
    return hearing


def bump_questions(hearing_id: int) -> None:
    """The question list changed: pollers' ETags are stale."""
    Hearing.objects.filter(pk=hearing_id).update(qa_version=F("qa_version") + 1)


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
