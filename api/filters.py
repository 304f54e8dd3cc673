"""Query parameters of the list endpoints: validated (a bad value is a 400
with the reason, never a 500) and turned into the selectors' filters.

The same serializers document the parameters in the OpenAPI schema.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civic.models import Area, Department, Topic
from consultations.models import Consultation
from demands.models import Demand
from surveys.models import Survey


def day_start(day) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class _Lookup(serializers.CharField):
    """A code or slug naming a row of ``model``; an unknown one is a 400."""

    def __init__(self, *, model, field, **kwargs):
        self.model, self.field = model, field
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        found = None
        if len(value) <= 100:
            found = self.model.objects.filter(**{self.field: value}).first()
        if found is None:
            raise serializers.ValidationError(
                _("No such %(name)s.") % {"name": self.model._meta.verbose_name}
            )
        return found


def area_field():
    return _Lookup(
        model=Area,
        field="code",
        help_text=_("Administrative code of an area; its sub-areas are included."),
    )


def topic_field():
    return _Lookup(model=Topic, field="slug", help_text=_("Slug of a topic."))


def department_field():
    return _Lookup(model=Department, field="slug", help_text=_("Slug of a department."))


class DateRange(serializers.Serializer):
    since = serializers.DateField(
        required=False, help_text=_("From this day (inclusive, Beijing time).")
    )
    until = serializers.DateField(
        required=False, help_text=_("Up to this day (inclusive, Beijing time).")
    )

    def validate(self, attrs):
        if (
            attrs.get("since")
            and attrs.get("until")
            and attrs["since"] > attrs["until"]
        ):
            raise serializers.ValidationError(
                {"until": _("The end date is before the start date.")}
            )
        return attrs


class ConsultationQuery(DateRange):
    status = serializers.ChoiceField(
        choices=[s for s in Consultation.Status.values if s != "draft"],
        required=False,
    )
    area = area_field()
    topic = topic_field()
    department = department_field()
    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Words to search for.")
    )


class DemandQuery(DateRange):
    status = serializers.ChoiceField(
        choices=[s for s in Demand.Status.values if s != "merged"], required=False
    )
    area = area_field()
    topic = topic_field()
    department = department_field()
    q = serializers.CharField(
        required=False, max_length=100, help_text=_("Words to search for.")
    )


class SurveyQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s for s in Survey.Status.values if s != "draft"], required=False
    )
    department = department_field()


class HearingQuery(serializers.Serializer):
    when = serializers.ChoiceField(
        choices=["upcoming", "past"], required=False, default="upcoming"
    )
    department = department_field()


class AreaQuery(serializers.Serializer):
    parent = area_field()
    level = serializers.ChoiceField(choices=Area.Level.values, required=False)


class CommentQuery(serializers.Serializer):
    sort = serializers.ChoiceField(
        choices=["newest", "supported"], required=False, default="newest"
    )
    section = serializers.SlugField(
        required=False, max_length=60, help_text=_("Anchor of a section.")
    )
    cursor = serializers.CharField(required=False, max_length=200)


def parse(serializer_class, request) -> dict:
    """The validated query parameters of ``request`` (400 when invalid)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
