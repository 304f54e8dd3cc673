from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from consultations.models import (
    Attachment,
    ClosingExtension,
    Comment,
    Consultation,
    Outcome,
    OutcomeItem,
    Section,
)
from moderation import services as moderation_services


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "kind", "number", "heading", "anchor"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["size"]


class ExtensionInline(admin.TabularInline):
    model = ClosingExtension
    extra = 0
    readonly_fields = ["previous_closes_at", "new_closes_at", "reason", "created_by"]
    can_delete = False


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "opens_at", "closes_at", "published_at"]
    list_filter = ["department", "moderation"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["department", "areas", "topics"]
    readonly_fields = ["published_at", "archived_at", "created_by"]
    inlines = [SectionInline, AttachmentInline, ExtensionInline]
    list_select_related = ["department"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "consultation",
        "author",
        "stance",
        "status",
        "created_at",
    ]
    list_filter = ["status", "stance"]
    search_fields = ["body", "author__email", "author__display_name"]
    raw_id_fields = ["consultation", "section", "parent", "author", "outcome_item"]
    readonly_fields = ["idempotency_key", "support_count", "reply_count"]
    list_select_related = ["consultation", "author"]
    actions = ["approve", "hide_as_off_topic"]

    @admin.action(description=_("Approve (make visible)"))
    def approve(self, request, queryset):
        self._decide(request, queryset, moderation_services.comment_approve)

    @admin.action(description=_("Hide as off-topic"))
    def hide_as_off_topic(self, request, queryset):
        reason = str(_("Off-topic"))
        self._decide(
            request,
            queryset,
            lambda **kw: moderation_services.comment_hide(reason=reason, **kw),
        )

    def _decide(self, request, queryset, decide):
        try:
            for comment in queryset.select_related("consultation"):
                decide(moderator=request.user, comment=comment)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)


class OutcomeItemInline(admin.StackedInline):
    model = OutcomeItem
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["consultation", "published_at"]
    search_fields = ["consultation__title", "summary"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [OutcomeItemInline]
