"""The public side of consultations through the test client: the list and
search, a consultation's page and its draft, section and comment pages, and
every comment action a resident takes."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consultations import search
from consultations.models import ClosingExtension, Comment, Consultation, Support
from consultations.services import comments as comment_services
from moderation.models import Flag, Sanction
from notifications.models import Follow
from tests.factories import (
    AreaFactory,
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    OutcomeFactory,
    OutcomeItemFactory,
    ReplyFactory,
    SectionFactory,
    SupportFactory,
    TopicFactory,
    UserFactory,
    area_chain,
    official,
)

LIST_URL = "/consultations/"
# Every page's query count is bounded and does not grow with the comments.
MAX_QUERIES = 25
# A post: session, user, consultation, section, rate counter, the author's
# standing (verified address, sanction), the insert, the follow, and the
# test's own savepoint around the service's transaction.
POST_MAX_QUERIES = 11


def detail_url(consultation) -> str:
    return f"/consultations/{consultation.pk}/"


def section_url(consultation, anchor: str) -> str:
    return f"/consultations/{consultation.pk}/sections/{anchor}/"


def new_comment_url(consultation) -> str:
    return f"/consultations/{consultation.pk}/comments/new/"


def comment_url(comment, action: str = "") -> str:
    base = f"/consultations/{comment.consultation_id}/comments/{comment.pk}/"
    return f"{base}{action}/" if action else base


def indexed(consultation: Consultation) -> Consultation:
    """Fill the search vector as the lifecycle services do."""
    Consultation.objects.filter(pk=consultation.pk).update(
        search_vector=search.document_vector(
            (consultation.title, "A"), (consultation.summary, "B")
        )
    )
    return consultation


def comment_data(**overrides) -> dict:
    data = {
        "stance": "suggestion",
        "section": "",
        "body": "建议增加社区食堂的开放时间。",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def draft_with_articles(**kwargs):
    """An open consultation with a chapter and articles 1 to 3."""
    consultation = ConsultationFactory(open=True, **kwargs)
    SectionFactory(
        consultation=consultation,
        position=0,
        kind="chapter",
        number="第一章",
        heading="总则",
        body="",
        anchor="chapter-1",
    )
    for n, number in enumerate(["第一条", "第二条", "第三条"], start=1):
        SectionFactory(
            consultation=consultation,
            position=n,
            number=number,
            body=f"{number}的条文：社区养老服务设施应当方便老年人。",
            anchor=f"article-{n}",
        )
    return consultation


def many_comments(consultation, n: int, section=None) -> list[Comment]:
    """``n`` visible comments by two residents, each with one reply."""
    authors = UserFactory.create_batch(2)
    start = timezone.now() - timedelta(days=1)
    comments = Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            section=section,
            author=authors[i % 2],
            body=f"第{i}条意见",
            stance="suggestion",
            idempotency_key=uuid.uuid4(),
            created_at=start + timedelta(seconds=i),
            support_count=i % 7,
        )
        for i in range(n)
    )
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            section=section,
            parent=parent,
            author=authors[0],
            body="回复",
            idempotency_key=uuid.uuid4(),
            created_at=parent.created_at + timedelta(seconds=1),
        )
        for parent in comments
    )
    return comments


# The list and search ----------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_published_consultations_not_drafts(
    client, django_assert_max_num_queries
):
    topic = TopicFactory(name_zh="养老服务", name_en="Elderly care")
    open_one = ConsultationFactory(open=True, title="公园改造方案", topics=[topic])
    CommentFactory(consultation=open_one)
    draft = ConsultationFactory(title="尚未发布的草稿")

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert open_one.title in html
    assert open_one.department.name_zh in html
    assert "养老服务" in html
    assert 'class="badge status-badge status-open"' in html
    assert draft.title not in html


@pytest.mark.django_db
def test_list_filters_by_status(client):
    open_one = ConsultationFactory(open=True, title="正在征集的草案")
    closed_one = ConsultationFactory(closed=True, title="已经截止的草案")

    response = client.get(LIST_URL, {"status": "closed"})

    html = response.content.decode()
    assert closed_one.title in html
    assert open_one.title not in html


@pytest.mark.django_db
def test_district_filter_includes_its_streets_and_city_wide_consultations(client):
    top, district, street, _community = area_chain()
    other = AreaFactory(code="500106", name_zh="沙坪坝区", parent=top)
    on_street = ConsultationFactory(open=True, title="解放碑步行街", areas=[street])
    city_wide = ConsultationFactory(open=True, title="全市公交线网", areas=[top])
    elsewhere = ConsultationFactory(open=True, title="沙坪坝公园", areas=[other])

    response = client.get(LIST_URL, {"district": district.pk})

    html = response.content.decode()
    assert on_street.title in html
    assert city_wide.title in html
    assert elsewhere.title not in html
    assert street.name_zh in html  # the street list appears once a district is set


@pytest.mark.django_db
def test_street_filter_narrows_to_the_street(client):
    _top, district, street, _community = area_chain()
    other_street = AreaFactory(code="500103003", name_zh="七星岗街道", parent=district)
    on_street = ConsultationFactory(open=True, title="解放碑步行街", areas=[street])
    next_door = ConsultationFactory(
        open=True, title="七星岗菜市场", areas=[other_street]
    )

    response = client.get(LIST_URL, {"district": district.pk, "street": street.pk})

    html = response.content.decode()
    assert on_street.title in html
    assert next_door.title not in html


@pytest.mark.django_db
def test_street_outside_the_district_is_reported_and_ignored(client):
    top, district, _street, _community = area_chain()
    other = AreaFactory(code="500106", name_zh="沙坪坝区", parent=top)
    foreign_street = AreaFactory(code="500106001", name_zh="小龙坎街道", parent=other)

    response = client.get(
        LIST_URL, {"district": district.pk, "street": foreign_street.pk}
    )

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


@pytest.mark.django_db
def test_list_filters_by_topic_and_department(client):
    topic = TopicFactory()
    department = DepartmentFactory()
    match = ConsultationFactory(open=True, department=department, topics=[topic])
    other_topic = ConsultationFactory(open=True, department=department)
    other_department = ConsultationFactory(open=True, topics=[topic])

    response = client.get(LIST_URL, {"topic": topic.pk, "department": department.pk})

    html = response.content.decode()
    assert match.title in html
    assert other_topic.title not in html
    assert other_department.title not in html


@pytest.mark.django_db
def test_chinese_search_finds_the_consultation_and_marks_the_words(client):
    wanted = indexed(
        ConsultationFactory(
            open=True,
            title="重庆市社区养老服务条例（征求意见稿）",
            summary="规范社区养老服务设施建设和运营。",
        )
    )
    other = indexed(
        ConsultationFactory(open=True, title="轨道交通票价调整", summary="票价方案。")
    )

    response = client.get(LIST_URL, {"q": "养老"})

    html = response.content.decode()
    assert "<mark>养老</mark>" in html
    assert f'href="/consultations/{wanted.pk}/"' in html
    assert other.title not in html


@pytest.mark.django_db
def test_english_search_finds_the_consultation_and_marks_the_words(client):
    wanted = indexed(
        ConsultationFactory(
            open=True,
            title="Bus route 461 changes",
            summary="New stops for the Yuzhong bus network.",
        )
    )
    other = indexed(
        ConsultationFactory(open=True, title="Park renovation", summary="Trees.")
    )

    response = client.get(LIST_URL, {"q": "yuzhong bus"})

    html = response.content.decode()
    assert f'href="/consultations/{wanted.pk}/"' in html
    assert "<mark>Bus</mark>" in html
    assert other.title not in html


@pytest.mark.django_db
def test_search_lists_matching_comments_with_the_words_marked(client):
    consultation = ConsultationFactory(open=True, title="公园改造")
    comment_services.comment_post(
        user=UserFactory(),
        consultation=consultation,
        body="希望保留老年人晨练的场地。",
        stance="suggestion",
        idempotency_key=uuid.uuid4(),
    )

    response = client.get(LIST_URL, {"q": "晨练"})

    html = response.content.decode()
    assert "<mark>晨练</mark>" in html
    assert "公园改造" in html


@pytest.mark.django_db
def test_search_without_results_says_so(client):
    indexed(ConsultationFactory(open=True, title="公园改造"))

    response = client.get(LIST_URL, {"q": "不存在的词语组合"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "0" in html
    assert 'class="empty"' in html


@pytest.mark.django_db
def test_nonsense_filters_and_pages_never_fail(client):
    ConsultationFactory(open=True)

    response = client.get(
        LIST_URL,
        {"status": "nope", "district": "x", "topic": "-1", "page": "999", "q": "'&|!"},
    )

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("comments", [10, 1000])
def test_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, comments
):
    for _ in range(3):
        consultation = ConsultationFactory(open=True, topics=[TopicFactory()])
        many_comments(consultation, comments // 3)
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(LIST_URL, {"q": "意见", "status": "open"})

    assert response.status_code == 200


# The consultation page and its draft --------------------------------------------


@pytest.mark.django_db
def test_detail_shows_the_draft_with_anchors_and_counts_per_section(client):
    consultation = draft_with_articles(title="社区养老服务条例")
    third = consultation.sections.get(anchor="article-3")
    CommentFactory.create_batch(2, consultation=consultation, section=third)

    response = client.get(detail_url(consultation))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="article-3"' in html
    assert "第三条" in html
    counts = {s.anchor: s.comment_count for s in response.context["sections"]}
    assert counts == {"chapter-1": 0, "article-1": 0, "article-2": 0, "article-3": 2}
    assert f'href="{section_url(consultation, "article-3")}#comments">2' in html


@pytest.mark.django_db
def test_section_count_follows_a_new_comment_at_once(
    client, django_capture_on_commit_callbacks
):
    consultation = draft_with_articles()
    client.force_login(UserFactory())

    before = client.get(detail_url(consultation))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(new_comment_url(consultation), comment_data(section="article-3"))
    after = client.get(detail_url(consultation))

    def third(response):
        return next(
            s.comment_count
            for s in response.context["sections"]
            if s.anchor == "article-3"
        )

    assert (third(before), third(after)) == (0, 1)
    assert after.context["consultation"].comment_count == 1


@pytest.mark.django_db
def test_detail_shows_an_extension_with_its_reason(client):
    consultation = ConsultationFactory(open=True)
    ClosingExtension.objects.create(
        consultation=consultation,
        previous_closes_at=consultation.closes_at - timedelta(days=7),
        new_closes_at=consultation.closes_at,
        reason="应居民要求延长",
    )

    response = client.get(detail_url(consultation))

    assert "应居民要求延长" in response.content.decode()


@pytest.mark.django_db
def test_draft_consultation_is_hidden_from_the_public_but_not_its_officials(client):
    consultation = ConsultationFactory()

    assert client.get(detail_url(consultation)).status_code == 404
    client.force_login(official(consultation.department))
    assert client.get(detail_url(consultation)).status_code == 200


@pytest.mark.django_db
def test_unknown_consultation_and_section_are_not_found(client):
    consultation = ConsultationFactory(open=True)

    assert client.get("/consultations/999999/").status_code == 404
    assert client.get(section_url(consultation, "article-99")).status_code == 404


@pytest.mark.django_db
def test_published_outcome_shows_decisions_and_comments_link_to_their_item(client):
    consultation = ConsultationFactory(responded=True)
    item = OutcomeItemFactory(
        outcome=consultation.outcome,
        theme="延长服务时间",
        decision="partial",
        reason="人手有限，先在部分社区试点。",
    )
    comment = CommentFactory(consultation=consultation, outcome_item=item)

    response = client.get(detail_url(consultation))

    html = response.content.decode()
    assert 'id="outcome"' in html
    assert "延长服务时间" in html
    assert "人手有限，先在部分社区试点。" in html
    assert f'href="{comment.get_absolute_url()}"' in html
    assert f'href="/consultations/{consultation.pk}/#outcome-item-{item.pk}"' in html


@pytest.mark.django_db
def test_unpublished_outcome_stays_private(client):
    consultation = ConsultationFactory(closed=True)
    item = OutcomeItemFactory(
        outcome=OutcomeFactory(consultation=consultation), theme="尚未公布的决定"
    )
    CommentFactory(consultation=consultation, outcome_item=item)

    html = client.get(detail_url(consultation)).content.decode()

    assert "尚未公布的决定" not in html
    assert "outcome-item-" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("comments", [10, 1000])
def test_detail_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries, comments
):
    consultation = draft_with_articles()
    third = consultation.sections.get(anchor="article-3")
    many_comments(consultation, comments, section=third)
    user = UserFactory()
    SupportFactory(comment=consultation.comments.first(), user=user)
    client.force_login(user)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(detail_url(consultation))

    assert response.status_code == 200
    assert len(response.context["page"].comments) == min(comments, 20)


@pytest.mark.django_db
@pytest.mark.parametrize("comments", [10, 1000])
def test_section_page_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries, comments
):
    consultation = draft_with_articles()
    third = consultation.sections.get(anchor="article-3")
    many_comments(consultation, comments, section=third)
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(section_url(consultation, "article-3"))

    assert response.status_code == 200
    assert "第三条的条文" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("comments", [10, 1000])
def test_comment_pages_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries, comments
):
    consultation = ConsultationFactory(open=True)
    many_comments(consultation, comments)
    first = client.get(f"/consultations/{consultation.pk}/comments/")
    cursor = first.context["page"].next_cursor
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(
            f"/consultations/{consultation.pk}/comments/",
            {"cursor": cursor or "", "sort": "newest"},
        )

    assert response.status_code == 200
    assert response.context["page"].comments


@pytest.mark.django_db
@pytest.mark.parametrize("comments", [10, 1000])
def test_thread_page_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries, comments
):
    consultation = ConsultationFactory(open=True)
    parent = many_comments(consultation, comments)[0]
    client.force_login(UserFactory())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(comment_url(parent))

    assert response.status_code == 200
    assert "回复" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("comments", [10, 1000])
def test_document_download_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries, comments
):
    consultation = draft_with_articles()
    many_comments(consultation, comments, section=consultation.sections.last())

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/consultations/{consultation.pk}/document.txt")

    assert response.status_code == 200


@pytest.mark.django_db
def test_show_more_continues_after_the_last_comment_shown(client):
    consultation = ConsultationFactory(open=True)
    comments = many_comments(consultation, 25)

    first = client.get(detail_url(consultation))
    cursor = first.context["page"].next_cursor
    second = client.get(
        f"/consultations/{consultation.pk}/comments/", {"cursor": cursor}
    )

    shown_first = [c.pk for c in first.context["page"].comments]
    shown_second = [c.pk for c in second.context["page"].comments]
    assert shown_first == [c.pk for c in reversed(comments)][:20]
    assert shown_second == [c.pk for c in reversed(comments)][20:]
    assert f"cursor={cursor}" in first.content.decode()


@pytest.mark.django_db
def test_most_supported_sort_puts_the_most_supported_first(client):
    consultation = ConsultationFactory(open=True)
    CommentFactory(consultation=consultation, support_count=1)
    top = CommentFactory(consultation=consultation, support_count=9)

    response = client.get(detail_url(consultation), {"sort": "supported"})

    assert response.context["page"].comments[0] == top


@pytest.mark.django_db
def test_a_forged_cursor_shows_the_first_page(client):
    consultation = ConsultationFactory(open=True)
    CommentFactory(consultation=consultation)

    for cursor in ["!!!", "WzFlNDAwLCAxXQ", "W3siYSI6IDF9LCAyXQ"]:
        response = client.get(
            f"/consultations/{consultation.pk}/comments/",
            {"cursor": cursor, "sort": "supported"},
        )
        assert response.status_code == 200


@pytest.mark.django_db
def test_draft_downloads_as_markdown_and_plain_text(client):
    consultation = draft_with_articles(title="社区养老服务条例")

    markdown = client.get(f"/consultations/{consultation.pk}/document.md")
    text = client.get(f"/consultations/{consultation.pk}/document.txt")

    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert "attachment" in markdown["Content-Disposition"]
    assert "# 社区养老服务条例" in markdown.content.decode()
    assert "## 第一章 总则" in markdown.content.decode()
    assert "### 第三条" in markdown.content.decode()
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "第三条\n\n第三条的条文" in text.content.decode()
    assert client.get(f"/consultations/{consultation.pk}/document.pdf").status_code == (
        404
    )


@pytest.mark.django_db
def test_follow_and_unfollow(client):
    consultation = ConsultationFactory(open=True)
    user = UserFactory()
    client.force_login(user)

    client.post(f"/consultations/{consultation.pk}/follow/")
    assert Follow.objects.filter(user=user, consultation=consultation).exists()
    page = client.get(detail_url(consultation)).content.decode()
    assert 'aria-pressed="true"' in page

    client.post(f"/consultations/{consultation.pk}/follow/")
    assert not Follow.objects.filter(user=user, consultation=consultation).exists()


# Posting comments ---------------------------------------------------------------


@pytest.mark.django_db
def test_visitor_is_asked_to_log_in_to_comment(client):
    consultation = ConsultationFactory(open=True)

    html = client.get(detail_url(consultation)).content.decode()

    assert f"/accounts/login/?next=/consultations/{consultation.pk}/" in html
    assert 'id="comment-form"' in html
    assert 'name="body"' not in html


@pytest.mark.django_db
def test_anonymous_post_goes_to_login_and_stores_nothing(client):
    consultation = ConsultationFactory(open=True)

    response = client.post(new_comment_url(consultation), comment_data())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_on_an_article_redirects_to_it_on_the_section_page(client):
    consultation = draft_with_articles()
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        new_comment_url(consultation), comment_data(section="article-3")
    )

    comment = Comment.objects.get()
    assert comment.section.anchor == "article-3"
    assert comment.author == user
    assert response.status_code == 302
    assert response["Location"] == (
        f"{section_url(consultation, 'article-3')}#comment-{comment.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    assert "建议增加社区食堂的开放时间。" in page


@pytest.mark.django_db
def test_comment_on_the_whole_draft_redirects_to_the_consultation(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())

    response = client.post(new_comment_url(consultation), comment_data())

    comment = Comment.objects.get()
    assert comment.section is None
    assert response["Location"] == f"{detail_url(consultation)}#comment-{comment.pk}"


@pytest.mark.django_db
def test_empty_comment_is_refused_and_the_form_comes_back(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())

    response = client.post(new_comment_url(consultation), comment_data(body="   "))

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_too_long_comment_is_refused_and_the_text_is_kept(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())
    body = "长" * 20000

    response = client.post(new_comment_url(consultation), comment_data(body=body))

    html = response.content.decode()
    assert response.status_code == 400
    assert "20000" in html
    assert body in html
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_html_is_stored_as_text_and_shown_escaped(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())
    body = '<script>alert("x")</script><b>粗体</b>'

    response = client.post(new_comment_url(consultation), comment_data(body=body))
    page = client.get(response["Location"]).content.decode()

    assert Comment.objects.get().body == body
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;" in page


@pytest.mark.django_db
def test_comment_on_a_closed_consultation_is_refused_with_the_text_kept(client):
    consultation = ConsultationFactory(closed=True)
    client.force_login(UserFactory())

    response = client.post(new_comment_url(consultation), comment_data())

    html = response.content.decode()
    assert response.status_code == 403
    assert "建议增加社区食堂的开放时间。" in html
    assert 'class="error-summary"' in html
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_on_another_consultations_section_is_refused(client):
    consultation = ConsultationFactory(open=True)
    SectionFactory(consultation=consultation, anchor="article-1")
    other = ConsultationFactory(open=True)
    foreign = SectionFactory(consultation=other, anchor="article-9")
    client.force_login(UserFactory())

    by_anchor = client.post(
        new_comment_url(consultation), comment_data(section=foreign.anchor)
    )
    by_id = client.post(
        new_comment_url(consultation), comment_data(section=str(foreign.pk))
    )

    for response in (by_anchor, by_id):
        assert response.status_code == 400
        assert 'class="error-summary"' in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_on_a_chapter_heading_is_refused(client):
    consultation = draft_with_articles()
    client.force_login(UserFactory())

    response = client.post(
        new_comment_url(consultation), comment_data(section="chapter-1")
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_stance_is_optional_but_must_be_one_of_the_four(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())

    refused = client.post(new_comment_url(consultation), comment_data(stance="maybe"))
    accepted = client.post(new_comment_url(consultation), comment_data(stance=""))

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert Comment.objects.get().stance == ""


@pytest.mark.django_db
def test_double_submit_stores_one_comment_and_shows_it_both_times(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())
    data = comment_data()

    first = client.post(new_comment_url(consultation), data)
    second = client.post(new_comment_url(consultation), data)

    comment = Comment.objects.get()
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")


@pytest.mark.django_db
def test_a_retry_after_the_consultation_closed_shows_the_stored_comment(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())
    data = comment_data()
    first = client.post(new_comment_url(consultation), data)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )

    retry = client.post(new_comment_url(consultation), data)

    assert retry.status_code == 302
    assert retry["Location"] == first["Location"]
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_retry_beyond_the_rate_limit_shows_the_stored_comment(client, settings):
    settings.RATE_LIMITS = "comment=1/60"
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())
    data = comment_data()
    first = client.post(new_comment_url(consultation), data)

    retry = client.post(new_comment_url(consultation), data)
    another = client.post(new_comment_url(consultation), comment_data())

    assert retry.status_code == 302
    assert retry["Location"] == first["Location"]
    assert another.status_code == 429
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_posting_a_comment_costs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory(open=True)
    SectionFactory(consultation=consultation, anchor="article-1")
    client.force_login(UserFactory())
    client.post(new_comment_url(consultation), comment_data())

    with django_assert_max_num_queries(POST_MAX_QUERIES):
        response = client.post(
            new_comment_url(consultation), comment_data(section="article-1")
        )

    assert response.status_code == 302


@pytest.mark.django_db
def test_a_key_used_by_someone_else_is_refused_and_the_text_kept(client):
    consultation = ConsultationFactory(open=True)
    taken = CommentFactory(consultation=consultation)
    client.force_login(UserFactory())

    response = client.post(
        new_comment_url(consultation),
        comment_data(idempotency_key=str(taken.idempotency_key), body="我的意见"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "我的意见" in html
    assert str(taken.idempotency_key) not in html
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_form_without_its_key_is_refused_with_the_text_kept(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())

    response = client.post(
        new_comment_url(consultation), comment_data(idempotency_key="not-a-key")
    )

    assert response.status_code == 400
    assert "建议增加社区食堂的开放时间。" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_unverified_account_is_told_to_verify_its_email(client):
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory(verified=False))

    page = client.get(detail_url(consultation)).content.decode()
    response = client.post(new_comment_url(consultation), comment_data())

    assert 'name="body"' not in page
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_muted_account_sees_until_when_and_why(client):
    consultation = ConsultationFactory(open=True)
    user = UserFactory()
    Sanction.objects.create(
        user=user,
        kind=Sanction.Kind.MUTE,
        reason="重复发布广告",
        ends_at=timezone.now() + timedelta(days=3),
    )
    client.force_login(user)

    page = client.get(detail_url(consultation)).content.decode()
    response = client.post(new_comment_url(consultation), comment_data())

    assert "重复发布广告" in page
    assert response.status_code == 403
    assert "重复发布广告" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_pre_moderated_comment_awaits_moderation_visible_to_its_author_only(client):
    consultation = ConsultationFactory(open=True, moderation="pre")
    author = UserFactory()
    client.force_login(author)

    response = client.post(new_comment_url(consultation), comment_data())
    own_view = client.get(response["Location"]).content.decode()
    client.force_login(UserFactory())
    other_view = client.get(detail_url(consultation)).content.decode()

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "badge-pending" in own_view
    assert "建议增加社区食堂的开放时间。" in own_view
    assert "建议增加社区食堂的开放时间。" not in other_view


@pytest.mark.django_db
def test_posting_too_fast_is_refused_with_the_text_kept(client, settings):
    settings.RATE_LIMITS = "comment=2/60"
    consultation = ConsultationFactory(open=True)
    client.force_login(UserFactory())

    for _ in range(2):
        client.post(new_comment_url(consultation), comment_data())
    response = client.post(new_comment_url(consultation), comment_data(body="第三条"))

    assert response.status_code == 429
    assert "第三条" in response.content.decode()
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_comment_form_page_shows_the_section_being_commented_on(client):
    consultation = draft_with_articles()
    client.force_login(UserFactory())

    response = client.get(new_comment_url(consultation), {"section": "article-3"})

    html = response.content.decode()
    assert "第三条的条文" in html
    assert 'name="section" value="article-3"' in html


# Replies --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reply_appears_under_its_comment(client):
    parent = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())

    response = client.post(
        comment_url(parent, "reply"),
        {"body": "同意楼上", "idempotency_key": str(uuid.uuid4())},
    )

    reply = Comment.objects.get(parent=parent)
    assert response["Location"] == f"{comment_url(parent)}#comment-{reply.pk}"
    assert "同意楼上" in client.get(comment_url(parent)).content.decode()


@pytest.mark.django_db
def test_empty_reply_is_refused_on_the_thread_page(client):
    parent = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())

    response = client.post(
        comment_url(parent, "reply"),
        {"body": "", "idempotency_key": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Comment.objects.filter(parent=parent).exists()


@pytest.mark.django_db
def test_replies_go_one_level_deep_only(client):
    reply = ReplyFactory(
        parent=CommentFactory(consultation=ConsultationFactory(open=True))
    )
    client.force_login(UserFactory())

    response = client.post(
        comment_url(reply, "reply"),
        {"body": "再回复", "idempotency_key": str(uuid.uuid4())},
    )

    assert response.status_code == 302
    assert not Comment.objects.filter(parent=reply).exists()


@pytest.mark.django_db
def test_official_reply_is_badged_with_the_department(client):
    consultation = ConsultationFactory(open=True)
    parent = CommentFactory(consultation=consultation)
    client.force_login(official(consultation.department))

    page = client.get(comment_url(parent)).content.decode()
    client.post(
        comment_url(parent, "reply"),
        {
            "body": "感谢建议，我们会研究。",
            "official": "on",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    reply = Comment.objects.get(parent=parent)
    assert 'name="official"' in page
    assert reply.official_department == consultation.department
    html = client.get(comment_url(parent)).content.decode()
    assert "badge-official" in html
    assert consultation.department.name_zh in html


@pytest.mark.django_db
def test_a_resident_cannot_reply_officially(client):
    consultation = ConsultationFactory(open=True)
    parent = CommentFactory(consultation=consultation)
    client.force_login(UserFactory())

    page = client.get(comment_url(parent)).content.decode()
    response = client.post(
        comment_url(parent, "reply"),
        {"body": "冒充官方", "official": "on", "idempotency_key": str(uuid.uuid4())},
    )

    assert 'name="official"' not in page
    assert response.status_code == 403
    assert "冒充官方" in response.content.decode()
    assert not Comment.objects.filter(parent=parent).exists()


# Supports, edits, deletions, reports ----------------------------------------------


@pytest.mark.django_db
def test_support_toggles_and_shows_the_pressed_state(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    user = UserFactory()
    client.force_login(user)
    page = detail_url(comment.consultation)

    response = client.post(comment_url(comment, "support"), {"next": page})
    html = client.get(page).content.decode()

    assert response["Location"] == f"{page}#comment-{comment.pk}"
    assert Support.objects.filter(comment=comment, user=user).exists()
    assert 'aria-pressed="true">' in html
    assert '<span class="support-count">1</span>' in html

    client.post(comment_url(comment, "support"), {"next": page})
    comment.refresh_from_db()
    assert comment.support_count == 0
    assert not Support.objects.exists()


@pytest.mark.django_db
def test_support_ignores_a_next_on_another_site(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())

    response = client.post(
        comment_url(comment, "support"), {"next": "https://evil.example/"}
    )

    assert response["Location"] == comment.get_absolute_url()


@pytest.mark.django_db
def test_own_comment_cannot_be_supported(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(comment.author)

    client.post(comment_url(comment, "support"))

    assert not Support.objects.exists()


@pytest.mark.django_db
def test_author_edits_within_fifteen_minutes_and_it_shows_edited(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(comment.author)

    response = client.post(comment_url(comment, "edit"), {"body": "改过的意见"})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.body == "改过的意见"
    assert comment.edited_at is not None
    html = client.get(comment_url(comment)).content.decode()
    assert 'class="edited"' in html


@pytest.mark.django_db
def test_edit_after_fifteen_minutes_is_refused(client):
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True),
        created_at=timezone.now() - timedelta(minutes=16),
    )
    client.force_login(comment.author)

    page = client.get(comment_url(comment)).content.decode()
    response = client.post(comment_url(comment, "edit"), {"body": "太晚了"})

    comment.refresh_from_db()
    assert f'href="{comment_url(comment, "edit")}"' not in page
    assert response.status_code == 302
    assert comment.body != "太晚了"


@pytest.mark.django_db
def test_someone_elses_comment_cannot_be_edited_or_deleted(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())

    client.post(comment_url(comment, "edit"), {"body": "篡改"})
    client.post(comment_url(comment, "delete"))

    comment.refresh_from_db()
    assert comment.body != "篡改"
    assert comment.status == Comment.Status.VISIBLE


@pytest.mark.django_db
def test_empty_edit_is_refused_and_the_comment_unchanged(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True), body="原文")
    client.force_login(comment.author)

    response = client.post(comment_url(comment, "edit"), {"body": " "})

    comment.refresh_from_db()
    assert response.status_code == 400
    assert comment.body == "原文"


@pytest.mark.django_db
def test_deleting_a_comment_without_replies_removes_it(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(comment.author)

    confirm = client.get(comment_url(comment, "delete"))
    client.post(comment_url(comment, "delete"))

    assert confirm.status_code == 200
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_deleting_a_comment_with_replies_leaves_a_placeholder(client):
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True), body="要删除的意见"
    )
    ReplyFactory(parent=comment, body="一条回复")
    client.force_login(comment.author)

    response = client.post(comment_url(comment, "delete"))
    html = client.get(response["Location"]).content.decode()

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert "要删除的意见" not in html
    assert "一条回复" in html
    assert 'class="placeholder"' in html


@pytest.mark.django_db
def test_hidden_comment_shows_the_reason_and_its_text_only_to_its_author(client):
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True),
        status=Comment.Status.HIDDEN,
        hidden_reason="含有个人信息",
        body="我的电话是123",
    )

    public = client.get(detail_url(comment.consultation)).content.decode()
    client.force_login(comment.author)
    own = client.get(detail_url(comment.consultation)).content.decode()

    assert "含有个人信息" in public
    assert "我的电话是123" not in public
    assert "我的电话是123" in own


@pytest.mark.django_db
def test_report_stores_one_flag_per_person(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())

    form = client.get(comment_url(comment, "report"))
    for _ in range(2):
        response = client.post(
            comment_url(comment, "report"), {"reason": "spam", "text": "广告"}
        )

    assert form.status_code == 200
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert flag.content_type == ContentType.objects.get_for_model(Comment)
    assert flag.object_id == comment.pk
    assert flag.reason == "spam"


@pytest.mark.django_db
def test_report_without_a_reason_is_refused(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(UserFactory())

    response = client.post(comment_url(comment, "report"), {"reason": "other"})

    assert response.status_code == 400
    assert not Flag.objects.exists()


@pytest.mark.django_db
def test_own_comment_cannot_be_reported(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    client.force_login(comment.author)

    client.post(comment_url(comment, "report"), {"reason": "spam"})

    assert not Flag.objects.exists()


@pytest.mark.django_db
def test_actions_on_a_comment_through_another_consultation_are_not_found(client):
    comment = CommentFactory(consultation=ConsultationFactory(open=True))
    other = ConsultationFactory(open=True)
    client.force_login(UserFactory())

    response = client.post(f"/consultations/{other.pk}/comments/{comment.pk}/support/")

    assert response.status_code == 404
    assert not Support.objects.exists()
