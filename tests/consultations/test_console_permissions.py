"""Who reaches the consultations console: the role matrix for every page
and every change (anonymous → log in; resident → 403; official of another
department → 404 for a draft, 403 otherwise; official of the department →
200; official without a second factor → TOTP enrolment)."""

import pytest
from django.urls import reverse

from consultations.models import Consultation, ExportJob
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    OutcomeFactory,
    OutcomeItemFactory,
    UserFactory,
    official,
)

MAX_QUERIES = 25

# (url name, state the consultation must be in for the owner to get 200)
PAGES = [
    ("overview", "draft"),
    ("basics", "draft"),
    ("scope", "draft"),
    ("schedule", "draft"),
    ("document", "draft"),
    ("preview", "draft"),
    ("basics", "scheduled"),
    ("extend", "open"),
    ("figures", "open"),
    ("outcome", "closed"),
    ("item_add", "closed"),
    ("outcome_publish", "closed"),
    ("outcome", "responded"),
]

# (url name, state, form data) of every change; each must leave the
# consultation as it was when refused.
CHANGES = [
    ("basics", "scheduled", {"title": "改", "summary": "改", "moderation": "post"}),
    ("scope", "scheduled", {"areas": []}),
    ("schedule", "scheduled", {"opens_at": "2040-01-01T00:00"}),
    ("document", "scheduled", {"markdown": "第一条 改"}),
    ("publish", "draft", {"publish": "1"}),
    ("unpublish", "scheduled", {}),
    ("extend", "open", {"closes_at": "2040-01-01T00:00", "reason": "改"}),
    ("archive", "responded", {}),
    ("outcome", "closed", {"summary": "改"}),
    ("outcome_publish", "closed", {}),
    ("export_request", "open", {"format": "csv"}),
    ("attachment_add", "scheduled", {"title": "说明"}),
    (
        "item_add",
        "closed",
        {"theme": "t", "what_was_said": "w", "decision": "noted", "reason": "r"},
    ),
]


def consultation_in(state: str) -> Consultation:
    if state == "draft":
        return ConsultationFactory()
    return ConsultationFactory(**{state: True})


def page_url(name: str, consultation: Consultation) -> str:
    return reverse(f"consultations_console:{name}", args=[consultation.pk])


def snapshot(consultation: Consultation) -> tuple:
    consultation = Consultation.objects.get(pk=consultation.pk)
    outcome = getattr(consultation, "outcome", None)
    return (
        consultation.title,
        consultation.opens_at,
        consultation.closes_at,
        consultation.published_at,
        consultation.archived_at,
        consultation.sections.count(),
        consultation.extensions.count(),
        consultation.exports.count(),
        consultation.attachments.count(),
        outcome and outcome.items.count(),
        outcome and (outcome.summary, outcome.published_at),
    )


# Pages -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), PAGES)
def test_anonymous_visitor_is_sent_to_log_in(
    client, django_assert_max_num_queries, name, state
):
    consultation = consultation_in(state)
    target = page_url(name, consultation)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(target)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={target}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), PAGES)
def test_resident_is_refused(client, django_assert_max_num_queries, name, state):
    consultation = consultation_in(state)
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(page_url(name, consultation))

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), PAGES)
def test_official_of_another_department_gets_404_for_drafts_and_403_otherwise(
    client, django_assert_max_num_queries, name, state
):
    consultation = consultation_in(state)
    client.force_login(official(DepartmentFactory()))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(page_url(name, consultation))

    assert response.status_code == (404 if state == "draft" else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), PAGES)
def test_official_of_the_department_sees_the_page(
    client, django_assert_max_num_queries, name, state
):
    consultation = consultation_in(state)
    client.force_login(official(consultation.department))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(page_url(name, consultation))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), PAGES)
