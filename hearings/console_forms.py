"""Forms of the officials' console for hearings: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.console_forms import LocalDateTimeField
from hearings.models import Hearing, LiveQuestion
from hearings.services.schedule import EDITABLE_FIELDS


class HearingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("A short Markdown subset: paragraphs, lists, emphasis, links."),
    )
    starts_at = LocalDateTimeField(label=_("Starts (Beijing time)"))
    ends_at = LocalDateTimeField(label=_("Ends (Beijing time)"))
    venue = forms.CharField(
        label=_("Venue"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for an online-only hearing."),
    )
    stream_url = forms.URLField(
        label=_("Stream address"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    embed_stream = forms.BooleanField(
        label=_("Embed the stream in the page (approved hosts only)"),
        required=False,
    )
    registration_deadline = LocalDateTimeField(label=_("Registration closes"))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)
    speaker_slots = forms.IntegerField(
        label=_("Speaker slots"), min_value=0, max_value=1000, initial=0
    )
    speaker_minutes = forms.IntegerField(
        label=_("Minutes per speaker"), min_value=1, max_value=120, initial=5
    )
    testimony_deadline = LocalDateTimeField(label=_("Written testimony closes"))

    @staticmethod
    def initial_for(hearing: Hearing) -> dict:
        return {name: getattr(hearing, name) for name in EDITABLE_FIELDS}


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    planned_minutes = forms.IntegerField(
        label=_("Planned minutes"), min_value=1, max_value=600, initial=10
    )


class RecordForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=50000,
        help_text=_("A short Markdown subset: paragraphs, lists, emphasis, links."),
    )
    transcript = forms.CharField(
        label=_("Transcript"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Paste it here, or upload it below."),
    )
    transcript_file = forms.FileField(
        label=_("Transcript file (.txt or .docx)"),
        required=False,
        help_text=_("An uploaded file replaces the pasted text."),
    )
    recording_url = forms.URLField(
        label=_("Recording link"), max_length=500, required=False, assume_scheme="https"
    )


class QuestionDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("hide", _("Hide")),
            ("merge", _("Merge")),
            ("answering", _("Answering now")),
            ("answered", _("Answered")),
            ("reopen", _("Not answered yet")),
        ]
    )
    reason = forms.CharField(label=_("Public reason"), max_length=300, required=False)
    answer = forms.CharField(
        label=_("Answer for the record"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    into = forms.ModelChoiceField(
        label=_("Duplicate of"),
        queryset=LiveQuestion.objects.none(),
        required=False,
    )

    def __init__(self, *args, hearing: Hearing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = hearing.questions.filter(
            status=LiveQuestion.Status.VISIBLE
        )


class TestimonyDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("hide", _("Hide"))])
    reason = forms.CharField(label=_("Public reason"), max_length=300, required=False)
