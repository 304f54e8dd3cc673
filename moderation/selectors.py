"""Reads about moderation shared by other apps."""

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from consultations.models import Comment
from moderation.models import Flag, Sanction


def active_sanction(*, user) -> Sanction | None:
    """The mute or suspension in force for ``user``, if any."""
    if not user.is_authenticated:
        return None
    return Sanction.objects.active().filter(user=user).order_by("-ends_at").first()


def comment_queue(*, moderator) -> QuerySet[Comment]:
    """Comments awaiting a decision in what ``moderator`` covers: pending
    (pre-moderation) or reported, most reported and oldest first."""
    roles = list(moderator.moderator_roles.values_list("department_id", flat=True))
    if not roles:
        return Comment.objects.none()
    open_flags = Flag.objects.filter(
        content_type__app_label="consultations",
        content_type__model="comment",
        object_id=OuterRef("pk"),
        resolved_at__isnull=True,
    )
    comments = Comment.objects.annotate(
        flag_count=Coalesce(
            Subquery(
                open_flags.order_by()
                .values("object_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
    ).filter(Q(status=Comment.Status.PENDING) | Q(flag_count__gt=0))
    if None not in roles:
        comments = comments.filter(consultation__department_id__in=roles)
    return comments.select_related(
        "consultation", "consultation__department", "author", "section", "parent"
    ).order_by("-flag_count", "created_at", "pk")


def flag_reasons(*, comment_ids: list[int]) -> dict[int, list[str]]:
    """The open report reasons of each comment, for the queue."""
    reasons: dict[int, list[str]] = {}
    flags = Flag.objects.filter(
        content_type__app_label="consultations",
        content_type__model="comment",
        object_id__in=comment_ids,
        resolved_at__isnull=True,
    ).order_by("created_at")
    for flag in flags:
        reasons.setdefault(flag.object_id, []).append(flag.get_reason_display())
    return reasons
