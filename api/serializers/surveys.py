"""Surveys and, once the department publishes them, their results
(counts only: no response, no respondent, no open answer text)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import absolute
from api.serializers.civic import DepartmentRefSerializer
from surveys.models import Survey


class SurveySerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Survey.Status.choices)
    department = DepartmentRefSerializer()
    consultation = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    response_count = serializers.IntegerField()
    results_published = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title_zh",
            "title_en",
            "intro_zh",
            "intro_en",
            "status",
            "mode",
            "department",
            "consultation",
            "opens_at",
            "closes_at",
            "published_at",
            "results_published_at",
            "results_published",
            "response_count",
            "url",
        ]

    def get_results_published(self, survey) -> bool:
        return survey.results_published_at is not None

    def get_url(self, survey) -> str:
        return absolute(survey.get_absolute_url())


class BarSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class RankingSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    average_rank = serializers.FloatField(allow_null=True)
    borda = serializers.IntegerField()


class MatrixRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class MatrixSerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = MatrixRowSerializer(many=True)


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text_zh = serializers.CharField(source="question.text_zh")
    text_en = serializers.CharField(source="question.text_en")
    kind = serializers.CharField(source="question.kind")
    seen = serializers.IntegerField()
    answered = serializers.IntegerField()
    bars = BarSerializer(many=True)
    mean = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    minimum = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    ranking = RankingSerializer(many=True)
    matrix = serializers.SerializerMethodField()

    @extend_schema_field(MatrixSerializer(allow_null=True))
    def get_matrix(self, result):
        if not result.matrix:
            return None
        return {
            "columns": result.matrix["columns"],
            "rows": [
                {
                    "label": row["label"],
                    "counts": [n for n, _percent in row["cells"]],
                    "total": row["total"],
                }
                for row in result.matrix["rows"]
            ],
        }


class DistrictCountSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    name_zh = serializers.CharField(allow_null=True)
    name_en = serializers.CharField(allow_null=True)
    responses = serializers.IntegerField()


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    responses = serializers.IntegerField()
    results_published_at = serializers.DateTimeField()
    questions = QuestionResultSerializer(many=True)
    responses_per_day = BarSerializer(many=True)
    responses_by_district = DistrictCountSerializer(many=True)