def test_official_without_mfa_is_sent_to_totp_enrolment(
    client, django_assert_max_num_queries, name, state
):
    consultation = consultation_in(state)
    client.force_login(official(consultation.department, mfa=False))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(page_url(name, consultation))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_console_list_and_creation_matrix(client):
    index = reverse("consultations_console:index")
    create = reverse("consultations_console:create")
    for target in (index, create):
        assert client.get(target).status_code == 302
    client.force_login(UserFactory())
    assert client.get(index).status_code == 403
    assert client.get(create).status_code == 403
    client.force_login(official(mfa=False))
    assert client.get(create)["Location"] == reverse("mfa_activate_totp")
    client.force_login(official())
    assert client.get(index).status_code == 200
    assert client.get(create).status_code == 200


# Changes --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state", "data"), CHANGES)
def test_anonymous_visitor_cannot_change_anything(client, name, state, data):
    consultation = consultation_in(state)
    before = snapshot(consultation)

    response = client.post(page_url(name, consultation), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert snapshot(consultation) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state", "data"), CHANGES)
def test_resident_cannot_change_anything(client, name, state, data):
    consultation = consultation_in(state)
    before = snapshot(consultation)
    client.force_login(UserFactory())

    response = client.post(page_url(name, consultation), data)

    assert response.status_code == 403
    assert snapshot(consultation) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state", "data"), CHANGES)
def test_official_of_another_department_cannot_change_anything(
    client, name, state, data
):
    consultation = consultation_in(state)
    if state == "closed":
        OutcomeItemFactory(outcome=OutcomeFactory(consultation=consultation))
    before = snapshot(consultation)
    client.force_login(official(DepartmentFactory()))

    response = client.post(page_url(name, consultation), data)

    assert response.status_code == (404 if state == "draft" else 403)
    assert snapshot(consultation) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state", "data"), CHANGES)
def test_official_without_mfa_cannot_change_anything(client, name, state, data):
    consultation = consultation_in(state)
    before = snapshot(consultation)
    client.force_login(official(consultation.department, mfa=False))

    response = client.post(page_url(name, consultation), data)

    assert response["Location"] == reverse("mfa_activate_totp")
    assert snapshot(consultation) == before


@pytest.mark.django_db
def test_official_of_another_department_cannot_create_for_it(client):
    theirs = DepartmentFactory()
    client.force_login(official(DepartmentFactory()))

    response = client.post(
        reverse("consultations_console:create"),
        {"title": "t", "summary": "s", "department": theirs.pk, "moderation": "post"},
    )

    assert response.status_code == 400
    assert not Consultation.objects.exists()


# Exports: files only for officials of the department ------------------------------


def export_urls(job: ExportJob) -> list[str]:
    args = [job.consultation_id, job.pk]
    return [
        reverse(f"consultations_console:{name}", args=args)
        for name in ("export", "export_status", "export_download")
    ]


@pytest.mark.django_db
def test_export_pages_and_file_are_only_for_the_departments_officials(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(open=True)
    owner = official(consultation.department)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url("export_request", consultation), {"format": "csv"})
    job = ExportJob.objects.get()

    for target in export_urls(job):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(target).status_code == 200
    client.force_login(official(DepartmentFactory()))
    for target in export_urls(job):
        assert client.get(target).status_code == 403
    client.force_login(UserFactory())
    for target in export_urls(job):
        assert client.get(target).status_code == 403
    client.logout()
    for target in export_urls(job):
        assert client.get(target).status_code == 302


@pytest.mark.django_db
def test_export_of_another_consultation_is_not_found_through_this_one(client):
    consultation = ConsultationFactory(open=True)
    sibling = ConsultationFactory(open=True, department=consultation.department)
    owner = official(consultation.department)
    job = ExportJob.objects.create(
        consultation=sibling, requested_by=owner, format="csv"
    )
    client.force_login(owner)

    response = client.get(
        reverse("consultations_console:export", args=[consultation.pk, job.pk])
    )

    assert response.status_code == 404
