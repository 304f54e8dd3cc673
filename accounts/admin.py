from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, ModeratorRole, User


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["department"]
    extra = 0


class ModeratorRoleInline(admin.TabularInline):
    model = ModeratorRole
    autocomplete_fields = ["department"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "home_area", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    autocomplete_fields = ["home_area"]
    inlines = [MembershipInline, ModeratorRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "home_area",
                    "preferred_language",
                    "care_mode",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "password1", "password2"],
            },
        ),
    ]
