"""Public forms: the list filters, comments, replies, edits and reports.

Forms validate and clean only; the services decide and write.
"""

import uuid

from django import forms
from django.db import connection
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.forms import AreaFilterForm, NameChoiceField
from civic.models import Department, Topic
from consultations.models import COMMENT_MAX_LENGTH, Comment, Consultation, Section
from moderation.models import Flag

PUBLIC_STATUSES = [
    (value, label)
    for value, label in Consultation.Status.choices
    if value != Consultation.Status.DRAFT
]


class ConsultationFilterForm(AreaFilterForm):
    """The list's filters, read from the query string."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *PUBLIC_STATUSES],
    )
    topic = NameChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("Any topic"),
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
            "status": data["status"] or "",
            "area": data["street"] or data["district"],
            "topic": data["topic"],
            "department": data["department"],
            "q": (data["q"] or "").strip(),
        }


class BodyField(forms.CharField):
    """A comment's text: the limit is checked, never enforced by the browser
    cutting a paste short, so nothing typed is lost."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your comment"))
        super().__init__(
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={
                "required": _("Please write your comment."),
                "max_length": _(
                    "A comment can be at most %(limit_value)d characters; "
                    "yours has %(show_value)d."
                ),
            },
            **kwargs,
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-max-length"] = str(COMMENT_MAX_LENGTH)
        attrs["data-count-left"] = _("{n} characters left")
        attrs["data-count-over"] = _("{n} characters too many")
        return attrs


class IdempotencyKeyField(forms.UUIDField):
    def __init__(self, **kwargs):
        incomplete = _("It arrived incomplete; please send it again.")
        super().__init__(
            label=_("This form"),
            widget=forms.HiddenInput,
            error_messages={"required": incomplete, "invalid": incomplete},
            **kwargs,
        )


class SectionChoiceField(forms.ModelChoiceField):
    """An article of one consultation's draft, by its anchor.

    The form page lists the choices from ``queryset``; a submitted anchor is
    looked up with one plain statement meaning the same rows (this
    consultation's sections, chapter titles left out), as the ORM spent
    longer building that query than PostgreSQL took to answer it.
    """

    consultation_id: int | None = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, Section):
            value = value.anchor
        section = _commentable_section(self.consultation_id, str(value))
        if section is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return section


def _commentable_section(consultation_id: int, anchor: str) -> Section | None:
    quote = connection.ops.quote_name
    fields = Section._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} "  # noqa: S608 - names from _meta
        f"FROM {quote(Section._meta.db_table)} "
        "WHERE consultation_id = %s AND anchor = %s AND kind <> %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [consultation_id, anchor, Section.Kind.CHAPTER.value])
        row = cursor.fetchone()
    if row is None:
        return None
    return Section.from_db(connection.alias, [f.attname for f in fields], row)


class CommentForm(forms.Form):
    """A top-level comment on the whole draft or on one of its sections."""

    stance = forms.ChoiceField(
        label=_("Your position"),
        choices=Comment.Stance.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    section = SectionChoiceField(
        label=_("About"),
        queryset=Section.objects.none(),
        to_field_name="anchor",
        required=False,
        empty_label=_("The whole draft"),
        error_messages={
            "invalid_choice": _("Choose an article of this draft to comment on.")
        },
    )
    body = BodyField()
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, consultation: Consultation, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = consultation.sections.exclude(
            kind=Section.Kind.CHAPTER
        ).order_by("position")
        self.fields["section"].consultation_id = consultation.pk
        self.fields["section"].label_from_instance = str
        # Formatted per request: a lazy string formatted at import time
        # would stay in the language of whoever loaded the module first.
        self.fields["body"].help_text = gettext(
            "Plain text, at most %(max)d characters."
        ) % {"max": COMMENT_MAX_LENGTH}


class ReplyForm(forms.Form):
    """A reply to a top-level comment; officials may reply officially."""

    body = BodyField(label=_("Your reply"))
    official = forms.BooleanField(required=False)
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class CommentEditForm(forms.Form):
    body = BodyField()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
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
