"""Consultations, their draft's sections, outcome and public comments.

A comment carries its author's display name and nothing else about them;
a hidden or deleted comment is the page's placeholder: no text, no author.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import absolute
from api.serializers.civic import (
    AreaRefSerializer,
    DepartmentRefSerializer,
    TopicRefSerializer,
)
from consultations.models import (
    Comment,
    Consultation,
    Outcome,
    OutcomeItem,
    Section,
)


class ConsultationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Consultation.Status.choices)
    department = DepartmentRefSerializer()
    url = serializers.SerializerMethodField()
    outcome_published_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "summary",
            "status",
            "department",
            "opens_at",
            "closes_at",
            "published_at",
            "outcome_published_at",
            "url",
        ]

    def get_url(self, consultation) -> str:
        return absolute(consultation.get_absolute_url())


class SectionSerializer(serializers.ModelSerializer):
    comment_count = serializers.IntegerField()

    class Meta:
        model = Section
        fields = [
            "anchor",
            "position",
            "kind",
            "number",
            "heading",
            "body",
            "comment_count",
        ]


class OutcomeItemSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="anchor", read_only=True)
    answered_comment_count = serializers.IntegerField(source="answered_count")

    class Meta:
        model = OutcomeItem
        fields = [
            "position",
            "theme",
            "section",
            "what_was_said",
            "decision",
            "reason",
            "answered_comment_count",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    items = OutcomeItemSerializer(many=True)

    class Meta:
        model = Outcome
        fields = ["summary", "published_at", "items"]


class ExtensionSerializer(serializers.Serializer):
    previous_closes_at = serializers.DateTimeField()
    new_closes_at = serializers.DateTimeField()
    reason = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return absolute(attachment.file.url)


class ConsultationDetailSerializer(ConsultationSerializer):
    areas = AreaRefSerializer(many=True)
    topics = TopicRefSerializer(many=True)
    comment_count = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True)
    attachments = AttachmentSerializer(many=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [
            *ConsultationSerializer.Meta.fields,
            "body",
            "moderation",
            "comment_count",
            "areas",
            "topics",
            "attachments",
            "extensions",
            "sections",
            "outcome",
        ]

    def get_comment_count(self, consultation) -> int:
        return sum(self.context["comment_counts"].values())

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, consultation):
        return SectionSerializer(self.context["sections"], many=True).data

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, consultation):
        outcome = self.context.get("outcome")
        return OutcomeSerializer(outcome).data if outcome is not None else None


class DepartmentNameSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


# What a visitor may see of a comment: in full, or its place only.
PUBLIC_COMMENT_STATUSES = [
    Comment.Status.VISIBLE,
    Comment.Status.HIDDEN,
    Comment.Status.REMOVED,
]


def _shown(comment: Comment) -> bool:
    return comment.status == Comment.Status.VISIBLE


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PUBLIC_COMMENT_STATUSES)
    body = serializers.SerializerMethodField()
    author_name = serializers.SerializerMethodField()
    official_department = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited = serializers.SerializerMethodField()

    def get_body(self, comment) -> str | None:
        return comment.body if _shown(comment) else None

    def get_author_name(self, comment) -> str | None:
        if comment.status == Comment.Status.REMOVED or comment.author is None:
            return None
        return comment.author.display_name

    @extend_schema_field(DepartmentNameSerializer(allow_null=True))
    def get_official_department(self, comment):
        department = comment.official_department
        if department is None or comment.status == Comment.Status.REMOVED:
            return None
        return DepartmentNameSerializer(department).data

    def get_hidden_reason(self, comment) -> str | None:
        if comment.status != Comment.Status.HIDDEN:
            return None
        return comment.hidden_reason

    def get_edited(self, comment) -> bool:
        return comment.edited_at is not None and _shown(comment)


class CommentSerializer(ReplySerializer):
    section = serializers.SerializerMethodField()
    stance = serializers.SerializerMethodField()
    support_count = serializers.IntegerField()
    replies = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_section(self, comment) -> str | None:
        return comment.section.anchor if comment.section_id else None

    def get_stance(self, comment) -> str | None:
        if not _shown(comment):
            return None
        return comment.stance or None

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, comment):
        return ReplySerializer(comment.replies.all(), many=True).data

    def get_url(self, comment) -> str:
        return absolute(comment.get_absolute_url())


class CommentPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = CommentSerializer(many=True)
