"""The demands permission picture, role by role."""

import pytest

from demands.models import Demand, Suggestion
from moderation.models import Sanction
from tests.demands.factories import DemandFactory, SuggestionFactory
from tests.factories import DepartmentFactory, UserFactory, moderator, official

pytestmark = pytest.mark.django_db
Status = Demand.Status


@pytest.mark.parametrize(
    ("status", "department_set", "role", "triage", "answer"),
    [
        (Status.NEW, False, "resident", False, False),
        (Status.NEW, False, "other_official", True, False),
        (Status.NEW, True, "other_official", False, False),
        (Status.NEW, True, "official", True, True),
        (Status.ASSIGNED, True, "official", True, True),
        (Status.ASSIGNED, True, "other_official", False, False),
        (Status.IN_PROGRESS, True, "moderator", False, False),
        (Status.RESOLVED, True, "official", True, True),
        (Status.MERGED, True, "official", False, False),
    ],
)
def test_demand_permissions(status, department_set, role, triage, answer):
    department = DepartmentFactory()
    user = {
        "resident": UserFactory,
        "other_official": lambda: official(),
        "official": lambda: official(department),
        "moderator": lambda: moderator(department),
    }[role]()
    extra = {"merged_into": DemandFactory()} if status == Status.MERGED else {}
    demand = DemandFactory(
        status=status, department=department if department_set else None, **extra
    )
    assert user.has_perm("demands.triage_demand", demand) is triage
    assert user.has_perm("demands.answer_demand", demand) is answer


def test_suggestion_permissions():
    suggestion = SuggestionFactory()
    resident = UserFactory()
    assert resident.has_perm("demands.add_suggestion")
    assert resident.has_perm("demands.support_suggestion", suggestion)
    assert not suggestion.author.has_perm("demands.support_suggestion", suggestion)
    assert not UserFactory(verified=False).has_perm("demands.add_suggestion")
    pending = SuggestionFactory(status=Suggestion.Status.PENDING)
    assert not resident.has_perm("demands.view_suggestion", pending)
    assert pending.author.has_perm("demands.view_suggestion", pending)
    assert not resident.has_perm("demands.support_suggestion", pending)


def test_sanctioned_resident_cannot_suggest():
    resident = UserFactory()
    Sanction.objects.create(user=resident, kind="suspend", reason="spam")
    assert not resident.has_perm("demands.add_suggestion")


def test_only_officials_run_the_analysis():
    assert official().has_perm("demands.run_analysis")
    assert not UserFactory().has_perm("demands.run_analysis")
    assert not moderator().has_perm("demands.run_analysis")
