"""Reads about moderation shared by other apps."""

from moderation.models import Sanction


def active_sanction(*, user) -> Sanction | None:
    """The mute or suspension in force for ``user``, if any."""
    if not user.is_authenticated:
        return None
    return Sanction.objects.active().filter(user=user).order_by("-ends_at").first()
