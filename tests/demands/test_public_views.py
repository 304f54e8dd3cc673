"""Public pages through the test client: the ranked list with its filters,
counts, density tiles and downloads; a demand's page; the dashboard;
raising a suggestion with bad input; "me too". Each page's query count is
bounded and does not grow with the data."""

import csv
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from demands import services
from demands.models import Demand, Suggestion, SuggestionSupport
from tests.demands.factories import (
    DemandFactory,
    DemandUpdateFactory,
    SuggestionFactory,
    comment_source,
    source_for,
)
from tests.factories import (
    AreaFactory,
    CommentFactory,
    DepartmentFactory,
    TopicFactory,
    UserFactory,
    area_chain,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_demands():
    top, district, street, community = area_chain()
    other = AreaFactory(
        code="500106", name_zh="沙坪坝区", name_en="Shapingba", parent=top
    )
    transport = TopicFactory(name_zh="公共交通", name_en="Transport")
    care = TopicFactory(name_zh="养老服务", name_en="Elderly care")
    bus = DemandFactory(title="社区公交", area=community, topic=transport, score=9)
    home = DemandFactory(title="养老食堂", area=street, topic=care, score=5)
    park = DemandFactory(title="公园照明", area=other, topic=transport, score=7)
    return {
        "district": district,
        "street": street,
        "other": other,
        "transport": transport,
        "care": care,
        "bus": bus,
        "home": home,
        "park": park,
    }


def titles(response) -> list[str]:
    return [d.title for d in response.context["page"].object_list]


def test_list_is_ranked_by_score(client, city_demands):
    response = client.get(reverse("demands:list"))
    assert response.status_code == 200
    assert titles(response) == ["社区公交", "公园照明", "养老食堂"]


def test_district_filter_includes_every_area_under_it(client, city_demands):
    response = client.get(
        reverse("demands:list"), {"district": city_demands["district"].pk}
    )
    assert titles(response) == ["社区公交", "养老食堂"]


def test_any_level_area_and_topic_filter(client, city_demands):
    response = client.get(
        reverse("demands:list"),
        {"area": city_demands["street"].pk, "topic": city_demands["transport"].pk},
    )
    assert titles(response) == ["社区公交"]


def test_status_counts_and_merged_demands_are_not_listed(client, city_demands):
    bus = city_demands["bus"]
    DemandFactory(status=Demand.Status.MERGED, merged_into=bus, title="并入的")
    Demand.objects.filter(pk=city_demands["park"].pk).update(
        status=Demand.Status.RESOLVED
    )
    response = client.get(reverse("demands:list"))
    assert "并入的" not in titles(response)
    counts = {status: n for _label, status, n in response.context["status_counts"]}
    assert counts["new"] == 2
    assert counts["resolved"] == 1


def test_density_tiles_count_demands_per_district(client, city_demands):
    response = client.get(reverse("demands:list"))
    tiles = {t.area.pk: t.count for t in response.context["tiles"]}
    assert tiles[city_demands["district"].pk] == 2
    assert tiles[city_demands["other"].pk] == 1
    assert b"<svg" in response.content
    assert b"<table" in response.content


def test_unknown_filter_values_do_not_fail(client, city_demands):
    response = client.get(
        reverse("demands:list"),
        {"district": "999999", "status": "nonsense", "area": "x"},
    )
    assert response.status_code == 200


def test_search_finds_a_demand_by_its_words(client):
    demand = services.demand_create(
        title="老旧小区加装电梯", summary="居民希望加装电梯"
    )
    DemandFactory(title="公园照明")
    response = client.get(reverse("demands:list"), {"q": "电梯"})
    assert [d.pk for d in response.context["page"].object_list] == [demand.pk]


def test_list_queries_are_bounded(client, django_assert_max_num_queries, city_demands):
    for _ in range(30):
        DemandFactory(area=city_demands["street"], topic=city_demands["care"])
    # The filter form's choices and checks, the page, its count, the status
    # counts and the tiles: the same with 3 demands or 3,000.
    with django_assert_max_num_queries(11):
        response = client.get(
            reverse("demands:list"), {"district": city_demands["district"].pk}
        )
    assert response.status_code == 200


def test_csv_download_follows_the_filters(client, city_demands):
    response = client.get(
        reverse("demands:export", args=["csv"]), {"topic": city_demands["transport"].pk}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[1] for row in rows[1:]] == ["社区公交", "公园照明"]


def test_xlsx_download(client, city_demands):
    response = client.get(reverse("demands:export", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "社区公交",
        "公园照明",
        "养老食堂",
    ]


def test_unknown_download_format_is_404(client):
    assert client.get(reverse("demands:export", args=["pdf"])).status_code == 404


def test_demand_page_lists_every_input_and_the_timeline(
    client, django_assert_max_num_queries
):
    demand = DemandFactory(department=DepartmentFactory())
    for _ in range(25):
        comment_source(demand)
    suggestion = SuggestionFactory()
    source_for(suggestion, demand)
    DemandUpdateFactory(demand=demand, text="正在协调选址。")
    DemandUpdateFactory(demand=demand, text="内部备注", is_public=False)
    with django_assert_max_num_queries(12):
        response = client.get(demand.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "正在协调选址。" in content
    assert "内部备注" not in content
    assert suggestion.get_absolute_url() in content
    assert response.context["sources"].paginator.count == 26


def test_missing_demand_is_404(client):
    assert client.get(reverse("demands:detail", args=[999999])).status_code == 404


def test_dashboard_figures(client, django_assert_max_num_queries):
    department = DepartmentFactory()
    demand = DemandFactory(department=department, status=Demand.Status.ASSIGNED)
    from tests.factories import official

    services.demand_set_status(
        by=official(department), demand=demand, status="resolved", text="已解决"
    )
    DemandFactory()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("demands:dashboard"))
    figures = response.context["figures"]
    assert (figures.received, figures.responded, figures.resolved) == (2, 1, 1)
    assert figures.response_rate == 0.5
    assert figures.median_days_to_response is not None
    assert sum(m["received"] for m in figures.months) == 2
    per_department = client.get(
        reverse("demands:dashboard"), {"department": department.pk}
    )
    assert per_department.context["figures"].received == 1


# Suggestions --------------------------------------------------------------------


def suggestion_data(**changes):
    data = {
        "form_key": str(uuid.uuid4()),
        "title": "小区门口增设公交站",
        "body": "老人出行不便。",
        "topic": "",
        "area": "",
    }
    data.update(changes)
    return data


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("demands:suggest"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_resident_raises_a_suggestion(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("demands:suggest"), suggestion_data())
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == suggestion.get_absolute_url()
    assert suggestion.author == user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": ""}, "Please describe your suggestion."),
        ({"area": "999999"}, "This area does not exist."),
    ],
)
def test_bad_suggestion_gets_a_clear_message_and_stores_nothing(
    client, changes, message
):
    client.force_login(UserFactory(preferred_language="en"))
    response = client.post(
        reverse("demands:suggest"),
        suggestion_data(**changes),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


def test_photo_that_is_not_an_image_is_refused(client):
    client.force_login(UserFactory(preferred_language="en"))
    data = suggestion_data(
        photo=SimpleUploadedFile("x.png", b"MZ\x90\x00 an executable", "image/png")
    )
    response = client.post(reverse("demands:suggest"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This file is not a photo" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_50_mb_photo_is_refused(client):
    client.force_login(UserFactory(preferred_language="en"))
    data = suggestion_data(
        photo=SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 2**20))
    )
    response = client.post(reverse("demands:suggest"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "a photo can be at most 10 MB" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_double_submit_stores_one_suggestion(client):
    client.force_login(UserFactory())
    data = suggestion_data()
    client.post(reverse("demands:suggest"), data)
    response = client.post(reverse("demands:suggest"), data)
    assert response.status_code == 302
    assert Suggestion.objects.count() == 1


def test_check_button_shows_similar_suggestions_without_storing(client):
    existing = services.suggestion_create(
        author=UserFactory(), title="增设公交站", body="门口需要公交站"
    )
    client.force_login(UserFactory())
    response = client.post(
        reverse("demands:suggest"), suggestion_data(title="公交站", check="1")
    )
    assert response.status_code == 200
    assert existing in response.context["similar_suggestions"]
    assert Suggestion.objects.count() == 1


def test_similar_fragment_is_limited_to_the_district(client):
    _top, district, street, _community = area_chain()
    other = AreaFactory(code="500106", parent=district.parent)
    near = services.suggestion_create(
        author=UserFactory(), title="增设公交站", body="门口需要公交站", area=street
    )
    services.suggestion_create(
        author=UserFactory(), title="增设公交站台", body="公交站", area=other
    )
    response = client.get(
        reverse("demands:similar"), {"title": "公交站", "area": street.pk}
    )
    assert response.context["similar_suggestions"] == [near]


def test_me_too_through_the_page(client):
    suggestion = SuggestionFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("demands:support", args=[suggestion.pk]))
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.support_count == 1


def test_me_too_twice_and_on_ones_own_give_a_message_and_store_nothing(client):
    suggestion = SuggestionFactory(author=UserFactory(preferred_language="en"))
    supporter = UserFactory(preferred_language="en")
    client.force_login(supporter)
    url = reverse("demands:support", args=[suggestion.pk])
    client.post(url)
    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already added" in response.content.decode()
    client.force_login(suggestion.author)
    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "your own suggestion" in response.content.decode()
    assert SuggestionSupport.objects.count() == 1


def test_suggestion_page_shows_the_demand_it_feeds_and_the_latest_response(
    client, django_assert_max_num_queries
):
    suggestion = SuggestionFactory()
    demand = DemandFactory(title="公交站点规划")
    source_for(suggestion, demand)
    DemandUpdateFactory(demand=demand, text="已纳入明年计划。")
    with django_assert_max_num_queries(10):
        response = client.get(suggestion.get_absolute_url())
    content = response.content.decode()
    assert "公交站点规划" in content
    assert "已纳入明年计划。" in content


def test_pending_suggestion_is_seen_by_its_author_only(client):
    suggestion = SuggestionFactory(status=Suggestion.Status.PENDING)
    assert client.get(suggestion.get_absolute_url()).status_code == 404
    client.force_login(suggestion.author)
    assert client.get(suggestion.get_absolute_url()).status_code == 200


def test_comment_page_shows_the_demand_it_feeds(client):
    comment = CommentFactory()
    demand = DemandFactory(title="社区食堂")
    source_for(comment, demand)
    DemandUpdateFactory(demand=demand, text="食堂将于十月开业。")
    response = client.get(comment.get_absolute_url().split("#")[0])
    content = response.content.decode()
    assert "社区食堂" in content
    assert "食堂将于十月开业。" in content


def test_suggestion_list(client, django_assert_max_num_queries):
    for _ in range(5):
        SuggestionFactory()
    SuggestionFactory(status=Suggestion.Status.HIDDEN)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("demands:suggestions"))
    assert response.context["page"].paginator.count == 5


def test_suggestion_form_and_similar_fragment_queries_are_bounded(
    client, django_assert_max_num_queries
):
    _top, _district, street, community = area_chain()
    for n in range(10):
        services.suggestion_create(
            author=UserFactory(), title=f"增设公交站{n}", body="公交站", area=street
        )
    client.force_login(UserFactory(home_area=community))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("demands:suggest")).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(reverse("demands:similar"), {"title": "公交站"})
    assert len(response.context["similar_suggestions"]) == 5
