"""Forms of the officials' console for consultations: validation only.

Every write goes through ``consultations.services``; these forms check the
shape of what was typed and turn it into the services' arguments.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.models import Area, Department, Topic
from consultations.models import Comment, Consultation, ExportJob, OutcomeItem, Section

MAX_DOCX_BYTES = 10 * 1024 * 1024
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown in the site's time zone
    (Asia/Shanghai by default), whatever the browser's own zone."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=DATETIME_INPUT
    )
    input_formats = [DATETIME_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BasicsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in lists; at most 1,000 characters."),
    )
    body = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Why the department asks and what it wants to hear. Markdown: "
            "paragraphs, lists, **bold**, *italics*, [links](https://…)."
        ),
    )
    department = NamedChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "You can only create consultations for your own department."
            )
        },
    )
    topics = NamedMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Consultation.Moderation.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Moderation.POST,
    )

    def __init__(self, *args, departments, fixed_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        if fixed_department is not None:
            # The owning department is chosen once, when the draft is made.
            del self.fields["department"]
        self.fixed_department = fixed_department

    @staticmethod
    def initial_for(consultation: Consultation) -> dict:
        return {
            "title": consultation.title,
            "summary": consultation.summary,
            "body": consultation.body,
            "topics": list(consultation.topics.all()),
            "moderation": consultation.moderation,
        }


class ScopeForm(forms.Form):
    """Areas concerned. The page lists the department's jurisdiction, its
    districts and, on request, the streets of one district; any area may be
    sent, and the service refuses those outside the jurisdiction."""

    areas = forms.ModelMultipleChoiceField(
        label=_("Areas concerned"),
        queryset=Area.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("This area does not exist.")},
    )
    expand = forms.ModelChoiceField(
        label=_("Show the streets of"),
        queryset=Area.objects.all(),
        required=False,
    )


class ScheduleForm(forms.Form):
    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(label=_("Closes"))

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error(
                "closes_at", _("The closing time must be after the opening time.")
            )
        return cleaned


class DocumentForm(forms.Form):
    markdown = forms.CharField(
        label=_("Paste the draft"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Chapters as headings (# 第一章 总则) and articles on their own line "
            "starting 第一条, 第二条 … or Article 1, Article 2 …"
        ),
    )
    docx = forms.FileField(
        label=_("Or upload a Word document (.docx)"),
        required=False,
        help_text=_("At most 10 MB. It replaces the pasted text."),
    )

    def clean_docx(self):
        upload = self.cleaned_data.get("docx")
        if upload and upload.size > MAX_DOCX_BYTES:
            raise forms.ValidationError(_("The document is larger than 10 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        empty = not cleaned.get("docx") and not cleaned.get("markdown", "").strip()
        if empty and not self.errors:
            raise forms.ValidationError(
                _("Paste the text of the draft or upload a .docx file.")
            )
        return cleaned


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Attachment title"), max_length=200)
    upload = forms.FileField(
        label=_("PDF file"),
        help_text=_("A PDF of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ExtendForm(forms.Form):
    closes_at = LocalDateTimeField(label=_("New closing time"))
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the consultation page next to the new date."),
    )


class OutcomeSummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of what you heard and decided"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class CommentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.body[:120]


class OutcomeItemForm(forms.Form):
    theme = forms.CharField(label=_("Theme"), max_length=200)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("The whole draft"),
        error_messages={
            "invalid_choice": _("This section belongs to another consultation.")
        },
    )
    what_was_said = forms.CharField(
        label=_("What residents said"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=OutcomeItem.Decision.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4})
    )
    comments = CommentChoiceField(
        label=_("Representative comments"),
        queryset=Comment.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("A comment belongs to another consultation.")
        },
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = consultation.sections.all()
        self.fields["comments"].queryset = Comment.objects.filter(
            consultation=consultation, parent__isnull=True
        )

    @staticmethod
    def initial_for(item: OutcomeItem) -> dict:
        return {
            "theme": item.theme,
            "section": item.section_id,
            "what_was_said": item.what_was_said,
            "decision": item.decision,
            "reason": item.reason,
            "comments": [c.pk for c in item.answered_comments.all()],
        }


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportJob.Format.choices,
        widget=forms.RadioSelect,
        initial=ExportJob.Format.CSV,
    )
