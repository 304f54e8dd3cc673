"""A visitor's consultation page is served from the cache, and changes the
moment a comment, a support or the status changes."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Consultation
from consultations.services import comments as comment_services
from tests.factories import CommentFactory, ConsultationFactory, UserFactory

CACHED_PAGE_MAX_QUERIES = 1


def page_of(consultation: Consultation) -> str:
    return f"/consultations/{consultation.pk}/"


def main_of(response) -> str:
    """The page's main content (the header's forms carry a fresh CSRF
    token on every response)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.django_db
def test_a_cached_visitor_page_costs_one_query(client, django_assert_max_num_queries):
    consultation = ConsultationFactory(open=True)
    CommentFactory.create_batch(3, consultation=consultation)
    first = client.get(page_of(consultation))

    with django_assert_max_num_queries(CACHED_PAGE_MAX_QUERIES):
        second = client.get(page_of(consultation))

    assert second.status_code == 200
    assert main_of(second) == main_of(first)


@pytest.mark.django_db
def test_a_new_comment_shows_at_once_on_the_visitor_page(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation))

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_post(
            user=UserFactory(),
            consultation=consultation,
            body="公交站台应该加装雨棚。",
            idempotency_key=uuid.uuid4(),
        )

    assert (
        "公交站台应该加装雨棚。" in client.get(page_of(consultation)).content.decode()
    )


@pytest.mark.django_db
def test_a_support_shows_at_once_on_the_visitor_page(
    client, django_capture_on_commit_callbacks
):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.cookies["django_language"] = "en"
    assert "0 supports" in client.get(page_of(comment.consultation)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.support_toggle(user=UserFactory(), comment=comment)

    assert "1 support" in client.get(page_of(comment.consultation)).content.decode()


@pytest.mark.django_db
def test_the_visitor_page_follows_the_closing_time(client):
    consultation = ConsultationFactory(open=True)
    client.cookies["django_language"] = "en"
    assert "Open for comment" in client.get(page_of(consultation)).content.decode()

    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timezone.timedelta(days=9),
        closes_at=timezone.now() - timezone.timedelta(minutes=1),
    )

    html = client.get(page_of(consultation)).content.decode()
    assert "Closed, awaiting response" in html


@pytest.mark.django_db
def test_a_signed_in_resident_gets_their_own_page_not_the_cached_one(client):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation))
    client.force_login(UserFactory())

    html = client.get(page_of(consultation)).content.decode()

    assert 'name="idempotency_key"' in html


@pytest.mark.django_db
def test_a_visitor_page_with_another_query_is_rendered_afresh(client):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation), {"utm": "x"})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_of(consultation), {"utm": "x"})

    assert response.status_code == 200
    assert len(queries) > CACHED_PAGE_MAX_QUERIES
