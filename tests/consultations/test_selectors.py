"""Reads shared by pages and the API: lists, search, comment pages and
figures."""

import base64
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consultations import selectors
from consultations.models import Comment, Consultation
from consultations.selectors import ConsultationFilters
from consultations.services import comments, lifecycle
from tests.factories import (
    STATES,
    AreaFactory,
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    OutcomeFactory,
    ReplyFactory,
    SectionFactory,
    SupportFactory,
    TopicFactory,
    UserFactory,
    area_chain,
    consultation_in,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def listed(**filters) -> list[Consultation]:
    return list(selectors.consultation_list(filters=ConsultationFilters(**filters)))


# consultation_list -------------------------------------------------------------


def test_list_shows_published_consultations_only():
    by_state = {state: consultation_in(state) for state in STATES}

    assert set(listed()) == {c for s, c in by_state.items() if s != "draft"}


@pytest.mark.parametrize("state", [s for s in STATES if s != "draft"])
def test_list_filters_by_status(state):
    by_state = {s: consultation_in(s) for s in STATES}

    assert listed(status=state) == [by_state[state]]


def test_draft_status_lists_nothing_publicly():
    consultation_in("draft")

    assert listed(status="draft") == []


def test_closed_with_an_unpublished_outcome_is_still_closed():
    closed = consultation_in("closed")
    OutcomeFactory(consultation=closed, published_at=None)

    assert listed(status="closed") == [closed]
    assert listed(status="responded") == []


def test_unknown_status_lists_nothing_instead_of_failing():
    consultation_in("open")

    assert listed(status="bogus") == []


def test_list_counts_visible_top_level_comments():
    consultation = consultation_in("open")
    parent = CommentFactory(consultation=consultation)
    ReplyFactory(parent=parent)
    CommentFactory(consultation=consultation, status=Comment.Status.PENDING)

    assert listed()[0].comment_count == 1


def test_area_filter_includes_sub_areas_and_ancestors():
    city, district, street, community = area_chain()
    next_street = AreaFactory(
        code="500103003", name_zh="七星岗街道", name_en="Qixinggang", parent=district
    )
    other_district = AreaFactory(
        code="500105", name_zh="江北区", name_en="Jiangbei", parent=city
    )
    citywide = consultation_in("open", areas=[city])
    for_district = consultation_in("open", areas=[district])
    for_community = consultation_in("open", areas=[community])
    for_next_street = consultation_in("open", areas=[next_street])
    elsewhere = consultation_in("open", areas=[other_district])

    assert set(listed(area=district)) == {
        citywide,
        for_district,
        for_community,
        for_next_street,
    }
    assert set(listed(area=street)) == {citywide, for_district, for_community}
    assert set(listed(area=community)) == {citywide, for_district, for_community}
    assert set(listed(area=other_district)) == {citywide, elsewhere}


def test_area_filter_lists_a_consultation_with_several_areas_once():
    _city, district, street, community = area_chain()
    consultation_in("open", areas=[district, street, community])

    assert len(listed(area=district)) == 1


def test_list_filters_by_topic_and_department():
    transport, care = TopicFactory(), TopicFactory()
    bureau = DepartmentFactory()
    bus = consultation_in("open", topics=[transport], department=bureau)
    elderly = consultation_in("open", topics=[care])

    assert listed(topic=transport) == [bus]
    assert listed(topic=care) == [elderly]
    assert listed(department=bureau) == [bus]
    assert listed(topic=care, department=bureau) == []


def test_list_is_newest_opening_first():
    older = consultation_in("open")
    newer = consultation_in("open")
    Consultation.objects.filter(pk=older.pk).update(
        opens_at=timezone.now() - timedelta(days=5)
    )

    assert listed() == [newer, older]


# Search ------------------------------------------------------------------------


def indexed(**kwargs) -> Consultation:
    consultation = consultation_in("open", **kwargs)
    lifecycle.consultation_index(consultation)
    return consultation


def test_chinese_query_finds_the_right_consultation():
    elderly = indexed(
        title="重庆市养老服务条例（征求意见稿）", summary="社区居家养老服务的规定"
    )
    indexed(title="871路公交线路调整方案", summary="调整公交站点")

    assert listed(q="养老服务") == [elderly]
    assert listed(q="社区养老") == [elderly]


def test_english_query_finds_the_right_consultation():
    bus = indexed(
        title="871路公交线路调整方案",
        summary="Bus route 871 will stop at Jiefangbei Station.",
    )
    indexed(title="鹅岭公园改造", summary="Renovating Eling Park's paths")

    assert listed(q="Bus route") == [bus]
    assert listed(q="ELING park") != [bus]
    assert [c.title for c in listed(q="eling park")] == ["鹅岭公园改造"]


def test_search_ranks_a_title_match_above_a_body_match():
    in_body = indexed(title="公园改造", summary="顺带提到停车收费")
    in_title = indexed(title="停车收费标准调整", summary="调整标准")

    assert listed(q="停车收费") == [in_title, in_body]


def test_search_finds_words_in_the_draft_sections():
    consultation = consultation_in("open", title="条例草案")
    SectionFactory(consultation=consultation, body="社区食堂应当为老年人提供助餐服务")
    lifecycle.consultation_index(consultation)

    assert listed(q="助餐") == [consultation]


def test_search_combines_with_every_filter():
    _city, district, street, _community = area_chain()
    topic = TopicFactory()
    wanted = indexed(title="社区养老服务站建设", areas=[district], topics=[topic])
    indexed(title="社区养老服务站选址", areas=[district])

    found = listed(
        q="养老服务", area=street, topic=topic, status="open", department=None
    )

    assert found == [wanted]


def test_search_with_only_punctuation_finds_nothing():
    indexed(title="公园改造")

    assert listed(q="！？…") == []


def test_search_operators_in_the_query_are_plain_text():
    indexed(title="公园改造")

    assert listed(q="公园 | ! & ( ' :*") == listed(q="公园")


def test_comment_search_finds_visible_comments_in_both_languages():
    consultation = consultation_in("open")
    user = UserFactory()
    chinese, _created = comments.comment_post(
        user=user,
        consultation=consultation,
        body="希望增加无障碍坡道",
        idempotency_key=uuid.uuid4(),
    )
    english, _created = comments.comment_post(
        user=user,
        consultation=consultation,
        body="Please add more benches along the riverside",
        idempotency_key=uuid.uuid4(),
    )

    assert list(selectors.comment_search(q="无障碍")) == [chinese]
    assert list(selectors.comment_search(q="benches")) == [english]


def test_comment_search_skips_pending_and_hidden_comments():
    consultation = consultation_in("open")
    posted, _created = comments.comment_post(
        user=UserFactory(),
        consultation=consultation,
        body="希望增加无障碍坡道",
        idempotency_key=uuid.uuid4(),
    )
    Comment.objects.filter(pk=posted.pk).update(status=Comment.Status.HIDDEN)

    assert list(selectors.comment_search(q="无障碍")) == []


# comment_page: keyset pagination ------------------------------------------------


def many_comments(consultation, count, *, authors=None, start=None):
    """``count`` top-level comments with ties: four share each minute, and
    support counts cycle through 0, 1, 2."""
    authors = authors or [UserFactory() for _ in range(3)]
    start = start or timezone.now() - timedelta(days=1)
    return Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            author=authors[i % len(authors)],
            body=f"第{i}条意见",
            stance=Comment.Stance.SUGGESTION,
            idempotency_key=uuid.uuid4(),
            created_at=start + timedelta(minutes=i // 4),
            support_count=i % 3,
        )
        for i in range(count)
    )


