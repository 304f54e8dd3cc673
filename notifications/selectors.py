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


FOLLOW_LIST_LIMIT = 500


def follow_list(*, user: User) -> list[Follow]:
    """What ``user`` follows (at most ``FOLLOW_LIST_LIMIT``), each target
    joined in the same query, grouped by type."""
    return list(
        Follow.objects.filter(user=user)
        .select_related("consultation", "area", "topic", "department", "demand")
        .order_by("-created_at", "-pk")[:FOLLOW_LIST_LIMIT]
    )


def follow_target(*, target: str, pk: int):
    """The thing of type ``target`` a follow button names, or None."""
    model = Follow._meta.get_field(target).related_model
    return model.objects.filter(pk=pk).first()


def is_following_target(*, user: User, **target) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, **target).exists()
