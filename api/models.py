"""API keys: what lets another system post to Open311 as a resident.

Only a SHA-256 of the key is stored; the key itself is shown once, when it
is made.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

KEY_PREFIX_LENGTH = 8


class ApiKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key, shown so its owner can tell keys
    # apart; not enough to use it.
    prefix = models.CharField(max_length=KEY_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        indexes = [
            models.Index(
                fields=["user"],
                name="apikey_active_user",
                condition=Q(revoked_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