def walk(consultation, viewer, sort, per_page=10) -> list[int]:
    seen, cursor = [], ""
    for _ in range(100):
        page = selectors.comment_page(
            consultation=consultation,
            viewer=viewer,
            sort=sort,
            cursor=cursor,
            per_page=per_page,
        )
        seen += [c.pk for c in page.comments]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("newest", lambda c: (c.created_at, c.pk)),
        ("supported", lambda c: (c.support_count, c.pk)),
    ],
)
def test_pages_neither_overlap_nor_skip(sort, key):
    consultation = consultation_in("open")
    created = many_comments(consultation, 55)

    seen = walk(consultation, AnonymousUser(), sort)

    expected = [c.pk for c in sorted(created, key=key, reverse=True)]
    assert seen == expected


def test_last_page_has_no_next_cursor():
    consultation = consultation_in("open")
    many_comments(consultation, 20)

    first = selectors.comment_page(
        consultation=consultation, viewer=AnonymousUser(), per_page=20
    )

    assert len(first.comments) == 20
    assert first.next_cursor is None


def test_unknown_sort_falls_back_to_newest():
    consultation = consultation_in("open")
    many_comments(consultation, 3)

    page = selectors.comment_page(
        consultation=consultation, viewer=AnonymousUser(), sort="random()"
    )

    assert page.sort == "newest"


def test_page_holds_top_level_comments_with_their_replies():
    consultation = consultation_in("open")
    parent = CommentFactory(consultation=consultation)
    child = ReplyFactory(parent=parent)

    page = selectors.comment_page(consultation=consultation, viewer=AnonymousUser())

    assert page.comments == [parent]
    assert list(page.comments[0].replies.all()) == [child]


def test_section_page_holds_that_sections_comments_only():
    consultation = consultation_in("open")
    article = SectionFactory(consultation=consultation)
    on_article = CommentFactory(consultation=consultation, section=article)
    CommentFactory(consultation=consultation)

    page = selectors.comment_page(
        consultation=consultation, viewer=AnonymousUser(), section=article
    )

    assert page.comments == [on_article]


