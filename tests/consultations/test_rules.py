"""The permission picture of consultations as a role × state matrix.

Each test checks one permission in one state for every role at once and
compares the set of roles that may act with the expected set, so a failure
reads as "these roles were allowed, these were expected".
"""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from moderation.models import Sanction
from tests.factories import (
    STATES,
    CommentFactory,
    DepartmentFactory,
    UserFactory,
    consultation_in,
    moderator,
    official,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = (
    "anonymous",
    "unverified",
    "resident",
    "muted",
    "other_official",
    "official",
    "moderator",
)
NOBODY: frozenset = frozenset()
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
# Verified, not sanctioned: may comment and support.
PARTICIPANTS = frozenset({"resident", "other_official", "official", "moderator"})
OWNER = frozenset({"official"})


def mute(user, **kwargs):
    return Sanction.objects.create(
        user=user,
        kind=kwargs.pop("kind", Sanction.Kind.MUTE),
        reason="重复发布广告",
        **kwargs,
    )


def people(department) -> dict:
    """One user per role; the officials and moderator belong to (or are
    outside) ``department``."""
    muted = UserFactory()
    mute(muted, ends_at=timezone.now() + timedelta(days=3))
    return {
        "anonymous": AnonymousUser(),
        "unverified": UserFactory(verified=False),
        "resident": UserFactory(),
        "muted": muted,
        "other_official": official(DepartmentFactory(), mfa=False),
        "official": official(department, mfa=False),
        "moderator": moderator(department, mfa=False),
    }


def allowed(users: dict, permission: str, obj=None) -> set:
    return {role for role, user in users.items() if user.has_perm(permission, obj)}


def by_state(**states) -> dict:
    """Expected roles per state; states not named allow nobody."""
    return {state: states.get(state, NOBODY) for state in STATES}


CONSULTATION_MATRIX = {
    "consultations.view_consultation": {
        **by_state(draft=OWNER),
        **{s: EVERYONE for s in STATES if s != "draft"},
    },
    "consultations.change_consultation": by_state(draft=OWNER, scheduled=OWNER),
    "consultations.extend_consultation": by_state(open=OWNER),
    "consultations.archive_consultation": by_state(responded=OWNER),
    "consultations.manage_consultation": dict.fromkeys(STATES, OWNER),
    "consultations.view_figures": dict.fromkeys(STATES, OWNER),
    "consultations.export_comments": dict.fromkeys(STATES, OWNER),
    "consultations.write_outcome": by_state(open=OWNER, closed=OWNER),
    "consultations.publish_outcome": by_state(closed=OWNER),
    "consultations.add_comment": by_state(open=PARTICIPANTS),
    "consultations.follow_consultation": {
        **by_state(),
        **{s: SIGNED_IN for s in STATES if s != "draft"},
    },
}
# States in which a consultation can hold comments.
COMMENT_STATES = ("open", "closed", "responded", "archived")
COMMENT_MATRIX = {
    "consultations.reply_officially": {
        "open": OWNER,
        "closed": OWNER,
        "responded": OWNER,
        "archived": NOBODY,
    },
    "consultations.change_comment": {
        "open": {"author"},
        "closed": NOBODY,
        "responded": NOBODY,
        "archived": NOBODY,
    },
    "consultations.delete_comment": {s: {"author"} for s in COMMENT_STATES},
    "consultations.support_comment": {
        "open": PARTICIPANTS,
        "closed": NOBODY,
        "responded": NOBODY,
        "archived": NOBODY,
    },
    "consultations.report_comment": dict.fromkeys(COMMENT_STATES, SIGNED_IN),
}


def test_every_consultation_permission_is_in_the_matrix():
    declared = {
        name
        for name in rules.permissions.permissions
        if name.startswith("consultations.")
    }
    covered = (
        set(CONSULTATION_MATRIX)
        | set(COMMENT_MATRIX)
        | {"consultations.add_consultation"}
    )
    assert declared == covered


@pytest.mark.parametrize(
    ("permission", "state"),
    [(p, s) for p in CONSULTATION_MATRIX for s in STATES],
)
def test_consultation_permission_by_role_and_state(permission, state):
    department = DepartmentFactory()
    users = people(department)
    consultation = consultation_in(state, department=department)

    assert allowed(users, permission, consultation) == set(
        CONSULTATION_MATRIX[permission][state]
    )


@pytest.mark.parametrize(
    ("permission", "state"),
    [(p, s) for p in COMMENT_MATRIX for s in COMMENT_STATES],
)
def test_comment_permission_by_role_and_state(permission, state):
    department = DepartmentFactory()
    users = people(department)
    consultation = consultation_in(state, department=department)
    comment = CommentFactory(consultation=consultation)
    users["author"] = comment.author

    assert allowed(users, permission, comment) == set(COMMENT_MATRIX[permission][state])


def test_only_officials_may_create_consultations():
    users = people(DepartmentFactory())

    assert allowed(users, "consultations.add_consultation") == {
        "official",
        "other_official",
    }


def test_author_may_edit_within_fifteen_minutes():
    comment = CommentFactory(created_at=timezone.now() - timedelta(minutes=14))

    assert comment.author.has_perm("consultations.change_comment", comment)


def test_author_may_not_edit_after_fifteen_minutes():
    comment = CommentFactory(created_at=timezone.now() - timedelta(minutes=16))

    assert not comment.author.has_perm("consultations.change_comment", comment)


def test_muted_author_may_not_edit():
    comment = CommentFactory()
    mute(comment.author)

    assert not comment.author.has_perm("consultations.change_comment", comment)


def test_muted_author_may_still_delete():
    comment = CommentFactory()
    mute(comment.author)

    assert comment.author.has_perm("consultations.delete_comment", comment)


@pytest.mark.parametrize(
    ("sanction", "may_comment"),
    [
        ({"kind": Sanction.Kind.MUTE}, False),
        ({"kind": Sanction.Kind.SUSPEND}, False),
        ({"kind": Sanction.Kind.WARN}, True),
        ({"ends_at": timezone.now() - timedelta(hours=1)}, True),
        ({"lifted_at": timezone.now() - timedelta(hours=1)}, True),
        ({"starts_at": timezone.now() + timedelta(days=1)}, True),
    ],
    ids=["muted", "suspended", "warned", "expired", "lifted", "not yet started"],
)
def test_only_sanctions_in_force_stop_commenting(sanction, may_comment):
    consultation = consultation_in("open")
    user = UserFactory()
    mute(user, **sanction)

    assert user.has_perm("consultations.add_comment", consultation) is may_comment


def test_nobody_supports_a_hidden_or_removed_comment():
    resident = UserFactory()
    hidden = CommentFactory(status="hidden")
    removed = CommentFactory(status="removed", body="")

    assert not resident.has_perm("consultations.support_comment", hidden)
    assert not resident.has_perm("consultations.support_comment", removed)
