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
    # Each list holds only the areas under the one chosen above it, so a
    # choice from outside it is refused with the reason.
    street = AreaChoiceField(
        label=_("Street or township"),
        queryset=Area.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("This street is not in the chosen district.")
        },
    )
    community = AreaChoiceField(
        label=_("Community or village"),
        queryset=Area.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("This community is not in the chosen street.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = civic_selectors.area_children(parent=None)
        district = self._chosen("district", level=Area.Level.DISTRICT)
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

    def _chosen(
        self, name: str, *, parent: Area | None = None, level: int | None = None
    ) -> Area | None:
        """The area picked in ``name`` (bound data, else initial), if it is
        a district (``level``) or lies under ``parent``."""
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        if level is None and parent is None:
            return None
        if isinstance(raw, Area):
            area = raw
        else:
            try:
                area = Area.objects.get(pk=int(raw))
            except (TypeError, ValueError, Area.DoesNotExist):
                return None
        if level is not None and area.level != level:
            return None
        if parent is not None and area.parent_id != parent.pk:
            return None
        return area

    def clean(self):
        cleaned = super().clean()
        cleaned["home_area"] = (
            cleaned.get("community") or cleaned.get("street") or cleaned.get("district")
        )
        return cleaned

    @staticmethod
    def initial_from(data) -> dict:
        """What was typed, as the initial values of a fresh form: updating
        the lists re-renders the form without judging it."""
        initial = {
            name: data.get(name, "")
            for name in (
                "display_name",
                "preferred_language",
                "district",
                "street",
                "community",
            )
        }
        initial["care_mode"] = bool(data.get("care_mode"))
        return initial

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
