"""A visitor's consultation page is served from the cache, and changes the
moment a comment, a support, the consultation or its status changes."""

import re
import time
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from consultations import selectors
from consultations.models import Comment, Consultation
from consultations.services import comments as comment_services
from consultations.services import lifecycle
from consultations.views import public
from moderation import services as moderation_services
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    UserFactory,
    moderator,
    official,
)

CACHED_PAGE_MAX_QUERIES = 0


def page_of(consultation: Consultation) -> str:
    return f"/consultations/{consultation.pk}/"


def main_of(response) -> str:
    """The page's main content (the header's forms carry a fresh CSRF
    token on every response)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def post_comment(capture_on_commit, consultation: Consultation, body: str) -> None:
    """A resident's comment, committed (the page's version changes then)."""
    with capture_on_commit(execute=True):
        comment_services.comment_post(
            user=UserFactory(),
            consultation=consultation,
            body=body,
            idempotency_key=uuid.uuid4(),
        )


@pytest.mark.django_db
def test_a_cached_visitor_page_costs_no_query(client, django_assert_max_num_queries):
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

    post_comment(
        django_capture_on_commit_callbacks, consultation, "公交站台应该加装雨棚。"
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
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() + timezone.timedelta(seconds=1.5)
    )
    client.cookies["django_language"] = "en"
    assert "Open for comment" in client.get(page_of(consultation)).content.decode()

    time.sleep(1.6)

    html = client.get(page_of(consultation)).content.decode()
    assert "Closed, awaiting response" in html


@pytest.mark.django_db
def test_an_extension_shows_at_once_on_the_visitor_page(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(open=True)
    official_user = official(consultation.department, mfa=False)
    client.cookies["django_language"] = "en"
    client.get(page_of(consultation))

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.consultation_extend(
            user=official_user,
            consultation=consultation,
            closes_at=consultation.closes_at + timezone.timedelta(days=7),
            reason="Residents asked for more time.",
        )

    assert "Residents asked for more time." in (
        client.get(page_of(consultation)).content.decode()
    )


@pytest.mark.django_db
def test_each_visitor_gets_a_fresh_csrf_token_never_a_cached_one(client):
    consultation = ConsultationFactory(open=True)
    first = client.get(page_of(consultation))
    other = Client()

    second = other.get(page_of(consultation))

    tokens = [
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.content.decode())
        for r in (first, second)
    ]
    assert tokens[0] and tokens[1]
    assert set(tokens[0]).isdisjoint(tokens[1])
    assert public.CSRF_PLACEHOLDER not in second.content.decode()
    assert second.cookies["csrftoken"].value


@pytest.mark.django_db
def test_a_waiting_message_is_shown_to_its_visitor_not_cached(client):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation))
    client.cookies["django_language"] = "en"
    resident = UserFactory()
    client.force_login(resident)
    client.post("/accounts/logout/")

    html = client.get(page_of(consultation)).content.decode()

    assert "You have signed out." in html
    assert (
        "You have signed out."
        not in Client().get(page_of(consultation)).content.decode()
    )


@pytest.mark.django_db
def test_care_mode_and_language_have_their_own_cached_pages(client):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation))
    english = Client()
    english.cookies["django_language"] = "en"

    html = english.get(page_of(consultation)).content.decode()

    assert '<html lang="en">' in html


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


# A visitor's "Show more" page is cached under a digest of what it shows.

DEEP_PAGE_MAX_QUERIES = 0
DEEP_PAGE_CHECK_QUERIES = 4  # the consultation, the cursor's comment, the page, digest


def list_of(consultation: Consultation, cursor: str = "") -> str:
    query = f"?cursor={cursor}" if cursor else ""
    return f"/consultations/{consultation.pk}/comments/{query}"


def second_page(client, consultation: Consultation) -> str:
    """The "Show more" link of the first page of comments."""
    html = client.get(list_of(consultation)).content.decode()
    return re.search(r'href="[^"]*\?[^"]*cursor=([^"&]+)', html).group(1)


@pytest.fixture
def long_consultation():
    consultation = ConsultationFactory(open=True)
    CommentFactory.create_batch(45, consultation=consultation)
    return consultation


@pytest.mark.django_db
def test_a_cached_page_of_comments_costs_no_query(
    client, long_consultation, django_assert_max_num_queries
):
    cursor = second_page(client, long_consultation)
    first = client.get(list_of(long_consultation, cursor))

    with django_assert_max_num_queries(DEEP_PAGE_MAX_QUERIES):
        second = client.get(list_of(long_consultation, cursor))

    assert main_of(second) == main_of(first)


@pytest.mark.django_db
def test_a_support_on_a_deep_page_shows_at_once(
    client, long_consultation, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    cursor = second_page(client, long_consultation)
    html = client.get(list_of(long_consultation, cursor)).content.decode()
    shown = int(re.search(r'id="comment-(\d+)"', html).group(1))
    comment = long_consultation.comments.get(pk=shown)
    assert comment.support_count == 0

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.support_toggle(user=UserFactory(), comment=comment)

    html = client.get(list_of(long_consultation, cursor)).content.decode()
    article = html[html.index(f'id="comment-{shown}"') :]
    assert "1 support" in article[: article.index("</article>")]


@pytest.mark.django_db
def test_an_edit_and_a_moderators_decision_on_a_deep_page_show_at_once(
    client, long_consultation, django_capture_on_commit_callbacks
):
    cursor = second_page(client, long_consultation)
    html = client.get(list_of(long_consultation, cursor)).content.decode()
    shown = int(re.search(r'id="comment-(\d+)"', html).group(1))
    comment = long_consultation.comments.get(pk=shown)

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_edit(
            user=comment.author, comment=comment, body="改过的意见：请增加夜班公交。"
        )
    assert "改过的意见：请增加夜班公交。" in (
        client.get(list_of(long_consultation, cursor)).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.comment_hide(
            moderator=moderator(mfa=False), comment=comment, reason="离题"
        )
    html = client.get(list_of(long_consultation, cursor)).content.decode()
    assert "改过的意见：请增加夜班公交。" not in html


@pytest.mark.django_db
def test_while_one_request_renders_a_new_page_the_others_get_the_previous_one(
    client, rf, settings, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation))
    post_comment(
        django_capture_on_commit_callbacks, consultation, "新的意见：延长末班车时间。"
    )
    request = rf.get(page_of(consultation))
    request.care_mode = False
    with translation.override(settings.LANGUAGE_CODE):
        rendering = f"{public._visitor_page_key(request, consultation.pk)}:rendering"
    cache.add(rendering, 1, 10)

    assert "新的意见" not in client.get(page_of(consultation)).content.decode()

    cache.delete(rendering)
    assert "新的意见" in client.get(page_of(consultation)).content.decode()


@pytest.mark.django_db
def test_a_comment_elsewhere_keeps_a_deep_page_without_rendering_it_again(
    client, long_consultation, django_capture_on_commit_callbacks
):
    cursor = second_page(client, long_consultation)
    first = client.get(list_of(long_consultation, cursor))
    post_comment(
        django_capture_on_commit_callbacks, long_consultation, "第一页上的新意见。"
    )

    # The consultation, the cursor, the page and its digest; no rendering.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(list_of(long_consultation, cursor))

    assert len(queries) <= DEEP_PAGE_CHECK_QUERIES
    assert main_of(again) == main_of(first)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?sort=supported&sort=newest", "?%73ort=newest", "?sort=newest&"]
)
def test_other_spellings_of_an_address_are_served_but_not_cached(client, query):
    consultation = ConsultationFactory(open=True)
    client.get(page_of(consultation) + query)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_of(consultation) + query)

    assert response.status_code == 200
    assert len(queries) > CACHED_PAGE_MAX_QUERIES


@pytest.mark.django_db
def test_a_made_up_cursor_is_served_but_not_cached(client, long_consultation):
    made_up = selectors._encode_cursor(
        Comment(created_at=timezone.now(), pk=10**9), "newest"
    )
    client.get(list_of(long_consultation, made_up))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_of(long_consultation, made_up))

    assert response.status_code == 200
    assert len(queries) > DEEP_PAGE_CHECK_QUERIES
