"""Forms of the personal-data pages: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountDeleteForm(forms.Form):
    CONTRIBUTIONS = [
        ("keep", _("Keep what I said in public, shown as by a former resident")),
        ("remove", _("Remove everything I said in public")),
    ]

    contributions = forms.ChoiceField(
        label=_("What happens to what you said in public"),
        choices=CONTRIBUTIONS,
        widget=forms.RadioSelect,
        initial="keep",
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account cannot be restored."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password
