"""The published record, the notices it sends, and the reminders before a
hearing (run by Celery beat; each notice has a key, so running twice, or
after a crash, sends nothing twice)."""

import io
import logging
from datetime import datetime, timedelta

import docx
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.services.errors import ValidationError, require
from hearings import tasks
from hearings.models import Hearing, Record
from hearings.services import notices, schedule
from notifications.models import Notification

logger = logging.getLogger(__name__)
TRANSCRIPT_MAX_BYTES = 5 * 1024 * 1024
REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))
ANNOUNCE_SWEEP_AFTER = timedelta(minutes=5)


def transcript_from_upload(upload) -> str:
    """The text of an uploaded .txt (UTF-8 or GB 18030) or .docx file,
    recognised by its content."""
    if upload.size > TRANSCRIPT_MAX_BYTES:
        raise ValidationError(
            {"transcript_file": _("The transcript file can be at most 5 MB.")}
        )
    data = upload.read()
    if data.startswith(b"PK"):
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # python-docx raises many kinds on a bad file.
            raise ValidationError(
                {"transcript_file": _("This Word file could not be read.")}
            ) from None
        return "\n".join(p.text for p in document.paragraphs).strip()
    if b"\x00" in data:
        raise ValidationError(
            {"transcript_file": _("Upload the transcript as a .txt or .docx file.")}
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        {"transcript_file": _("The text file is neither UTF-8 nor GB 18030.")}
    )


@transaction.atomic
def record_publish(
    *,
    user: User,
    hearing: Hearing,
    minutes: str,
    transcript: str = "",
    recording_url: str = "",
) -> Record:
    """Publish (or correct) the record; participants are told once."""
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    require(
        user,
        "hearings.publish_record",
        hearing,
        _("The record can be published by the department once the hearing ended."),
    )
    minutes = (minutes or "").replace("\x00", "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes of the hearing.")})
    record = Record.objects.filter(hearing=hearing).first() or Record(hearing=hearing)
    record.minutes = minutes
    record.transcript = (transcript or "").replace("\x00", "").strip()
    record.recording_url = (recording_url or "").strip()
    first = record.published_at is None
    if first:
        record.published_at = timezone.now()
        record.published_by = user
    record.full_clean()
    record.save()
    if hearing.state != Hearing.State.RECORD_PUBLISHED:
        hearing.state = Hearing.State.RECORD_PUBLISHED
        hearing.now_speaking = None
        hearing.save(update_fields=["state", "now_speaking"])
    if first:
        _announce_later(hearing)
    return record


def _announce_later(hearing: Hearing) -> None:
    hearing_id = hearing.pk

    def enqueue():
        try:
            tasks.record_announce.delay(hearing_id=hearing_id)
        except Exception:  # The broker is down: ``reminders_send`` sweeps.
            logger.warning("Broker unavailable; record %s left", hearing_id)

    transaction.on_commit(enqueue)


def record_announce(*, hearing_id: int) -> int:
    """Tell everyone who took part that the record is out; once."""
    total = notices.fan_out(
        hearing_id=hearing_id,
        audience=notices.PARTICIPANTS,
        kind=Notification.Kind.HEARING_RECORD,
        key=f"hearing:{hearing_id}:record",
    )
    Record.objects.filter(hearing_id=hearing_id).update(announced_at=timezone.now())
    return total


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind registered residents 24 hours and 1 hour before a hearing,
    and send the record and change notices that were lost (broker down).
    Return how many notifications were created."""
    now = now or timezone.now()
    total = 0
    for label, ahead in REMINDERS:
        hearings = Hearing.objects.filter(
            state=Hearing.State.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + ahead,
            consultation__published_at__isnull=False,
        )
        if label == "24h":
            # Within the hour only the 1-hour reminder makes sense.
            hearings = hearings.filter(starts_at__gt=now + timedelta(hours=1))
        for hearing in hearings:
            stamp = int(hearing.starts_at.timestamp())
            total += notices.fan_out(
                hearing_id=hearing.pk,
                audience=notices.REGISTERED,
                kind=Notification.Kind.HEARING_REMINDER,
                key=f"hearing:{hearing.pk}:reminder:{label}:{stamp}",
            )
    lost = Record.objects.filter(
        Q(announced_at__isnull=True),
        published_at__lt=now - ANNOUNCE_SWEEP_AFTER,
    ).values_list("hearing_id", flat=True)
    for hearing_id in list(lost):
        total += record_announce(hearing_id=hearing_id)
    unannounced = Hearing.objects.filter(
        announced_sequence__lt=F("sequence"),
        updated_at__lt=now - ANNOUNCE_SWEEP_AFTER,
    ).values_list("pk", flat=True)
    for hearing_id in list(unannounced):
        total += schedule.change_announce(hearing_id=hearing_id)
    return total
