"""Forms of the demands app: validation and cleaning only; the services
decide and write."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from civic import selectors as civic_selectors
from civic.forms import AreaFilterForm, NameChoiceField
from civic.models import Area, Department, Topic
from demands import photos
from demands.models import (
    SUGGESTION_BODY_MAX_LENGTH,
    SUGGESTION_TITLE_MAX_LENGTH,
    Demand,
    DemandUpdate,
)

PUBLIC_STATUSES = [
    (value, label)
    for value, label in Demand.Status.choices
    if value != Demand.Status.MERGED
]
INDENT = "\u2003"  # an em space per level below the city


def area_label(area: Area) -> str:
    return f"{INDENT * max(0, area.level - 1)}{area.name}"


class AreaChoiceField(forms.ModelChoiceField):
    """Any area of the tree; only a few are offered at once (see
    ``AreaChoiceField.offer``), the rest by narrowing down."""

    def label_from_instance(self, obj):
        return area_label(obj)


def area_offer(selected: Area | None) -> list[Area]:
    """The areas a chooser shows around ``selected``: the districts, the
    chain from the city down to ``selected`` and its children, in tree
    order (at most a few hundred rows, three queries)."""
    rows = {a.pk: a for a in civic_selectors.area_children(parent=None)}
    if selected is not None:
        rows.update({a.pk: a for a in civic_selectors.area_ancestors(area=selected)})
        rows.update(
            {a.pk: a for a in civic_selectors.area_children(parent=selected)[:300]}
        )
    return sorted(rows.values(), key=lambda a: a.path)


class SuggestionForm(forms.Form):
    form_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("It arrived incomplete; please send it again."),
            "invalid": _("It arrived incomplete; please send it again."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=SUGGESTION_TITLE_MAX_LENGTH,
        help_text=_("In a few words: what is needed, and where."),
        error_messages={
            "required": _("Please give your suggestion a short title."),
            "max_length": _(
                "A title can be at most %(limit_value)d characters; "
                "yours has %(show_value)d."
            ),
        },
    )
    body = forms.CharField(
        label=_("Your suggestion"),
        max_length=SUGGESTION_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={
            "required": _("Please describe your suggestion."),
            "max_length": _(
                "A suggestion can be at most %(limit_value)d characters; "
                "yours has %(show_value)d."
            ),
        },
    )
    topic = NameChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("Not sure"),
        error_messages={"invalid_choice": _("This topic does not exist.")},
    )
    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("My home area"),
        help_text=_(
            "Where the need is, as precisely as you know: choose an area and "
            "“Show the areas inside it” to go down to a community or grid cell."
        ),
        error_messages={"invalid_choice": _("This area does not exist.")},
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "A JPEG, PNG or WebP image of at most 10 MB. Location and camera "
            "details are removed before it is stored."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(
        self,
        *args,
        home_area: Area | None = None,
        selected_area: Area | None = None,
        **kwargs,
    ):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.pop("maxlength", None)
        self.fields["body"].widget.attrs.pop("maxlength", None)
        selected = self._selected_area() or selected_area or home_area
        offered = area_offer(selected)
        field = self.fields["area"]
        field.widget.choices = [
            ("", field.empty_label),
            *((a.pk, area_label(a)) for a in offered),
        ]

    def _selected_area(self) -> Area | None:
        value = self.data.get("area") if self.is_bound else None
        if not value:
            return None
        try:
            return Area.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > photos.MAX_PHOTO_BYTES:
            # Refused before any decoding; the service checks the rest.
            raise forms.ValidationError(
                _("The photo is %(size)s MB; a photo can be at most %(max)d MB.")
                % {
                    "size": f"{photo.size / 1024 / 1024:.0f}",
                    "max": photos.MAX_PHOTO_BYTES // 2**20,
                }
            )
        return photo


class DemandFilterForm(AreaFilterForm):
    """The public list's filters, read from the query string. The area may
    be any level (``?area=<id>``); district and street selects narrow it
    down without JavaScript."""

    area = forms.ModelChoiceField(
        queryset=Area.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This area does not exist.")},
    )
    topic = NameChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("Any topic"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *PUBLIC_STATUSES],
    )
    department = NameChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Any department"),
    )

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out (and reported)."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return {
            "area": data["area"] or data["street"] or data["district"],
            "topic": data["topic"],
            "status": data["status"] or "",
            "department": data["department"],
            "q": (data["q"] or "").strip(),
        }


class DashboardFilterForm(forms.Form):
    department = NameChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All departments"),
    )
    district = NameChoiceField(
        label=_("District or county"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("The whole city"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = civic_selectors.area_children(parent=None)


# Console ----------------------------------------------------------------------


class TextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)


class AcceptForm(forms.Form):
    text = TextField(label=_("Public note"), required=False)


class AssignForm(forms.Form):
    department = NameChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        error_messages={
            "required": _("Choose a department."),
            "invalid_choice": _("This department does not exist."),
        },
    )
    text = TextField(
        label=_("Public note"),
        required=False,
        help_text=_("Shown in the demand's timeline with the transfer."),
    )


STATUS_CHOICES = [
    (s, label)
    for s, label in Demand.Status.choices
    if s not in (Demand.Status.NEW, Demand.Status.ASSIGNED, Demand.Status.MERGED)
]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=STATUS_CHOICES)
    text = TextField(
        label=_("Public text"),
        required=False,
        help_text=_("Required when declining: residents are told why."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Demand.Status.DECLINED
            and not (cleaned.get("text") or "").strip()
        ):
            self.add_error("text", _("Say publicly why the demand is declined."))
        return cleaned


class RespondForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (DemandUpdate.Kind.RESPONSE, DemandUpdate.Kind.RESPONSE.label),
            (DemandUpdate.Kind.PROGRESS, _("Progress update")),
        ],
        widget=forms.RadioSelect,
        initial=DemandUpdate.Kind.RESPONSE,
    )
    text = TextField(
        label=_("Text residents will read"),
        error_messages={"required": _("Write the text residents will read.")},
    )


class RenameForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = TextField(label=_("Summary"), required=False)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Demand.Priority.choices, coerce=int
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Demand.objects.none(),
        error_messages={
            "required": _("Choose the demand to merge into."),
            "invalid_choice": _("Choose one of the demands listed."),
        },
    )
    text = TextField(label=_("Public note"), required=False)

    def __init__(self, *args, targets=None, queryset=None, **kwargs):
        """``targets``: the demands offered (rendering); ``queryset``: every
        demand that may be chosen (validation)."""
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        if queryset is not None:
            field.queryset = queryset
        if targets is not None:
            field.queryset = Demand.objects.filter(pk__in=[t.pk for t in targets])
            field.choices = [("", "---------")] + [
                (t.pk, f"#{t.pk} {t.title}") for t in targets
            ]


class IdListField(forms.Field):
    """Several row ids (checkboxes the template lists); the service checks
    they belong where they should."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("Some of the chosen inputs do not belong to this demand.")
            ) from None


class SplitForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the new demand"),
        max_length=200,
        error_messages={"required": _("Give the demand a title.")},
    )
    summary = TextField(label=_("Summary"), required=False)
    sources = IdListField(
        label=_("Inputs to move"),
        error_messages={"required": _("Choose the inputs to move.")},
    )
