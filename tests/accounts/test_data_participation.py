"""My participation: everything the resident said, its state and the
answer it got, in a bounded number of queries, nothing of anyone else's."""

import pytest

from demands.models import DemandUpdate
from tests.accounts.personal_records import everything_of
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    OutcomeFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_page_lists_each_kind_with_its_answer(client, django_assert_max_num_queries):
    me = UserFactory(preferred_language="en")
    records = everything_of(me, "MINE-2a9f")
    comment = records["consultations.Comment"][0]
    ReplyFactory(
        parent=comment,
        body="Thank you, the canteen opens in March.",
        official_department=DepartmentFactory(),
    )
    demand = records["demands.DemandSource"][0].demand
    DemandUpdate.objects.create(
        demand=demand, kind=DemandUpdate.Kind.RESPONSE, text="We are building it."
    )
    everything_of(UserFactory(), "OTHER-1e8b")
    client.force_login(me)

    with django_assert_max_num_queries(30):
        page = client.get("/accounts/participation/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("MINE-2a9f") >= 6
    assert "OTHER-1e8b" not in html
    assert "Thank you, the canteen opens in March." in html
    assert "社区食堂" in html and "We are building it." in html
    assert "Answers to anonymous surveys are not linked to your account" in html


def test_query_count_does_not_grow_with_what_was_said(
    client, django_assert_max_num_queries
):
    me = UserFactory(preferred_language="en")
    for _ in range(25):
        CommentFactory(author=me)
    client.force_login(me)
    with django_assert_max_num_queries(30):
        page = client.get(
            "/accounts/participation/?comments_page=2", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert page.status_code == 200
    assert "Page 2 of 3" in page.content.decode()


def test_the_outcome_is_shown_once_published(client):
    me = UserFactory(preferred_language="en")
    comment = CommentFactory(author=me)
    OutcomeFactory(consultation=comment.consultation, published_at=comment.created_at)
    client.force_login(me)
    html = client.get(
        "/accounts/participation/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The outcome of this consultation is published." in html


def test_participation_needs_login(client):
    assert client.get("/accounts/participation/").status_code == 302
