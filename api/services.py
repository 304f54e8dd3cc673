"""Writes of the api app: API keys."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import KEY_PREFIX_LENGTH, ApiKey

MAX_ACTIVE_KEYS = 5


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, user: User, name: str) -> tuple[ApiKey, str]:
    """A new key for ``user``; returns it with the raw key, shown once."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to create an API key."))
    # Lock the owner's row so two concurrent requests cannot pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name.")})
    active = ApiKey.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_KEYS:
        raise ValidationError(
            {
                "name": _("You can have at most %(n)d active keys; revoke one first.")
                % {"n": MAX_ACTIVE_KEYS}
            }
        )
    raw = secrets.token_urlsafe(32)
    key = ApiKey(
        user=user, name=name, prefix=raw[:KEY_PREFIX_LENGTH], key_hash=key_digest(raw)
    )
    key.full_clean(exclude=["user"])
    key.save()
    return key, raw


@transaction.atomic
def api_key_revoke(*, user: User, key: ApiKey) -> ApiKey:
    if key.user_id != user.pk and not user.is_superuser:
        raise PermissionDenied(_("This is not your key."))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_authenticate(*, raw: str) -> User | None:
    """The active owner of the active key ``raw``, noting its use."""
    if not raw or len(raw) > 200:
        return None
    key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=key_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.user.is_active:
        return None
    now = timezone.now()
    # One write a minute at most, not one per request.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.user
