"""Writes to accounts."""

from django.db import transaction

from accounts.models import User
from civic.models import Area


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    preferred_language: str,
    care_mode: bool,
    home_area: Area | None,
) -> User:
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.care_mode = care_mode
    user.home_area = home_area
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=["display_name", "preferred_language", "care_mode", "home_area"]
    )
    return user


def user_preference_set(*, user: User, **fields) -> None:
    """Remember a header choice (language, care mode) on the account."""
    allowed = {"preferred_language", "care_mode"}
    changes = {k: v for k, v in fields.items() if k in allowed}
    if user.is_authenticated and changes:
        User.objects.filter(pk=user.pk).update(**changes)
