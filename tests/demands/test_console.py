"""The demands console as each role: the permission matrix (anonymous →
log in, resident → 403, official of another department → 403, the
assigned department's official → 200; any official for unassigned new
demands), every action through the test client, the explanation of a
grouping and the analysis progress page."""

import pytest
from django.urls import reverse

from accounts.models import User
from demands.models import AnalysisRun, Demand, DemandUpdate
from tests.demands.factories import DemandFactory, comment_source
from tests.factories import DepartmentFactory, UserFactory, moderator, official

pytestmark = pytest.mark.django_db
Status = Demand.Status


@pytest.fixture
def department():
    return DepartmentFactory()


@pytest.fixture
def assigned(department):
    return DemandFactory(department=department, status=Status.ASSIGNED)


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


ROLES = ["anonymous", "resident", "moderator", "other_official", "official"]


def make(role, department):
    return {
        "anonymous": lambda: None,
        "resident": UserFactory,
        "moderator": lambda: moderator(),
        "other_official": lambda: official(),
        "official": lambda: official(department),
    }[role]()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("moderator", 403),
        ("other_official", 403),
        ("official", 200),
    ],
)
def test_assigned_demand_page_matrix(client, department, assigned, role, expected):
    response = as_user(client, make(role, department)).get(
        reverse("demands_console:demand", args=[assigned.pk])
    )
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("other_official", 302),
        ("official", 302),
    ],
)
def test_unassigned_new_demand_may_be_accepted_by_any_official(
    client, department, role, expected
):
    demand = DemandFactory()
    response = as_user(client, make(role, department)).post(
        reverse("demands_console:accept", args=[demand.pk]), {"text": ""}
    )
    assert response.status_code == expected
    demand.refresh_from_db()
    accepted = role in ("other_official", "official")
    assert (demand.status == Status.ACCEPTED) == accepted


@pytest.mark.parametrize(
    ("role", "answered"),
    [("resident", False), ("other_official", False), ("official", True)],
)
def test_only_the_assigned_department_responds(
    client, department, assigned, role, answered
):
    as_user(client, make(role, department)).post(
        reverse("demands_console:respond", args=[assigned.pk]),
        {"kind": "response", "text": "已安排施工"},
    )
    assert assigned.updates.filter(kind=DemandUpdate.Kind.RESPONSE).exists() == answered


def test_official_without_second_factor_is_sent_to_enrol(client, department):
    client.force_login(official(department, mfa=False))
    response = client.get(reverse("demands_console:index"))
    assert response.status_code == 302
    assert "2fa" in response["Location"] or "mfa" in response["Location"]


def test_triage_list_shows_the_departments_and_unassigned_demands(
    client, department, assigned, django_assert_max_num_queries
):
    unassigned = DemandFactory()
    elsewhere = DemandFactory(department=DepartmentFactory(), status=Status.ASSIGNED)
    for _ in range(20):
        DemandFactory(department=department, status=Status.ASSIGNED)
    client.force_login(official(department))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("demands_console:index"))
    shown = {d.pk for d in response.context["page"].paginator.object_list}
    assert {assigned.pk, unassigned.pk} <= shown
    assert elsewhere.pk not in shown


def test_console_demand_page_queries_are_bounded(
    client, department, assigned, django_assert_max_num_queries
):
    for _ in range(40):
        comment_source(assigned)
    client.force_login(official(department))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("demands_console:demand", args=[assigned.pk]))
    assert response.status_code == 200


