from django.contrib import admin

from civic.models import Area, Department, Topic


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "slug", "area", "parent"]
    search_fields = ["name_zh", "name_en", "slug"]
    autocomplete_fields = ["area", "parent"]
    filter_horizontal = ["topics"]
    list_select_related = ["area", "parent"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_zh", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_zh", "name_en"]
