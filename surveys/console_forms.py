"""Forms of the survey builder: validation and cleaning only."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic import selectors as civic_selectors
from civic.models import Area
from consultations.models import Consultation
from surveys.logic import OPERATORS_FOR_KIND, Structure
from surveys.models import Page, Question, Survey

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DateTimeLocalField(forms.DateTimeField):
    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
    )

    def __init__(self, **kwargs):
        super().__init__(input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"], **kwargs)


class SurveyForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, required=False
    )
    intro_zh = forms.CharField(
        label=_("Introduction (Chinese)"),
        widget=forms.Textarea,
        max_length=3000,
        required=False,
    )
    intro_en = forms.CharField(
        label=_("Introduction (English)"),
        widget=forms.Textarea,
        max_length=3000,
        required=False,
    )
    department = NamedChoiceField(label=_("Department"), queryset=None)
    consultation = NamedChoiceField(
        label=_("Part of the consultation"),
        queryset=None,
        required=False,
        empty_label=_("None: a survey on its own"),
    )
    mode = forms.ChoiceField(
        label=_("Who may answer"), choices=Survey.Mode.choices, widget=forms.RadioSelect
    )
    areas = NamedMultipleChoiceField(
        label=_("Only residents of these districts (verified modes)"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = DateTimeLocalField(label=_("Opens"), required=False)
    closes_at = DateTimeLocalField(label=_("Closes"), required=False)

    def __init__(self, *args, departments, fixed_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        if fixed_department is not None:
            self.fields["department"].disabled = True
            self.fields["department"].initial = fixed_department
        self.fields["consultation"].queryset = Consultation.objects.filter(
            department__in=departments
        ).order_by("-pk")
        self.fields["areas"].queryset = civic_selectors.area_children(parent=None)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if data.get("areas") and data.get("mode") == Survey.Mode.ANONYMOUS:
            self.add_error(
                "areas",
                _(
                    "An anonymous survey cannot check where people live; choose a "
                    "verified mode to limit it to areas."
                ),
            )
        consultation = data.get("consultation")
        department = data.get("department")
        if consultation and department and consultation.department_id != department.pk:
            self.add_error(
                "consultation", _("Choose a consultation of the same department.")
            )
        return data

    @staticmethod
    def initial_for(survey: Survey) -> dict:
        initial = {
            name: getattr(survey, name)
            for name in (
                "title_zh",
                "title_en",
                "intro_zh",
                "intro_en",
                "mode",
                "consultation",
                "department",
            )
        }
        for name in ("opens_at", "closes_at"):
            value = getattr(survey, name)
            initial[name] = timezone.localtime(value) if value else None
        initial["areas"] = list(survey.areas.all())
        return initial


def _earlier_questions(structure: Structure, before) -> list[Question]:
    """Questions a condition may use: earlier ones of a supported kind."""
    ordered = structure.ordered_questions()
    if isinstance(before, Page):
        pages = [p.pk for p in structure.pages]
        index = pages.index(before.pk) if before.pk in pages else len(pages)
        earlier = [q for q in ordered if pages.index(q.page_id) < index]
    elif before is not None and before.pk:
        earlier = ordered[: [q.pk for q in ordered].index(before.pk)]
    else:
        earlier = ordered
    return [q for q in earlier if q.kind in OPERATORS_FOR_KIND]


class ConditionFields(forms.Form):
    """ "Show only when …": an earlier question, an operator, and an option
    or a number."""

    condition_question = forms.TypedChoiceField(
        label=_("Show only when the answer to"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    condition_operator = forms.ChoiceField(
        label=_("Condition"),
        required=False,
        choices=[("", "—"), *list(Page.Operator.choices)],
    )
    condition_choice = forms.TypedChoiceField(
        label=_("Option"), required=False, coerce=int, empty_value=None
    )
    condition_number = forms.DecimalField(
        label=_("Number"), required=False, max_digits=12, decimal_places=2
    )

    def setup_conditions(self, structure: Structure, before) -> None:
        self.structure = structure
        questions = _earlier_questions(structure, before)
        self.fields["condition_question"].choices = [("", _("Always show"))] + [
            (q.pk, q.text) for q in questions
        ]
        self.fields["condition_choice"].choices = [("", "—")] + [
            (c.pk, f"{q.text}: {c.text}")
            for q in questions
            for c in structure.options.get(q.pk, [])
        ]

    def clean(self):
        data = super().clean()
        question_id = data.get("condition_question")
        question = self.structure.question(question_id) if question_id else None
        data["condition_question"] = question
        choice_id = data.get("condition_choice")
        data["condition_choice"] = next(
            (
                c
                for group in self.structure.options.values()
                for c in group
                if c.pk == choice_id
            ),
            None,
        )
        if question and not data.get("condition_operator"):
            self.add_error("condition_operator", _("Choose how to compare the answer."))
        return data


class PageForm(ConditionFields):
    title_zh = forms.CharField(
        label=_("Page title (Chinese)"), max_length=200, required=False
    )
    title_en = forms.CharField(
        label=_("Page title (English)"), max_length=200, required=False
    )

    field_order = ["title_zh", "title_en"]


KIND_FIELDS = {
    Question.Kind.SINGLE: ["dropdown"],
    Question.Kind.MULTIPLE: ["min_choices", "max_choices"],
    Question.Kind.RATING: [
        "scale_min",
        "scale_max",
        "low_label_zh",
        "low_label_en",
        "high_label_zh",
        "high_label_en",
    ],
    Question.Kind.NUMBER: ["number_min", "number_max"],
}
SCALES = [(1, "1–5"), (0, "0–10")]


class QuestionForm(ConditionFields):
    text_zh = forms.CharField(label=_("Question (Chinese)"), max_length=500)
    text_en = forms.CharField(
        label=_("Question (English)"), max_length=500, required=False
    )
    help_zh = forms.CharField(
        label=_("Help text (Chinese)"), max_length=500, required=False
    )
    help_en = forms.CharField(
        label=_("Help text (English)"), max_length=500, required=False
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    dropdown = forms.BooleanField(
        label=_("Show the options as a dropdown"), required=False
    )
    min_choices = forms.IntegerField(
        label=_("At least this many options"), min_value=0, max_value=50, required=False
    )
    max_choices = forms.IntegerField(
        label=_("At most this many options"), min_value=1, max_value=50, required=False
    )
    scale_min = forms.TypedChoiceField(
        label=_("Scale"), choices=SCALES, coerce=int, initial=1
    )
    scale_max = forms.IntegerField(required=False, widget=forms.HiddenInput)
    low_label_zh = forms.CharField(
        label=_("Low end label (Chinese)"), max_length=60, required=False
    )
    low_label_en = forms.CharField(
        label=_("Low end label (English)"), max_length=60, required=False
    )
    high_label_zh = forms.CharField(
        label=_("High end label (Chinese)"), max_length=60, required=False
    )
    high_label_en = forms.CharField(
        label=_("High end label (English)"), max_length=60, required=False
    )
    number_min = forms.DecimalField(
        label=_("Smallest number"), required=False, max_digits=12, decimal_places=2
    )
    number_max = forms.DecimalField(
        label=_("Largest number"), required=False, max_digits=12, decimal_places=2
    )

    field_order = ["text_zh", "text_en", "help_zh", "help_en", "required"]

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        specific = {name for names in KIND_FIELDS.values() for name in names}
        for name in specific - set(KIND_FIELDS.get(kind, [])):
            del self.fields[name]
        if kind != Question.Kind.RATING:
            self.fields.pop("scale_max", None)
            self.fields.pop("scale_min", None)

    def clean(self):
        data = super().clean()
        if self.kind == Question.Kind.RATING:
            data["scale_max"] = 5 if data.get("scale_min") == 1 else 10
        low, high = data.get("min_choices"), data.get("max_choices")
        if low and high and low > high:
            self.add_error("max_choices", _("The most cannot be fewer than the least."))
        low, high = data.get("number_min"), data.get("number_max")
        if low is not None and high is not None and low >= high:
            self.add_error("number_max", _("The largest must be above the smallest."))
        return data

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields}

    @staticmethod
    def initial_for(question: Question) -> dict:
        names = [
            "text_zh",
            "text_en",
            "help_zh",
            "help_en",
            "required",
            "dropdown",
            "min_choices",
            "max_choices",
            "scale_min",
            "scale_max",
            "low_label_zh",
            "low_label_en",
            "high_label_zh",
            "high_label_en",
            "number_min",
            "number_max",
            "condition_operator",
            "condition_number",
        ]
        initial = {name: getattr(question, name) for name in names}
        initial["condition_question"] = question.condition_question_id
        initial["condition_choice"] = question.condition_choice_id
        return initial


class OptionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text_zh = forms.CharField(
        label=_("Option (Chinese)"), max_length=200, required=False
    )
    text_en = forms.CharField(
        label=_("Option (English)"), max_length=200, required=False
    )
    is_other = forms.BooleanField(label=_("Other, please specify"), required=False)


OptionFormSet = forms.formset_factory(
    OptionForm, extra=3, can_order=True, can_delete=True, max_num=50, absolute_max=60
)


def option_items(formset) -> list[dict]:
    """The formset's options in the order the official chose."""
    items = []
    for form in formset.ordered_forms + [
        f for f in formset.forms if f not in formset.ordered_forms
    ]:
        data = form.cleaned_data
        if not data:
            continue
        items.append({**data, "delete": data.get("DELETE", False)})
    return items


def option_initial(choices) -> list[dict]:
    return [
        {
            "id": c.pk,
            "text_zh": c.text_zh,
            "text_en": c.text_en,
            "is_other": c.is_other,
            "ORDER": index + 1,
        }
        for index, c in enumerate(choices)
    ]
