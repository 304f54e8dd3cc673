"""A consultation's life: draft → scheduled → open → closed → responded →
archived. Open and closed follow the clock; these functions make the steps a
person takes."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from civic.models import Area, Department, Topic
from config import uploads
from consultations import documents, search, selectors
from consultations.models import Attachment, ClosingExtension, Consultation, Section
from consultations.services.errors import PermissionDenied, ValidationError, require
from notifications import services as notification_services
from notifications.models import Notification

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
CLOSING_LOOKBACK = timedelta(days=1)
# The author may since have been deleted (SET_NULL); edits keep it as it is.
KEPT_ON_EDIT = ["created_by"]


def consultation_index(consultation: Consultation) -> None:
    """Rebuild the search vector from the title, summary, body and sections
    (data loaders that bypass the services call this too)."""
    sections = " ".join(
        f"{s.number} {s.heading} {s.body}" for s in consultation.sections.all()
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        search_vector=search.document_vector(
            (consultation.title, "A"),
            (consultation.summary, "B"),
            (f"{consultation.body} {sections}", "C"),
        )
    )


def page_changed(consultation_id: int) -> None:
    """What the public page shows of the consultation changed: it gets a new
    version once this transaction commits (see ``selectors.public_page_version``)."""
    transaction.on_commit(
        lambda: selectors.public_page_forget(consultation_id=consultation_id)
    )


@transaction.atomic
def consultation_create(
    *,
    user: User,
    department: Department,
    title: str,
    summary: str,
    body: str = "",
    topics: list[Topic] = (),
    moderation: str = Consultation.Moderation.POST,
) -> Consultation:
    if not user.memberships.filter(department=department).exists():
        raise PermissionDenied(
            _("You can only create consultations for your own department.")
        )
    consultation = Consultation(
        department=department,
        title=title,
        summary=summary,
        body=body,
        moderation=moderation,
        created_by=user,
    )
    consultation.full_clean()
    consultation.save()
    consultation.topics.set(topics)
    consultation_index(consultation)
    return consultation


@transaction.atomic
def consultation_update(
    *, user: User, consultation: Consultation, **fields
) -> Consultation:
    """Change the basics of a draft or scheduled consultation."""
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    topics = fields.pop("topics", None)
    allowed = {"title", "summary", "body", "moderation"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(consultation, name, value)
    consultation.full_clean(exclude=KEPT_ON_EDIT)
    consultation.save()
    if topics is not None:
        consultation.topics.set(topics)
    consultation_index(consultation)
    page_changed(consultation.pk)
    return consultation


@transaction.atomic
def consultation_set_scope(
    *, user: User, consultation: Consultation, areas: list[Area]
) -> Consultation:
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    jurisdiction = consultation.department.area.path
    outside = [a for a in areas if not a.path.startswith(jurisdiction)]
    if outside:
        raise ValidationError(
            {
                "areas": _("%(area)s is outside your department's jurisdiction.")
                % {"area": outside[0].name}
            }
        )
    consultation.areas.set(areas)
    page_changed(consultation.pk)
    return consultation


@transaction.atomic
def consultation_set_schedule(
    *,
    user: User,
    consultation: Consultation,
    opens_at: datetime,
    closes_at: datetime,
) -> Consultation:
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    if closes_at <= opens_at:
        raise ValidationError(
            {"closes_at": _("The closing time must be after opening.")}
        )
    if consultation.published_at and opens_at < timezone.now():
        raise ValidationError(
            {"opens_at": _("A scheduled consultation cannot open in the past.")}
        )
    consultation.opens_at = opens_at
    consultation.closes_at = closes_at
    consultation.full_clean(exclude=KEPT_ON_EDIT)
    consultation.save(update_fields=["opens_at", "closes_at", "updated_at"])
    page_changed(consultation.pk)
    return consultation


@transaction.atomic
def document_replace(
    *,
    user: User,
    consultation: Consultation,
    markdown: str | None = None,
    docx_file=None,
) -> list[Section]:
    """Replace the draft document with sections parsed from Markdown or a
    .docx upload."""
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    try:
        blocks = (
            documents.blocks_from_docx(docx_file)
            if docx_file is not None
            else documents.blocks_from_markdown(markdown or "")
        )
        parsed = documents.parse_blocks(blocks)
    except documents.DocumentError as error:
        raise ValidationError(
            _("The document could not be read. Upload a Word .docx file or paste text.")
        ) from error
    if not parsed:
        raise ValidationError(_("The document is empty."))
    consultation.sections.all().delete()
    sections = Section.objects.bulk_create(
        Section(
            consultation=consultation,
            position=position,
            kind=part.kind,
            number=part.number[:40],
            heading=part.heading[:300],
            body=part.body,
            anchor=anchor,
        )
        for position, (part, anchor) in enumerate(
            zip(parsed, documents.anchors_for(parsed), strict=True)
        )
    )
    consultation_index(consultation)
    page_changed(consultation.pk)
    return sections


@transaction.atomic
def attachment_add(
    *, user: User, consultation: Consultation, title: str, upload
) -> Attachment:
    """Attach a PDF, checked by its content and size, not its name."""
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    uploads.check_pdf(upload, max_bytes=MAX_ATTACHMENT_BYTES)
    attachment = Attachment(consultation=consultation, title=title, size=upload.size)
    attachment.file.save("upload.pdf", upload, save=False)
    attachment.full_clean()
    attachment.save()
    page_changed(consultation.pk)
    return attachment


@transaction.atomic
def attachment_delete(*, user: User, attachment: Attachment) -> None:
    require(
        user,
        "consultations.change_consultation",
        attachment.consultation,
        _("This consultation can no longer be edited."),
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    page_changed(attachment.consultation_id)
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def consultation_publish(*, user: User, consultation: Consultation) -> Consultation:
    """Publish a draft: it is scheduled, or open at once if opens_at has
    come."""
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    if consultation.published_at:
        raise ValidationError(_("This consultation is already published."))
    problems = []
    if not consultation.opens_at or not consultation.closes_at:
        problems.append(_("Set when the consultation opens and closes."))
    elif consultation.closes_at <= timezone.now():
        problems.append(_("The closing time has already passed."))
    if not consultation.areas.exists():
        problems.append(_("Choose the areas the consultation concerns."))
    if problems:
        raise ValidationError(problems)
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["published_at", "updated_at"])
    notification_services.consultation_announce(consultation=consultation)
    page_changed(consultation.pk)
    return consultation


@transaction.atomic
def consultation_unpublish(*, user: User, consultation: Consultation) -> Consultation:
    """Take a scheduled consultation back to draft before it opens."""
    require(
        user,
        "consultations.change_consultation",
        consultation,
        _("This consultation can no longer be edited."),
    )
    consultation.published_at = None
    consultation.save(update_fields=["published_at", "updated_at"])
    page_changed(consultation.pk)
    return consultation


@transaction.atomic
def consultation_extend(
    *, user: User, consultation: Consultation, closes_at: datetime, reason: str
) -> ClosingExtension:
    """Move the closing time of an open consultation later, publicly."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(
        user,
        "consultations.extend_consultation",
        consultation,
        _("Only an open consultation can be extended."),
    )
    if closes_at <= consultation.closes_at:
        raise ValidationError(
            {"closes_at": _("The new closing time must be later than the current one.")}
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the public a reason for the extension.")}
        )
    extension = ClosingExtension(
        consultation=consultation,
        previous_closes_at=consultation.closes_at,
        new_closes_at=closes_at,
        reason=reason.strip(),
        created_by=user,
    )
    extension.full_clean()
    extension.save()
    consultation.closes_at = closes_at
    consultation.save(update_fields=["closes_at", "updated_at"])
    notification_services.notify_followers(
        consultation=consultation,
        kind=Notification.Kind.EXTENDED,
        key=f"extended:{extension.pk}",
    )
    page_changed(consultation.pk)
    return extension


@transaction.atomic
def consultation_archive(*, user: User, consultation: Consultation) -> Consultation:
    require(
        user,
        "consultations.archive_consultation",
        consultation,
        _("Only a consultation with a published response can be archived."),
    )
    consultation.archived_at = timezone.now()
    consultation.save(update_fields=["archived_at", "updated_at"])
    page_changed(consultation.pk)
    return consultation


def closing_announce() -> int:
    """Tell followers of consultations that closed recently (run by beat;
    idempotent: one broadcast per consultation and closing time)."""
    now = timezone.now()
    recently = Consultation.objects.filter(
        published_at__isnull=False,
        archived_at__isnull=True,
        closes_at__lte=now,
        closes_at__gt=now - CLOSING_LOOKBACK,
    )
    count = 0
    for consultation in recently:
        with transaction.atomic():
            notification_services.notify_followers(
                consultation=consultation,
                kind=Notification.Kind.CLOSED,
                key=f"closed:{consultation.pk}:{consultation.closes_at:%Y%m%d%H%M}",
            )
        count += 1
    return count
