from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("hide", _("Hide"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Public reason (shown instead of the comment)"),
        max_length=300,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "hide" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a public reason for hiding it."))
        return cleaned
