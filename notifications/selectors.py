"""Reads of notifications and follows shared by pages and the header."""

from django.db.models import QuerySet

from accounts.models import User
from notifications.models import Follow, Notification


def notification_list(*, user: User) -> QuerySet[Notification]:
    """A resident's notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("consultation")


def unread_count(*, user: User) -> int:
    """How many notifications ``user`` has not read (one indexed count)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def is_following(*, user: User, consultation) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, consultation=consultation).exists()
