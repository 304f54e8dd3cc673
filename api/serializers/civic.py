"""The civic directory as open data: names in both languages, areas by
their administrative code."""

from rest_framework import serializers

from civic.models import Area, Department, Topic


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name_zh", "name_en", "level"]


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    level_name = serializers.CharField(source="get_level_display")

    class Meta:
        model = Area
        fields = ["code", "name_zh", "name_en", "level", "level_name", "parent", "path"]

    def get_parent(self, area) -> str | None:
        # The parent's code is the path's second-last part: no query.
        codes = [code for code in area.path.split("/") if code]
        return codes[-2] if len(codes) > 1 else None


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name_zh", "name_en", "description_zh", "description_en"]


class TopicRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name_zh", "name_en"]


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["slug", "name_zh", "name_en"]


class DepartmentSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Department
        fields = ["slug", "name_zh", "name_en", "area", "parent", "topics"]
