"""Form pieces every list with an area filter shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic import selectors as civic_selectors
from civic.models import Area


class NameChoiceField(forms.ModelChoiceField):
    """A choice of a bilingual directory entry, shown in the active language."""

    def label_from_instance(self, obj):
        return obj.name


class AreaFilterForm(forms.Form):
    """A search box and a district → street choice, read from the query
    string. Streets are listed once a district is chosen, narrowed on the
    server so the form works without JavaScript."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    district = NameChoiceField(
        label=_("District or county"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole city"),
    )
    street = NameChoiceField(
        label=_("Street or township"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole district"),
        error_messages={
            "invalid_choice": _("This street is not in the chosen district.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["district"].queryset = civic_selectors.area_children(parent=None)
        district = self._district()
        if district is not None:
            self.fields["street"].queryset = civic_selectors.area_children(
                parent=district
            )

    def _district(self) -> Area | None:
        if not hasattr(self, "_district_cache"):
            try:
                self._district_cache = self.fields["district"].clean(
                    self.data.get("district")
                )
            except forms.ValidationError:
                self._district_cache = None
        return self._district_cache

    @property
    def has_streets(self) -> bool:
        return self._district() is not None
