"""Forms of the public hearing pages: validation and cleaning only."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.models import Department
from hearings.models import QUESTION_MAX_LENGTH, TEXT_MAX_LENGTH, Registration


class HearingFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Show"),
        choices=[("upcoming", _("Upcoming hearings")), ("past", _("Past hearings"))],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("name_zh"),
        required=False,
        empty_label=_("All departments"),
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)

    def filters(self) -> dict:
        """The cleaned filters; an invalid value is dropped, never a 500."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "when": data.get("when") or "upcoming",
            "department": data.get("department"),
            "q": (data.get("q") or "").strip(),
        }


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I want to"),
        choices=Registration.Kind.choices,
        widget=forms.RadioSelect,
        initial=Registration.Kind.ATTEND,
    )
    topic = forms.CharField(
        label=_("Topic you want to speak about"),
        help_text=_("Only if you ask to speak. The organisers approve speakers."),
        max_length=300,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Registration.Kind.SPEAK
            and not cleaned.get("topic", "").strip()
        ):
            self.add_error(
                "topic", _("Tell the organisers what you want to speak about.")
            )
        return cleaned


class TestimonyForm(forms.Form):
    body = forms.CharField(
        label=_("Your testimony"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
    )
    upload = forms.FileField(
        label=_("PDF document"),
        help_text=_("Optional; a PDF of at most 10 MB."),
        required=False,
    )


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=QUESTION_MAX_LENGTH,
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
