from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiKey
from api.services import MAX_ACTIVE_KEYS, api_key_create


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["user", "name", "revoked_at"]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        if self.instance.pk is None and user is not None:
            active = ApiKey.objects.filter(user=user, revoked_at__isnull=True)
            if active.count() >= MAX_ACTIVE_KEYS:
                raise forms.ValidationError(
                    _("This account already has %(n)d active keys; revoke one first.")
                    % {"n": MAX_ACTIVE_KEYS}
                )
        return cleaned


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email", "user__display_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = api_key_create(user=obj.user, name=obj.name)
        obj.pk = key.pk
        obj.prefix, obj.key_hash = key.prefix, key.key_hash
        messages.warning(
            request,
            _(
                "The new key is %(key)s — give it to its owner now; "
                "it is not shown again."
            )
            % {"key": raw},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
