"""The polled question list is put together from cached pieces: each
viewer still gets their own upvote buttons, CSRF token and pending
questions, a change re-renders only what changed, and the cost of a poll
does not grow with the number of questions."""

import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from hearings import fragments
from hearings.models import Hearing, LiveQuestion, QuestionUpvote
from hearings.services import questions as question_services
from hearings.services.schedule import bump_questions
from tests.factories import UserFactory
from tests.hearings.factories import HearingFactory, QuestionFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def resident():
    return UserFactory(preferred_language="en")


def poll(client, hearing, **headers):
    url = reverse("hearings:questions", args=[hearing.pk])
    return client.get(url, **EN, **headers)


def item(html: str, question: LiveQuestion) -> str:
    """The list item of ``question`` in the list ``html``."""
    start = html.index(f'id="question-{question.pk}"')
    return html[start : html.index("</li>", start)]


def test_each_resident_sees_their_own_upvotes_in_the_shared_list(client):
    hearing = HearingFactory(live=True)
    first, second = QuestionFactory(hearing=hearing), QuestionFactory(hearing=hearing)
    voter, other = resident(), resident()
    question_services.question_upvote(user=voter, question=first)
    client.force_login(other)
    seen_by_other = poll(client, hearing).content.decode()

    client.force_login(voter)
    seen_by_voter = poll(client, hearing).content.decode()

    assert 'aria-pressed="false"' in item(seen_by_other, first)
    assert "Withdraw upvote" in item(seen_by_voter, first)
    assert 'aria-pressed="true"' in item(seen_by_voter, first)
    assert 'aria-pressed="false"' in item(seen_by_voter, second)


def test_no_upvote_button_on_ones_own_question(client):
    hearing = HearingFactory(live=True)
    mine = QuestionFactory(hearing=hearing)
    client.force_login(resident())
    poll(client, hearing)
    client.force_login(mine.author)

    html = poll(client, hearing).content.decode()

    assert mine.body in html
    assert "Upvote" not in item(html, mine)


def test_upvote_form_in_the_cached_list_carries_the_viewers_own_csrf_token():
    hearing = HearingFactory(live=True)
    question = QuestionFactory(hearing=hearing)
    for _ in range(2):  # the second viewer gets the cached pieces
        browser = Client(enforce_csrf_checks=True)
        voter = resident()
        browser.force_login(voter)
        html = poll(browser, hearing).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

        response = browser.post(
            reverse("hearings:question_upvote", args=[hearing.pk, question.pk]),
            {"csrfmiddlewaretoken": token.group(1)},
        )

        assert response.status_code == 302
        assert QuestionUpvote.objects.filter(question=question, user=voter).exists()
        assert "csrf-" not in html


def test_a_pending_question_is_listed_for_its_author_only(client):
    hearing = HearingFactory(live=True)
    QuestionFactory(hearing=hearing)
    waiting = QuestionFactory(
        hearing=hearing, status=LiveQuestion.Status.PENDING, body="还在审核？"
    )
    client.force_login(resident())
    assert "还在审核？" not in poll(client, hearing).content.decode()
    assert (
        "还在审核？"
        not in Client()
        .get(reverse("hearings:questions", args=[hearing.pk]))
        .content.decode()
    )

    client.force_login(waiting.author)

    assert "还在审核？" in poll(client, hearing).content.decode()


def test_a_change_renders_only_the_question_that_changed(client):
    hearing = HearingFactory(live=True)
    questions = [QuestionFactory(hearing=hearing) for _ in range(5)]
    client.force_login(resident())
    poll(client, hearing)
    rendered = []

    def count(sender, template, context, **kwargs):
        if template.name == "hearings/_question.html":
            rendered.append(context["question"].pk)

    template_rendered.connect(count)
    try:
        question_services.question_upvote(user=resident(), question=questions[2])
        html = poll(client, hearing).content.decode()
    finally:
        template_rendered.disconnect(count)

    assert set(rendered) == {questions[2].pk}
    assert "1 upvote" in item(html, questions[2])


def test_ending_the_hearing_changes_the_etag_and_takes_the_upvote_buttons(client):
    hearing = HearingFactory(live=True)
    question = QuestionFactory(hearing=hearing)
    client.force_login(resident())
    live = poll(client, hearing)
    assert "Upvote" in item(live.content.decode(), question)
    Hearing.objects.filter(pk=hearing.pk).update(state=Hearing.State.ENDED)

    ended = poll(client, hearing, HTTP_IF_NONE_MATCH=live["ETag"])

    assert ended.status_code == 200
    assert ended["ETag"] != live["ETag"]
    assert "Upvote" not in item(ended.content.decode(), question)


def test_a_visitor_and_a_resident_get_the_change_on_their_next_poll(client):
    hearing = HearingFactory(live=True)
    QuestionFactory(hearing=hearing)
    signed_in = Client()
    signed_in.force_login(resident())
    before = {"visitor": poll(client, hearing), "resident": poll(signed_in, hearing)}
    QuestionFactory(hearing=hearing, body="刚刚批准的问题？")
    bump_questions(hearing.pk)

    for name, browser in (("visitor", client), ("resident", signed_in)):
        after = poll(browser, hearing, HTTP_IF_NONE_MATCH=before[name]["ETag"])
        assert after.status_code == 200
        assert "刚刚批准的问题？" in after.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_poll_queries_do_not_grow_with_the_questions(
    client, django_assert_max_num_queries, signed_in
):
    if signed_in:
        client.force_login(resident())
    counts = []
    for size in (3, 30):
        hearing = HearingFactory(live=True)
        for _ in range(size):
            QuestionFactory(hearing=hearing)
        with django_assert_max_num_queries(8) as queries:
            assert poll(client, hearing).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_moderators_get_the_full_list_with_pending_questions(client):
    hearing = HearingFactory(live=True)
    QuestionFactory(hearing=hearing, status=LiveQuestion.Status.PENDING, body="待审？")
    official = resident()
    official.memberships.create(department=hearing.consultation.department)
    client.force_login(official)

    html = poll(client, hearing).content.decode()

    assert "待审？" in html
    assert "Awaiting moderation" in html


def test_pieces_older_than_the_cache_time_are_all_rendered_again(client):
    """After a deployment, new templates and translations show within
    minutes even in a list that keeps changing."""
    hearing = HearingFactory(live=True)
    questions = [QuestionFactory(hearing=hearing) for _ in range(3)]
    poll(client, hearing)
    key = f"hearings:qa:{hearing.pk}:live:en"
    pieces = cache.get(key)
    cache.set(key, {**pieces, "born": time.time() - fragments.CACHE_SECONDS - 1})
    rendered = []

    def count(sender, template, context, **kwargs):
        if template.name == "hearings/_question.html":
            rendered.append(context["question"].pk)

    template_rendered.connect(count)
    try:
        bump_questions(hearing.pk)
        poll(client, hearing)
    finally:
        template_rendered.disconnect(count)

    assert set(rendered) == {q.pk for q in questions}
