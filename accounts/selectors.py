"""Reads about accounts and roles."""

from accounts.models import Membership, ModeratorRole, User
from consultations import console_selectors


def console_overview(*, user: User) -> dict:
    """The departments an official serves, their consultations by status,
    and what a moderator covers."""
    memberships = Membership.objects.filter(user=user).select_related(
        "department", "department__area"
    )
    moderator_roles = ModeratorRole.objects.filter(user=user).select_related(
        "department"
    )
    return {
        "memberships": memberships,
        "moderator_roles": moderator_roles,
        "consultation_groups": console_selectors.official_consultations(user=user),
    }
