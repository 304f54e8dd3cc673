"""Unsubscribe links that work without logging in: a signed token names the
resident and what to stop (one kind of notification, or a digest)."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User
from notifications import preferences
from notifications.models import Notification, Preference

SALT = "notifications.unsubscribe"
DIGEST_PREFIX = "digest:"


@dataclass(frozen=True)
class Subscription:
    user: User
    # A notification kind, or "digest:daily" / "digest:weekly".
    what: str

    @property
    def kinds(self) -> list[str]:
        """The kinds whose mail the link turns off."""
        if self.what.startswith(DIGEST_PREFIX):
            channel = self.what.removeprefix(DIGEST_PREFIX)
            choices = preferences.preferences_of(user=self.user)
            return [kind for kind, chosen in choices.items() if chosen == channel]
        return [self.what]

    @property
    def label(self) -> str:
        if self.what == DIGEST_PREFIX + Preference.Channel.DAILY:
            return str(Preference.Channel.DAILY.label)
        if self.what == DIGEST_PREFIX + Preference.Channel.WEEKLY:
            return str(Preference.Channel.WEEKLY.label)
        return str(Notification.Kind(self.what).label)


def token_for(*, user_id: int, what: str) -> str:
    return signing.dumps({"u": user_id, "w": what}, salt=SALT, compress=True)


def subscription_from(token: str) -> Subscription | None:
    """The subscription a token names, or None if it was tampered with or
    names no active account or nothing known."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    what = data.get("w")
    known = set(Notification.Kind.values) | {
        DIGEST_PREFIX + Preference.Channel.DAILY,
        DIGEST_PREFIX + Preference.Channel.WEEKLY,
    }
    if what not in known:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        return None
    return Subscription(user=user, what=what)


def links(*, user_id: int, what: str) -> tuple[str, str]:
    """The page a person opens, and the one-click address for mail
    clients (RFC 8058), both absolute."""
    token = token_for(user_id=user_id, what=what)
    site = settings.SITE_URL.rstrip("/")
    return (
        site + reverse("notifications:unsubscribe", args=[token]),
        site + reverse("notifications:unsubscribe_one_click", args=[token]),
    )


def headers(*, one_click_url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{one_click_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
