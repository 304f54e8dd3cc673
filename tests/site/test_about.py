"""The About page: how a consultation works, linked from every page."""

import pytest

from tests.factories import UserFactory

ABOUT_MAX_QUERIES = 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "How a consultation works"), ("zh-hans", "<h1")],
)
def test_about_page_explains_the_stages_in_the_chosen_language(
    client, django_assert_max_num_queries, language, heading
):
    client.cookies["django_language"] = language

    with django_assert_max_num_queries(ABOUT_MAX_QUERIES):
        response = client.get("/about/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html


@pytest.mark.django_db
def test_about_page_names_every_stage(client):
    client.cookies["django_language"] = "en"

    html = client.get("/about/").content.decode()

    for stage in (
        "Draft",
        "Scheduled",
        "Open for comment",
        "Closed, awaiting response",
        "Responded",
        "Archived",
    ):
        assert f"<strong>{stage}</strong>" in html


@pytest.mark.django_db
def test_every_page_links_to_about_in_the_footer(client):
    html = client.get("/").content.decode()

    assert 'href="/about/"' in html


@pytest.mark.django_db
def test_about_page_queries_stay_bounded_for_a_signed_in_resident(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory())

    with django_assert_max_num_queries(ABOUT_MAX_QUERIES + 3):
        response = client.get("/about/")

    assert response.status_code == 200