def test_declining_without_a_reason_shows_the_message(client, department, assigned):
    officer = official(department)
    User.objects.filter(pk=officer.pk).update(preferred_language="en")
    client.force_login(officer)
    response = client.post(
        reverse("demands_console:status", args=[assigned.pk]),
        {"status": "declined", "text": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Say publicly why the demand is declined." in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED


def test_merge_and_split_through_the_console(client, department, assigned):
    other = DemandFactory(department=department, status=Status.ASSIGNED)
    comment_source(assigned)
    moved = comment_source(other)
    comment_source(other)
    client.force_login(official(department))
    response = client.post(
        reverse("demands_console:merge", args=[other.pk]), {"into": assigned.pk}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == assigned
    response = client.post(
        reverse("demands_console:split", args=[assigned.pk]),
        {"title": "单独处理", "sources": [moved.pk]},
    )
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.demand.title == "单独处理"


def test_merge_into_a_demand_outside_ones_scope_is_refused(
    client, department, assigned
):
    foreign = DemandFactory(department=DepartmentFactory(), status=Status.ASSIGNED)
    client.force_login(official(department))
    response = client.post(
        reverse("demands_console:merge", args=[assigned.pk]), {"into": foreign.pk}
    )
    assert response.status_code == 400
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED


def test_assign_and_rename_and_priority(client, department):
    demand = DemandFactory()
    client.force_login(official(department))
    client.post(
        reverse("demands_console:assign", args=[demand.pk]),
        {"department": department.pk, "text": "由本局办理"},
    )
    client.post(
        reverse("demands_console:rename", args=[demand.pk]),
        {"title": "新的名称", "summary": "摘要"},
    )
    client.post(reverse("demands_console:priority", args=[demand.pk]), {"priority": 2})
    demand.refresh_from_db()
    assert (demand.department, demand.status, demand.title, demand.priority) == (
        department,
        Status.ASSIGNED,
        "新的名称",
        2,
    )
    kinds = set(demand.updates.values_list("kind", flat=True))
    assert {"transfer", "rename", "priority"} <= kinds


def test_explain_shows_the_shared_terms(client, department, assigned):
    first = comment_source(assigned, tokens="公交 站点 老人 出行")
    second = comment_source(assigned, tokens="公交 站点 学校")
    client.force_login(official(department))
    response = client.get(
        reverse("demands_console:explain", args=[assigned.pk]),
        {"source": [first.pk, second.pk]},
    )
    assert response.status_code == 200
    assert response.context["terms"] == ["公交", "站点"]


def test_explain_with_bad_numbers_is_a_clear_400(client, department, assigned):
    client.force_login(official(department))
    response = client.get(
        reverse("demands_console:explain", args=[assigned.pk]), {"source": ["x", "y"]}
    )
    assert response.status_code == 400


def test_run_page_and_progress_fragment(client, department):
    run = AnalysisRun.objects.create(
        status=AnalysisRun.Status.RUNNING, progress=40, stage="clustering"
    )
    client.force_login(official(department))
    page = client.get(reverse("demands_console:run", args=[run.pk]))
    assert b'value="40"' in page.content
    fragment = client.get(reverse("demands_console:run_progress", args=[run.pk]))
    assert fragment.status_code == 200
    assert b"<progress" in fragment.content
    assert b"data-finished" not in fragment.content
    assert (
        client.get(reverse("demands_console:run", args=[run.pk + 1])).status_code == 404
    )


def test_residents_cannot_start_an_analysis(client):
    client.force_login(UserFactory())
    assert client.post(reverse("demands_console:analysis")).status_code == 403
    assert not AnalysisRun.objects.exists()


def test_official_starts_an_analysis_and_is_sent_to_its_progress(client, department):
    client.force_login(official(department))
    response = client.post(reverse("demands_console:analysis"))
    run = AnalysisRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert run.started_by is not None


def test_a_second_run_while_one_is_running_is_refused_with_a_message(
    client, department
):
    AnalysisRun.objects.create(status=AnalysisRun.Status.RUNNING)
    officer = official(department)
    User.objects.filter(pk=officer.pk).update(preferred_language="en")
    client.force_login(officer)
    response = client.post(
        reverse("demands_console:analysis"), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "already in progress" in response.content.decode()
    assert AnalysisRun.objects.count() == 1


def test_explain_only_reads_inputs_of_this_demand(client, department, assigned):
    mine = comment_source(assigned, tokens="公交")
    elsewhere = comment_source(DemandFactory(), tokens="公交")
    client.force_login(official(department))
    response = client.get(
        reverse("demands_console:explain", args=[assigned.pk]),
        {"source": [mine.pk, elsewhere.pk]},
    )
    assert response.status_code == 400
