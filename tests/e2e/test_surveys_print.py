"""The results summary in a real browser: the official follows the link from
the filtered results page, reads an accessible summary, and on paper (print
media) gets the charts and tables without the site's header, forms or
links; the page saves as a PDF."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_surveys import assert_accessible, sign_in
from tests.factories import AreaFactory, area_chain, official
from tests.surveys.factories import every_kind_survey, resident, respond

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}


def test_official_prints_the_results_summary_of_a_district(live_server, page):
    city, yuzhong, _street, _community = area_chain()
    other = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=city
    )
    built = every_kind_survey()
    survey, q = built["survey"], built["q"]
    no = q["single"].choices.get(text_zh="否")
    for district, choice, rating in [
        (yuzhong, built["yes"], 9),
        (yuzhong, no, 7),
        (other, no, 3),
    ]:
        respond(
            survey,
            {
                q["single"]: {q["single"].field_name: [str(choice.pk)]},
                q["area"]: {f"{q['area'].field_name}_district": [str(district.pk)]},
                q["rating"]: {q["rating"].field_name: [str(rating)]},
            },
            user=resident(),
        )
    sign_in(page, live_server, official(survey.department))
    page.goto(f"{live_server.url}/console/surveys/{survey.pk}/results/")
    page.get_by_label("District", exact=True).select_option(label="Yuzhong")
    page.get_by_role("button", name="Show").click()

    page.get_by_role("link", name="Printable summary of these results").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Results summary")
    expect(page.get_by_text("2 (in Yuzhong)")).to_be_visible()
    single = page.get_by_role("region", name=re.compile(q["single"].text_en))
    expect(single.get_by_role("row", name="是 1 50.0%")).to_be_visible()
    expect(single.get_by_role("img")).to_be_visible()
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to the results")).to_be_hidden()
    expect(single.get_by_role("img")).to_be_visible()
    expect(single.get_by_role("row", name="是 1 50.0%")).to_be_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
