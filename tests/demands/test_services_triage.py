"""Officials' work on demands: every step is a DemandUpdate; declining
needs a reason; transfers are logged; merge moves inputs and links; split
moves the chosen inputs; public updates reach every resident behind the
demand, once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from demands import services
from demands.models import Demand, DemandSource, DemandUpdate
from demands.services import notices
from notifications.models import Follow, Notification
from tests.demands.factories import (
    DemandFactory,
    SuggestionFactory,
    comment_source,
    source_for,
)
from tests.factories import DepartmentFactory, UserFactory, official

pytestmark = pytest.mark.django_db
Status = Demand.Status
Kind = DemandUpdate.Kind


def assigned_demand(department=None, **kwargs):
    department = department or DepartmentFactory()
    return DemandFactory(department=department, status=Status.ASSIGNED, **kwargs)


def test_any_official_accepts_a_new_unassigned_demand():
    demand = DemandFactory()
    services.demand_accept(by=official(), demand=demand)
    demand.refresh_from_db()
    assert demand.status == Status.ACCEPTED
    update = demand.updates.get()
    assert (update.kind, update.status_from, update.status_to) == (
        Kind.STATUS,
        Status.NEW,
        Status.ACCEPTED,
    )


def test_a_resident_cannot_accept():
    demand = DemandFactory()
    with pytest.raises(PermissionDenied):
        services.demand_accept(by=UserFactory(), demand=demand)
    assert not demand.updates.exists()


def test_assigning_logs_the_transfer_and_sets_assigned():
    demand = DemandFactory()
    department = DepartmentFactory()
    services.demand_assign(by=official(), demand=demand, department=department)
    demand.refresh_from_db()
    assert demand.department == department
    assert demand.status == Status.ASSIGNED
    update = demand.updates.get(kind=Kind.TRANSFER)
    assert update.department_from is None
    assert update.department_to == department


def test_transfer_between_departments_is_logged_with_both():
    first, second = DepartmentFactory(), DepartmentFactory()
    demand = assigned_demand(first)
    services.demand_assign(
        by=official(first), demand=demand, department=second, text="属于交通部门职责"
    )
    update = demand.updates.get(kind=Kind.TRANSFER)
    assert (update.department_from, update.department_to) == (first, second)
    assert update.text == "属于交通部门职责"


def test_an_official_of_another_department_cannot_transfer():
    demand = assigned_demand()
    with pytest.raises(PermissionDenied):
        services.demand_assign(
            by=official(), demand=demand, department=DepartmentFactory()
        )


def test_declining_needs_a_reason(english):
    department = DepartmentFactory()
    demand = assigned_demand(department)
    with pytest.raises(ValidationError) as refused:
        services.demand_set_status(
            by=official(department), demand=demand, status=Status.DECLINED, text=" "
        )
    assert refused.value.message_dict == {
        "text": ["Say publicly why the demand is declined."]
    }
    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED
    assert not demand.updates.exists()


def test_resolving_records_times_and_first_response():
    department = DepartmentFactory()
    demand = assigned_demand(department)
    services.demand_set_status(
        by=official(department), demand=demand, status=Status.RESOLVED, text="已完成"
    )
    demand.refresh_from_db()
    assert demand.status == Status.RESOLVED
    assert demand.resolved_at is not None
    assert demand.first_response_at is not None


def test_a_status_the_lifecycle_does_not_allow_is_refused():
    department = DepartmentFactory()
    demand = DemandFactory(department=department, status=Status.RESOLVED)
    with pytest.raises(ValidationError):
        services.demand_set_status(
            by=official(department), demand=demand, status=Status.ACCEPTED, text=""
        )


def test_response_is_published_and_residents_are_notified_once(
    django_capture_on_commit_callbacks,
):
    department = DepartmentFactory()
    demand = assigned_demand(department)
    first = comment_source(demand)
    second = comment_source(demand)
    comment_source(demand, author=first.author)  # the same resident again
    suggestion = SuggestionFactory()
    source_for(suggestion, demand)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.demand_respond(
            by=official(department), demand=demand, text="下月起增加班次。"
        )
    notified = Notification.objects.filter(key=notices.notice_key(update))
    assert sorted(notified.values_list("user_id", flat=True)) == sorted(
        [first.author_id, second.author_id, suggestion.author_id]
    )
    assert {n.kind for n in notified} == {"demand_update"}
    assert all(n.url.startswith(demand.get_absolute_url()) for n in notified)
    update.refresh_from_db()
    assert update.notified_at is not None
    # Running the fan-out again notifies nobody twice.
    assert notices.update_notify(update_id=update.pk) == 0
    assert notified.count() == 3


def test_the_notice_sweep_restarts_a_lost_fan_out(django_capture_on_commit_callbacks):
    department = DepartmentFactory()
    demand = assigned_demand(department)
    source = comment_source(demand)
    DemandUpdate.objects.create(
        demand=demand,
        kind=Kind.PROGRESS,
        text="进展",
        created_at=timezone.now() - timedelta(minutes=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.update_notice_sweep() == 1
    assert Notification.objects.filter(user=source.author).count() == 1


def test_priority_is_internal():
    department = DepartmentFactory()
    demand = assigned_demand(department)
    services.demand_set_priority(
        by=official(department), demand=demand, priority=Demand.Priority.URGENT
    )
    demand.refresh_from_db()
    assert demand.priority == Demand.Priority.URGENT
    assert not demand.updates.get(kind=Kind.PRIORITY).is_public


def test_rename_is_logged():
    department = DepartmentFactory()
    demand = assigned_demand(department, title="旧名字")
    services.demand_rename(by=official(department), demand=demand, title="新名字")
    demand.refresh_from_db()
    assert demand.title == "新名字"
    assert "旧名字" in demand.updates.get(kind=Kind.RENAME).text


def test_merge_moves_inputs_and_links_the_merged_demand():
    department = DepartmentFactory()
    officer = official(department)
    keep = assigned_demand(department)
    gone = assigned_demand(department)
    comment_source(keep)
    moved = [comment_source(gone), comment_source(gone)]
    services.demand_merge(by=officer, demand=gone, into=keep)
    gone.refresh_from_db()
    keep.refresh_from_db()
    assert gone.status == Status.MERGED
    assert gone.merged_into == keep
    assert set(
        DemandSource.objects.filter(pk__in=[s.pk for s in moved]).values_list(
            "demand_id", flat=True
        )
    ) == {keep.pk}
    assert keep.resident_count == 3
    assert keep.input_count == 3
    assert gone.updates.get(kind=Kind.MERGE).related_demand == keep
    assert keep.updates.get(kind=Kind.MERGE).related_demand == gone


def test_merge_into_itself_or_another_departments_demand_is_refused():
    department = DepartmentFactory()
    officer = official(department)
    demand = assigned_demand(department)
    with pytest.raises(ValidationError):
        services.demand_merge(by=officer, demand=demand, into=demand)
    with pytest.raises(PermissionDenied):
        services.demand_merge(by=officer, demand=demand, into=assigned_demand())
    demand.refresh_from_db()
    assert demand.status == Status.ASSIGNED


def test_split_moves_the_chosen_inputs_to_a_new_demand():
    department = DepartmentFactory()
    demand = assigned_demand(department)
    stay = comment_source(demand)
    leave = comment_source(demand)
    new = services.demand_split(
        by=official(department),
        demand=demand,
        source_ids=[leave.pk],
        title="夜间公交",
    )
    leave.refresh_from_db()
    stay.refresh_from_db()
    assert leave.demand == new
    assert stay.demand == demand
    assert new.department == department
    assert new.status == Status.ASSIGNED
    assert new.resident_count == 1


def test_split_refuses_all_or_foreign_inputs():
    department = DepartmentFactory()
    officer = official(department)
    demand = assigned_demand(department)
    only = comment_source(demand)
    foreign = comment_source(assigned_demand(department))
    with pytest.raises(ValidationError):
        services.demand_split(
            by=officer, demand=demand, source_ids=[only.pk], title="x"
        )
    with pytest.raises(ValidationError):
        services.demand_split(
            by=officer, demand=demand, source_ids=[foreign.pk], title="x"
        )
    assert Demand.objects.count() == 2


def test_counts_take_a_campaigns_accounts():
    demand = DemandFactory()
    representative = comment_source(demand, group_size=500, group_accounts=480)
    DemandSource.objects.filter(pk=representative.pk).update(is_campaign=True)
    services.demand_recount(demand_ids=[demand.pk])
    demand.refresh_from_db()
    assert demand.resident_count == 480
    assert demand.input_count == 500
    assert demand.is_campaign


def test_score_grows_with_residents_and_supports_and_fades_with_age():
    now = timezone.now()
    fresh = services.demand_score(
        resident_count=10, support_count=4, last_input_at=now, now=now
    )
    old = services.demand_score(
        resident_count=10,
        support_count=4,
        last_input_at=now - timedelta(days=90),
        now=now,
    )
    assert fresh == 12
    assert old == pytest.approx(6)


def test_followers_of_a_demand_are_told_too(django_capture_on_commit_callbacks):
    department = DepartmentFactory()
    demand = assigned_demand(department)
    follower = UserFactory()
    Follow.objects.create(user=follower, demand=demand)
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_respond(by=official(department), demand=demand, text="进展")
    assert Notification.objects.filter(user=follower, demand=demand).exists()


def test_follow_button_on_the_demand_page(client):
    demand = DemandFactory()
    client.force_login(UserFactory())
    response = client.post(
        "/notifications/follows/toggle/",
        {"target": "demand", "target_id": demand.pk, "next": demand.get_absolute_url()},
    )
    assert response.status_code == 302
    page = client.get(demand.get_absolute_url())
    assert page.context["following"] is True
