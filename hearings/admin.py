from django.contrib import admin

from hearings.models import AgendaItem, Hearing, LiveQuestion, Registration, Testimony


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "state", "registered_count", "capacity"]
    list_filter = ["state"]
    raw_id_fields = ["consultation", "created_by", "current_item", "now_speaking"]
    inlines = [AgendaInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["hearing", "user", "kind", "status", "speaker"]
    list_filter = ["status", "kind", "speaker"]
    raw_id_fields = ["hearing", "user"]


@admin.register(LiveQuestion)
class LiveQuestionAdmin(admin.ModelAdmin):
    list_display = ["hearing", "status", "answer_state", "upvote_count"]
    list_filter = ["status", "answer_state"]
    raw_id_fields = ["hearing", "author", "author_area", "merged_into"]


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = ["hearing", "author", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["hearing", "author", "author_area"]
