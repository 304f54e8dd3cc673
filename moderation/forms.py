import re

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Flag, ModerationAction, Sanction

DECISION_CHOICES = [
    ("approve", _("Approve (dismiss reports)")),
    ("hide", _("Hide with a public reason")),
    ("request_edit", _("Ask the author to edit")),
    ("escalate", _("Escalate")),
]
NEEDS_REASON = {
    "hide": _("Give a public reason for hiding it."),
    "request_edit": _("Tell the author what to change."),
    "escalate": _("Say why it needs another moderator."),
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES)
    reason = forms.CharField(
        label=_("Reason (public when hiding)"),
        max_length=300,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        message = NEEDS_REASON.get(cleaned.get("decision"))
        if message and not cleaned.get("reason", "").strip():
            self.add_error("reason", message)
        return cleaned


def _item_ref(value: str) -> tuple[str, int]:
    kind, _sep, pk = str(value).partition(":")
    return kind, int(pk)


class BulkDecisionForm(DecisionForm):
    # "kind:id" pairs ("comment:12", "testimony:3"); plain ids: comments.
    items = forms.TypedMultipleChoiceField(coerce=_item_ref, choices=[], required=False)
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the service checks each item.
        self.fields["comments"].valid_value = lambda value: str(value).isdigit()
        self.fields["items"].valid_value = lambda value: bool(
            re.fullmatch(r"[a-z]+:[0-9]+", str(value))
        )

    def clean(self):
        cleaned = super().clean()
        refs = list(cleaned.get("items") or []) + [
            ("comment", pk) for pk in cleaned.get("comments") or []
        ]
        if not refs and not self.errors.get("items"):
            self.add_error("items", _("Select at least one item."))
        cleaned["refs"] = refs
        return cleaned


AGE_CHOICES = [
    ("", _("Any age")),
    ("1h", _("Waiting over an hour")),
    ("24h", _("Waiting over a day")),
    ("7d", _("Waiting over a week")),
]
KIND_CHOICES = [
    ("", _("Everything")),
    ("comment", _("Comments")),
    ("reply", _("Replies")),
    ("testimony", _("Written testimony")),
    ("question", _("Live questions")),
    ("suggestion", _("Suggestions")),
]


class QueueFilterForm(forms.Form):
    consultation = forms.IntegerField(label=_("Consultation"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    reason = forms.ChoiceField(
        label=_("Report reason"),
        required=False,
        choices=[("", _("Any reason")), *Flag.Reason.choices],
    )
    kind = forms.ChoiceField(
        label=_("Content type"), required=False, choices=KIND_CHOICES
    )
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All my departments"))] + [
            (str(d.pk), d.name) for d in departments
        ]


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search reasons and content"), required=False)
    kind = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *ModerationAction.Kind.choices],
    )
    comment = forms.IntegerField(label=_("Comment number"), required=False, min_value=1)
    account = forms.IntegerField(label=_("Account number"), required=False, min_value=1)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SanctionForm(forms.Form):
    account = forms.EmailField(
        label=_("Email address of the account"),
        help_text=_("Shown in the queue and the audit log."),
    )
    kind = forms.ChoiceField(
        label=_("Sanction"), choices=Sanction.Kind.choices, widget=forms.RadioSelect
    )
    days = forms.IntegerField(
        label=_("For how many days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Needed to mute; leave empty to suspend until lifted."),
    )
    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why the decision is wrong"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold: reverse the decision")),
            ("reject", _("Reject: the decision stands")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (sent to the author)"), max_length=2000)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for the report.")},
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the reason is “Other”. At most 1,000 characters."),
    )


class EditAsAskedForm(forms.Form):
    body = forms.CharField(
        label=_("Your new text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
    )
