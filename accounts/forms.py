"""Sign-up and profile forms."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import DISPLAY_NAME_MAX_LENGTH, User
from civic import selectors as civic_selectors
from civic.models import Area


def clean_display_name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise forms.ValidationError(_("Please enter a display name."))
    if any(char in value for char in "<>&\"'`"):
        raise forms.ValidationError(
            _("A display name cannot contain < > & \" ' or ` characters.")
        )
    return value


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Display name"),
            max_length=DISPLAY_NAME_MAX_LENGTH,
            help_text=_(
                "Shown next to what you write in public; at most 50 characters."
            ),
            **kwargs,
        )
        self.widget.attrs.update({"autocomplete": "nickname"})

    def clean(self, value):
        return clean_display_name(super().clean(value))


class SignupForm(AllauthSignupForm):
    display_name = DisplayNameField()

    field_order = ["email", "display_name", "password1", "password2"]

    def custom_signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        if language in dict(User.Language.choices):
            user.preferred_language = language
        user.save(update_fields=["display_name", "preferred_language"])


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProfileForm(forms.Form):
    """Display name, language, care mode and home area.

    The home area is picked as district → street → community; each list is
    narrowed by the one above it on the server, so it works without
    JavaScript (the "update the lists" button re-renders the form).
    """

    display_name = DisplayNameField()
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=User.Language.choices
    )
    care_mode = forms.BooleanField(
        label=_("Care mode (larger text, higher contrast)"), required=False
    )
    district = AreaChoiceField(
        label=_("District or county"), queryset=Area.objects.none(), required=False
    )
    street = AreaChoiceField(
        label=_("Street or township"), queryset=Area.objects.none(), required=False
    )
    community = AreaChoiceField(
        label=_("Community or village"), queryset=Area.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = civic_selectors.area_children(parent=None)
        district = self._chosen("district")
        street = self._chosen("street", parent=district)
        self.fields["street"].queryset = (
            civic_selectors.area_children(parent=district)
            if district
            else Area.objects.none()
        )
        self.fields["community"].queryset = (
            civic_selectors.area_children(parent=street)
            if street
            else Area.objects.none()
        )

    def _chosen(self, name: str, parent: Area | None = None) -> Area | None:
        """The area picked in ``name`` (bound data first, then initial)."""
        raw = self.data.get(name) if self.is_bound else None
        if raw is None:
            value = self.initial.get(name)
            return value if isinstance(value, Area) else None
        try:
            area = Area.objects.get(pk=int(raw))
        except (TypeError, ValueError, Area.DoesNotExist):
            return None
        if parent is not None and area.parent_id != parent.pk:
            return None
        return area

    def clean(self):
        cleaned = super().clean()
        district, street = cleaned.get("district"), cleaned.get("street")
        community = cleaned.get("community")
        if street and street.parent_id != getattr(district, "pk", None):
            self.add_error("street", _("This street is not in the chosen district."))
        if community and community.parent_id != getattr(street, "pk", None):
            self.add_error(
                "community", _("This community is not in the chosen street.")
            )
        cleaned["home_area"] = community or street or district
        return cleaned

    @staticmethod
    def initial_for(user: User) -> dict:
        initial = {
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "care_mode": user.care_mode,
        }
        if user.home_area_id:
            levels = {2: "district", 3: "street", 4: "community"}
            for area in civic_selectors.area_ancestors(area=user.home_area):
                if area.level in levels:
                    initial[levels[area.level]] = area
        return initial
