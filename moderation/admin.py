from django.contrib import admin

from moderation.models import Flag, Sanction


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