def test_pending_comment_is_visible_only_to_its_author():
    consultation = consultation_in("open")
    pending = CommentFactory(consultation=consultation, status=Comment.Status.PENDING)
    visible = CommentFactory(consultation=consultation)
    pending_reply = ReplyFactory(parent=visible, status=Comment.Status.PENDING)

    def seen_by(viewer):
        page = selectors.comment_page(consultation=consultation, viewer=viewer)
        return {c.pk for c in page.comments} | {
            r.pk for c in page.comments for r in c.replies.all()
        }

    assert seen_by(pending.author) == {pending.pk, visible.pk}
    assert seen_by(pending_reply.author) == {visible.pk, pending_reply.pk}
    assert seen_by(UserFactory()) == {visible.pk}
    assert seen_by(AnonymousUser()) == {visible.pk}


def test_page_marks_what_the_viewer_supported():
    consultation = consultation_in("open")
    supported, other = (CommentFactory(consultation=consultation) for _ in range(2))
    viewer = SupportFactory(comment=supported).user

    page = selectors.comment_page(consultation=consultation, viewer=viewer)

    marks = {c.pk: c.supported_by_viewer for c in page.comments}
    assert marks == {supported.pk: True, other.pk: False}


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!not base64!!!",
        "abc",
        _b64("not json"),
        _b64('{"a": 1, "b": 2}'),
        _b64("[1, 2, 3]"),
        _b64("[1e999, 1]"),
        _b64('["2024-13-45", 1]'),
        _b64('["2024-01-01T00:00:00+00:00", "x"]'),
        _b64("[NaN, 1]"),
        "%FF%FE",
        "意见",
    ],
)
@pytest.mark.parametrize("sort", ["newest", "supported"])
def test_malformed_cursor_is_ignored(cursor, sort):
    consultation = consultation_in("open")
    many_comments(consultation, 3)

    page = selectors.comment_page(
        consultation=consultation, viewer=AnonymousUser(), sort=sort, cursor=cursor
    )

    assert len(page.comments) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        _b64('["2024-01-01T00:00:00+00:00", 99999999999999999999999999]'),
        _b64("[99999999999999999999999999, 1]"),
    ],
)
def test_out_of_range_cursor_is_not_a_database_error(cursor):
    consultation = consultation_in("open")
    many_comments(consultation, 3)

    for sort in ("newest", "supported"):
        page = selectors.comment_page(
            consultation=consultation,
            viewer=AnonymousUser(),
            sort=sort,
            cursor=cursor,
        )
        assert len(page.comments) <= 3


@pytest.mark.parametrize("count", [10, 1000])
def test_comment_page_query_count_does_not_grow(count, django_assert_max_num_queries):
    consultation = consultation_in("open")
    authors = [UserFactory() for _ in range(3)]
    created = many_comments(consultation, count, authors=authors)
    for parent in created[-20:]:
        ReplyFactory(parent=parent, author=authors[0])
    viewer = authors[1]

    # Keys, comments, replies, and the reader's own supports among them.
    with django_assert_max_num_queries(4):
        page = selectors.comment_page(consultation=consultation, viewer=viewer)
        for comment in page.comments:
            str(comment.author)
            for reply in comment.replies.all():
                str(reply.author)
                reply.official_department  # noqa: B018 - loaded, not queried
    with django_assert_max_num_queries(4):
        selectors.comment_page(
            consultation=consultation, viewer=viewer, cursor=page.next_cursor
        )


# figures -----------------------------------------------------------------------


def test_figures_count_comments_supports_participants_and_districts():
    city, district, _street, community = area_chain()
    other = AreaFactory(
        code="500105", name_zh="江北区", name_en="Jiangbei", parent=city
    )
    consultation = consultation_in("open")
    here, there = UserFactory(), UserFactory()
    first = CommentFactory(
        consultation=consultation,
        author=here,
        author_area=community,
        author_district=district,
        stance=Comment.Stance.SUPPORT,
    )
    CommentFactory(
        consultation=consultation,
        author=there,
        author_district=other,
        stance=Comment.Stance.OPPOSE,
    )
    CommentFactory(
        consultation=consultation, author=here, status=Comment.Status.PENDING
    )
    CommentFactory(consultation=consultation, status=Comment.Status.REMOVED)
    ReplyFactory(parent=first, author=there, author_district=other)
    supporter = SupportFactory(comment=first).user
    SupportFactory(comment=first, user=there)
    CommentFactory(consultation=consultation_in("open"))  # elsewhere

    figures = selectors.figures(consultation=consultation)

    assert figures["comments"] == 3
    assert figures["replies"] == 1
    assert figures["pending"] == 1
    assert figures["commenters"] == 2
    assert figures["supports"] == 2
    assert figures["supporters"] == 2
    # The author of the removed comment still took part.
    assert figures["participants"] == 4
    assert supporter.pk in set(
        selectors.participant_ids(consultation_id=consultation.pk)
    )
    by_district = {
        row["author_district__name_zh"]: row["n"] for row in figures["by_district"]
    }
    assert by_district == {"渝中区": 1, "江北区": 2, None: 1}
    assert figures["by_stance"] == {"support": 1, "oppose": 1, "suggestion": 1}


def test_figures_of_a_consultation_without_comments_are_zero():
    figures = selectors.figures(consultation=ConsultationFactory())

    assert figures["comments"] == figures["supports"] == figures["participants"] == 0
    assert figures["by_district"] == []
