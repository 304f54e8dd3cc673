"""The published record as one Markdown document to download."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings.models import Hearing, LiveQuestion, Record, Registration, Testimony


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def record_markdown(
    *,
    hearing: Hearing,
    record: Record,
    speakers: list[Registration],
    questions: list[LiveQuestion],
    testimonies: list[Testimony],
) -> str:
    lines = [f"# {hearing.title}"]
    lines.append(
        _("%(department)s · %(start)s – %(end)s (Beijing time)")
        % {
            "department": hearing.consultation.department.name,
            "start": _when(hearing.starts_at),
            "end": _when(hearing.ends_at),
        }
    )
    if hearing.venue:
        lines.append(_("Venue: %(venue)s") % {"venue": hearing.venue})
    if record.recording_url:
        lines.append(_("Recording: %(url)s") % {"url": record.recording_url})
    lines += [f"## {_('Minutes')}", record.minutes]
    if speakers:
        lines.append(f"## {_('Speakers')}")
        lines.append(
            "\n".join(
                f"{n}. {s.user.display_name or _('A resident')}: {s.topic}"
                for n, s in enumerate(speakers, start=1)
            )
        )
    if questions:
        lines.append(f"## {_('Questions answered')}")
        for question in questions:
            lines.append(f"**{_('Question')}:** {question.body}")
            if question.answer:
                lines.append(f"**{_('Answer')}:** {question.answer}")
    if testimonies:
        lines.append(f"## {_('Written testimony')}")
        for item in testimonies:
            author = item.author.display_name if item.author else _("A resident")
            lines.append(f"### {author} · {_when(item.created_at)}")
            lines.append(item.body)
    if record.transcript:
        lines += [f"## {_('Transcript')}", record.transcript]
    url = settings.SITE_URL.rstrip("/") + hearing.get_absolute_url()
    lines.append(_("Source: %(url)s") % {"url": url})
    return "\n\n".join(lines) + "\n"
