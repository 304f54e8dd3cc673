from django.contrib import admin

from moderation import screening
from moderation.models import Appeal, Flag, ModerationAction, Sanction, WordFilter


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "reason", "reporter", "created_at"]
    list_filter = ["reason", "content_type"]
    raw_id_fields = ["reporter"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "created_by"]
    search_fields = ["user__email", "user__display_name"]


@admin.register(WordFilter)
class WordFilterAdmin(admin.ModelAdmin):
    list_display = ["pattern", "is_regex", "action", "note", "created_at"]
    list_filter = ["action", "is_regex"]
    search_fields = ["pattern", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        screening.filters_forget()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        screening.filters_forget()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        screening.filters_forget()


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read-only: the database refuses changes anyway."""

    list_display = ["created_at", "kind", "actor", "subject", "department", "reason"]
    list_filter = ["kind"]
    search_fields = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["action", "appellant", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["appellant", "decided_by", "action"]
