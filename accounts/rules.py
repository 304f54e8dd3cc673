"""Who may do what with accounts and the console."""

import rules
from allauth.mfa.utils import is_mfa_enabled


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


needs_mfa = is_official | is_moderator | is_administrator

rules.add_perm("accounts.access_console", needs_mfa & has_mfa)
rules.add_perm("accounts.see_console", needs_mfa)
rules.add_perm("accounts.change_profile", rules.is_authenticated)
