"""The results summary as printable HTML: for officials live in the
console, for the public once the results are published; tables and SVG
charts, a print stylesheet, no inline style or script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from surveys.services import builder
from tests.factories import official
from tests.surveys.factories import resident
from tests.surveys.test_results import _three_responses

pytestmark = pytest.mark.django_db


def _no_inline_style_or_script(content: str) -> None:
    assert not re.search(r"\sstyle=", content)
    assert not re.search(r"<style", content)
    for tag in re.findall(r"<script[^>]*>", content):
        assert "src=" in tag
    assert not re.search(r"\son[a-z]+=", content)


def test_official_prints_the_live_summary(client, django_assert_max_num_queries):
    built, _yuzhong, _other = _three_responses()
    survey = built["survey"]
    user = official(survey.department)
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    url = reverse("surveys_console:results_print", args=[survey.pk])

    with django_assert_max_num_queries(30):
        response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Results summary: " in content
    assert content.count("<svg") >= 4
    assert "<table" in content
    assert "surveys-print.css" in content
    assert "Completion rate" in content
    assert response.context["results"]["responses"] == 3
    _no_inline_style_or_script(content)


def test_summary_follows_the_district_and_cross_tab_chosen(client):
    built, yuzhong, _other = _three_responses()
    survey = built["survey"]
    client.force_login(official(survey.department))
    url = reverse("surveys_console:results_print", args=[survey.pk])

    response = client.get(url, {"district": yuzhong.pk, "by": built["q"]["single"].pk})

    assert response.status_code == 200
    assert response.context["results"]["responses"] == 2
    assert response.context["district"] == yuzhong.pk
    assert "渝中区" in response.content.decode()
    tables = response.context["crosstabs"]
    multiple = next(t for t in tables if t["question"].pk == built["q"]["multiple"].pk)
    assert multiple["totals"] == [1, 0]


def test_public_summary_only_once_results_are_published(
    client, django_assert_max_num_queries
):
    built, _yuzhong, _other = _three_responses()
    survey = built["survey"]
    url = reverse("surveys:results_print", args=[survey.pk])
    assert client.get(url).status_code == 404

    builder.results_publish(user=official(survey.department), survey=survey)
    with django_assert_max_num_queries(30):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Results summary: " in content
    assert "<svg" in content
    assert "Completion rate" not in content
    assert reverse("surveys:results", args=[survey.pk]) in content
    _no_inline_style_or_script(content)


@pytest.mark.parametrize("who", ["anonymous", "resident", "other official"])
def test_console_summary_is_only_for_the_department(client, who):
    built, _yuzhong, _other = _three_responses()
    survey = built["survey"]
    if who == "resident":
        client.force_login(resident())
    elif who == "other official":
        client.force_login(official())
    url = reverse("surveys_console:results_print", args=[survey.pk])

    response = client.get(url)

    if who == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


def test_results_page_links_to_the_summary_with_its_filters(client):
    built, yuzhong, _other = _three_responses()
    survey = built["survey"]
    client.force_login(official(survey.department))

    response = client.get(
        reverse("surveys_console:results", args=[survey.pk]), {"district": yuzhong.pk}
    )

    link = reverse("surveys_console:results_print", args=[survey.pk])
    assert f'href="{link}?district={yuzhong.pk}"' in response.content.decode()


def test_print_stylesheet_keeps_charts_with_their_tables_on_paper():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "surveys-print.css").read_text()

    assert "@media print" in css
    assert "break-inside: avoid-page" in css
