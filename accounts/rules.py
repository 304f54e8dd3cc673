"""Who may do what with accounts and the console."""

import rules
from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Exists, OuterRef

from accounts.models import Membership, ModeratorRole, User


@rules.predicate
def is_official(user) -> bool:
    return user.is_authenticated and user.memberships.exists()


@rules.predicate
def is_moderator(user) -> bool:
    return user.is_authenticated and user.moderator_roles.exists()


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_superuser


@rules.predicate
def has_mfa(user) -> bool:
    return user.is_authenticated and is_mfa_enabled(user)


@rules.predicate
def needs_mfa(user) -> bool:
    """Official, moderator or administrator: one query, as every page's
    header asks."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Exists(Membership.objects.filter(user=OuterRef("pk")))
            | Exists(ModeratorRole.objects.filter(user=OuterRef("pk")))
        )
        .exists()
    )


rules.add_perm("accounts.access_console", needs_mfa & has_mfa)
rules.add_perm("accounts.see_console", needs_mfa)
rules.add_perm("accounts.change_profile", rules.is_authenticated)
