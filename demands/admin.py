from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from demands import services
from demands.models import (
    AnalysisRun,
    Demand,
    DemandSource,
    DemandUpdate,
    Suggestion,
)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "author",
        "area",
        "topic",
        "status",
        "support_count",
        "created_at",
    ]
    list_filter = ["status", "topic"]
    search_fields = ["title", "body"]
    raw_id_fields = ["author", "area"]
    readonly_fields = ["support_count", "form_key", "created_at", "updated_at"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected suggestions (make them public)"))
    def approve(self, request, queryset):
        done = 0
        for suggestion in queryset.exclude(status=Suggestion.Status.VISIBLE):
            try:
                services.suggestion_moderate(
                    moderator=request.user,
                    suggestion=suggestion,
                    status=Suggestion.Status.VISIBLE,
                )
                done += 1
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, str(error))
                break
        messages.success(request, _("%(n)d suggestions approved.") % {"n": done})


class DemandUpdateInline(admin.TabularInline):
    model = DemandUpdate
    fk_name = "demand"
    extra = 0
    fields = [
        "created_at",
        "kind",
        "author",
        "status_from",
        "status_to",
        "text",
        "is_public",
    ]
    readonly_fields = fields
    can_delete = False


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "department", "area", "resident_count", "score"]
    list_filter = ["status", "priority", "is_campaign", "topic"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["area", "merged_into", "central_source"]
    readonly_fields = [
        "resident_count",
        "support_count",
        "input_count",
        "score",
        "first_response_at",
        "resolved_at",
    ]
    inlines = [DemandUpdateInline]


@admin.register(DemandSource)
class DemandSourceAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "demand",
        "group_size",
        "is_campaign",
        "created_at",
    ]
    list_filter = ["kind", "is_campaign"]
    raw_id_fields = ["author", "area", "demand", "duplicate_of", "consultation"]
    search_fields = ["text"]


@admin.register(AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "progress", "stage", "duration_seconds"]
    readonly_fields = [f.name for f in AnalysisRun._meta.fields]
