"""Receipts: what a respondent sees (and an identified respondent is
mailed) once their response is stored."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from civic.models import Area
from notifications import services as notification_services
from surveys.logic import Structure


def summary(structure: Structure, answers: dict) -> list[tuple[str, str]]:
    """(question, answer as text) for every stored answer, in order."""
    choices = {
        c.pk: c.text
        for group in (*structure.options.values(), *structure.rows.values())
        for c in group
    }
    area_ids = [a["area"] for a in answers.values() if "area" in a]
    areas = (
        {a.pk: a.name for a in Area.objects.filter(pk__in=area_ids)} if area_ids else {}
    )
    lines = []
    for question in structure.ordered_questions():
        value = answers.get(question.pk)
        if value is not None:
            lines.append((question.text, _display(value, choices, areas)))
    return lines


def _display(value: dict, choices: dict, areas: dict) -> str:
    if "choice" in value or "choices" in value:
        picked = [value["choice"]] if "choice" in value else value["choices"]
        text = "、".join(choices.get(c, "?") for c in picked)
        return f"{text}（{value['other']}）" if value.get("other") else text
    if "ranking" in value:
        return " > ".join(choices.get(c, "?") for c in value["ranking"])
    if "rows" in value:
        return "; ".join(
            f"{choices.get(int(r), '?')}: {choices.get(c, '?')}"
            for r, c in value["rows"].items()
        )
    if "area" in value:
        return areas.get(value["area"], "")
    for key in ("number", "date", "text"):
        if key in value:
            return str(value[key])
    return ""


def receipt_mail(*, response, user, structure: Structure, answers: dict) -> None:
    """Queue the receipt mail (identified respondents only)."""
    with translation.override(user.preferred_language):
        context = {
            "survey": response.survey,
            "response": response,
            "user": user,
            "lines": summary(structure, answers),
            "url": settings.SITE_URL.rstrip("/") + response.survey.get_absolute_url(),
        }
        subject = render_to_string("surveys/email/receipt_subject.txt", context)
        body = render_to_string("surveys/email/receipt_message.txt", context)
    notification_services.email_queue(
        message=EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
    )
