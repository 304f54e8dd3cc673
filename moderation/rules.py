"""Who may moderate what."""

import rules
from django.db.models import Q

from moderation import content


@rules.predicate
def moderates_consultation(user, consultation) -> bool:
    """Site-wide moderators, or moderators of the consultation's department."""
    if not user.is_authenticated or consultation is None:
        return False
    return user.moderator_roles.filter(
        Q(department__isnull=True) | Q(department_id=consultation.department_id)
    ).exists()


rules.add_perm("moderation.moderate_consultation", moderates_consultation)


@rules.predicate
def is_site_wide_moderator(user) -> bool:
    """Sanctions reach the whole account, so only site-wide moderators
    impose them."""
    if not user.is_authenticated:
        return False
    return user.moderator_roles.filter(department__isnull=True).exists()


rules.add_perm("moderation.sanction_user", is_site_wide_moderator)


@rules.predicate
def moderates_content(user, item) -> bool:
    """Moderators of the department the item (a comment, testimony or live
    question) belongs to; items of no department (suggestions) are for
    site-wide moderators."""
    if not user.is_authenticated or item is None:
        return False
    consultation = content.consultation_of(item)
    if consultation is None:
        return bool(is_site_wide_moderator(user))
    return bool(moderates_consultation(user, consultation))


rules.add_perm("moderation.moderate_content", moderates_content)
