from django import forms
from django.utils.translation import gettext_lazy as _


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("Say what uses it, e.g. “my neighbourhood app”."),
    )
