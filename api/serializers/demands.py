"""Demands with their public timeline and the number of inputs of each
kind behind them, and the accountability figures."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import absolute, demand_path
from api.serializers.civic import (
    AreaRefSerializer,
    DepartmentRefSerializer,
    TopicRefSerializer,
)
from demands.models import Demand, DemandSource, DemandUpdate


class SourceCountsSerializer(serializers.Serializer):
    """Inputs behind a demand, by kind (``DemandSource.Kind``)."""

    comment = serializers.IntegerField()
    survey_answer = serializers.IntegerField()
    testimony = serializers.IntegerField()
    question = serializers.IntegerField()
    suggestion = serializers.IntegerField()

    def to_representation(self, counts):
        return {kind: counts.get(kind, 0) for kind in DemandSource.Kind.values}


class DemandSerializer(serializers.ModelSerializer):
    topic = TopicRefSerializer(allow_null=True)
    area = AreaRefSerializer(allow_null=True)
    department = DepartmentRefSerializer(allow_null=True)
    source_counts = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Demand
        fields = [
            "id",
            "title",
            "summary",
            "status",
            "priority",
            "topic",
            "area",
            "department",
            "resident_count",
            "support_count",
            "input_count",
            "source_counts",
            "created_at",
            "updated_at",
            "first_response_at",
            "resolved_at",
            "url",
        ]

    @extend_schema_field(SourceCountsSerializer)
    def get_source_counts(self, demand):
        counts = self.context.get("source_counts", {}).get(demand.pk, {})
        return SourceCountsSerializer(counts).data

    def get_url(self, demand) -> str:
        return absolute(demand_path(demand))


class DemandUpdateSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(source="department_to", allow_null=True)
    related_demand = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = DemandUpdate
        fields = [
            "id",
            "kind",
            "status_from",
            "status_to",
            "text",
            "department",
            "related_demand",
            "created_at",
        ]


class DemandDetailSerializer(DemandSerializer):
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    keywords = serializers.ListField(child=serializers.CharField())
    updates = serializers.SerializerMethodField()

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "merged_into", "keywords", "updates"]

    @extend_schema_field(DemandUpdateSerializer(many=True))
    def get_updates(self, demand):
        return DemandUpdateSerializer(self.context["updates"], many=True).data


class FiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    responded = serializers.IntegerField()
    resolved = serializers.IntegerField()
    declined = serializers.IntegerField()
    median_days_to_response = serializers.FloatField(allow_null=True)
    median_days_to_resolution = serializers.FloatField(allow_null=True)


class DepartmentFiguresSerializer(FiguresSerializer):
    department = DepartmentRefSerializer(allow_null=True)


class DistrictFiguresSerializer(FiguresSerializer):
    area = AreaRefSerializer(allow_null=True)


class AccountabilitySerializer(serializers.Serializer):
    overall = FiguresSerializer(allow_null=True)
    departments = DepartmentFiguresSerializer(many=True)
    districts = DistrictFiguresSerializer(many=True)
