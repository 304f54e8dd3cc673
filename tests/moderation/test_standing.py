"""moderation.selectors.participant_standing: an account's verified address
and the sanction in force, in one query, exactly as ``active_sanction``."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from moderation import selectors
from moderation.models import Sanction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def sanction(user, **fields) -> Sanction:
    return Sanction.objects.create(
        user=user,
        kind=fields.pop("kind", Sanction.Kind.MUTE),
        reason="重复发布广告",
        **fields,
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Sanction.Kind.MUTE, "ends_at": NOW + timedelta(days=3)},
        {"kind": Sanction.Kind.SUSPEND},
        {"kind": Sanction.Kind.WARN},
        {"ends_at": NOW - timedelta(hours=1)},
        {"lifted_at": NOW - timedelta(hours=1)},
        {"starts_at": NOW + timedelta(days=1)},
    ],
    ids=["muted", "suspended", "warned", "expired", "lifted", "not yet started"],
)
def test_standing_finds_the_sanction_active_sanction_finds(fields):
    user = UserFactory()
    sanction(user, **fields)

    expected = selectors.active_sanction(user=user)
    found = selectors.participant_standing(user=user).sanction

    assert found == expected
    if expected is not None:
        assert (found.kind, found.reason, found.ends_at, found.user_id) == (
            expected.kind,
            expected.reason,
            expected.ends_at,
            expected.user_id,
        )


def test_a_suspension_without_end_comes_before_a_mute_that_ends():
    user = UserFactory()
    sanction(user, ends_at=NOW + timedelta(days=3))
    suspension = sanction(user, kind=Sanction.Kind.SUSPEND)

    assert selectors.participant_standing(user=user).sanction == suspension
    assert selectors.active_sanction(user=user) == suspension


def test_of_two_mutes_the_one_ending_last_is_found():
    user = UserFactory()
    sanction(user, ends_at=NOW + timedelta(days=1))
    longer = sanction(user, ends_at=NOW + timedelta(days=7))

    assert selectors.participant_standing(user=user).sanction == longer


def test_only_a_verified_address_counts():
    verified, unverified, none = (
        UserFactory(),
        UserFactory(verified=False),
        UserFactory(verified=False),
    )
    EmailAddress.objects.create(user=unverified, email=unverified.email)

    assert selectors.participant_standing(user=verified).verified is True
    assert selectors.participant_standing(user=unverified).verified is False
    assert selectors.participant_standing(user=none).verified is False


def test_anonymous_has_no_standing_and_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        standing = selectors.participant_standing(user=AnonymousUser())

    assert standing == selectors.Standing(verified=False, sanction=None)


def test_standing_is_one_query_kept_on_the_user_until_forgotten(
    django_assert_num_queries,
):
    user = UserFactory()
    with django_assert_num_queries(1):
        assert selectors.participant_standing(user=user).sanction is None
        assert selectors.participant_standing(user=user).verified is True
    mute = sanction(user, ends_at=NOW + timedelta(days=3))

    assert selectors.participant_standing(user=user).sanction is None
    selectors.standing_forget(user=user)
    assert selectors.participant_standing(user=user).sanction == mute
