"""Hearings, their agenda and, once published, their record."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import absolute
from api.serializers.civic import DepartmentRefSerializer
from hearings.models import AgendaItem, Hearing, Record


class HearingSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Hearing.State.choices)
    consultation = serializers.IntegerField(source="consultation_id")
    department = DepartmentRefSerializer(source="consultation.department")
    url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Hearing
        fields = [
            "id",
            "title",
            "status",
            "consultation",
            "department",
            "starts_at",
            "ends_at",
            "venue",
            "stream_url",
            "registration_deadline",
            "testimony_deadline",
            "capacity",
            "registered_count",
            "url",
            "calendar_url",
        ]

    def get_url(self, hearing) -> str:
        return absolute(hearing.get_absolute_url())

    def get_calendar_url(self, hearing) -> str:
        return absolute(f"{hearing.get_absolute_url()}calendar.ics")


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title", "presenter", "planned_minutes"]


class AnsweredQuestionSerializer(serializers.Serializer):
    body = serializers.CharField()
    answer = serializers.CharField()
    upvote_count = serializers.IntegerField()


class TestimonySerializer(serializers.Serializer):
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_author_name(self, testimony) -> str | None:
        return testimony.author.display_name if testimony.author else None


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.display_name")


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Record
        fields = ["minutes", "transcript", "recording_url", "published_at"]


class HearingDetailSerializer(HearingSerializer):
    description = serializers.CharField()
    agenda = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()
    answered_questions = serializers.SerializerMethodField()
    testimonies = serializers.SerializerMethodField()

    class Meta(HearingSerializer.Meta):
        fields = [
            *HearingSerializer.Meta.fields,
            "description",
            "agenda",
            "record",
            "speakers",
            "answered_questions",
            "testimonies",
        ]

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, hearing):
        return AgendaItemSerializer(hearing.agenda.all(), many=True).data

    @extend_schema_field(RecordSerializer(allow_null=True))
    def get_record(self, hearing):
        record = self.context.get("record")
        return RecordSerializer(record).data if record is not None else None

    @extend_schema_field(SpeakerSerializer(many=True))
    def get_speakers(self, hearing):
        return SpeakerSerializer(self.context.get("speakers", []), many=True).data

    @extend_schema_field(AnsweredQuestionSerializer(many=True))
    def get_answered_questions(self, hearing):
        return AnsweredQuestionSerializer(
            self.context.get("questions", []), many=True
        ).data

    @extend_schema_field(TestimonySerializer(many=True))
    def get_testimonies(self, hearing):
        return TestimonySerializer(self.context.get("testimonies", []), many=True).data
