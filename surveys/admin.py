from django.contrib import admin

from surveys.models import Survey, SurveyExport


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title_zh", "department", "mode", "opens_at", "closes_at"]
    list_filter = ["mode", "department"]
    search_fields = ["title_zh", "title_en"]
    readonly_fields = ["published_at", "results_published_at", "started_count"]


@admin.register(SurveyExport)
class SurveyExportAdmin(admin.ModelAdmin):
    list_display = ["survey", "format", "state", "created_at"]
    readonly_fields = ["file", "state", "total", "done", "error", "finished_at"]
