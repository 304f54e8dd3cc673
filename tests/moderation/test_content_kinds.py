"""Reports, automatic hiding, the queue and decisions for every kind of
content: comments, written testimony, live questions and suggestions."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import Comment
from demands.models import Suggestion
from hearings import models as hearing_models
from hearings.services import questions as question_services
from hearings.services import testimony as testimony_services
from moderation import appeals, content, reports, services
from moderation.models import Flag, ModerationAction, WordFilter
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    ReplyFactory,
    UserFactory,
    moderator,
)
from tests.hearings.factories import HearingFactory, QuestionFactory, TestimonyFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("moderation:queue")


def suggestion(**kwargs) -> Suggestion:
    return Suggestion.objects.create(
        author=kwargs.pop("author", None) or UserFactory(),
        title=kwargs.pop("title", "小区门口增设公交站"),
        body=kwargs.pop("body", "建议在小区门口增设公交站。"),
        form_key=uuid.uuid4(),
        **kwargs,
    )


def each_kind(department=None):
    """One visible item of each kind, in one department."""
    consultation = ConsultationFactory(
        open=True, department=department or DepartmentFactory()
    )
    hearing = HearingFactory(consultation=consultation)
    return {
        "comment": CommentFactory(consultation=consultation),
        "testimony": TestimonyFactory(hearing=hearing),
        "question": QuestionFactory(hearing=hearing),
        "suggestion": suggestion(),
    }


KINDS = ["comment", "testimony", "question", "suggestion"]


@pytest.mark.parametrize("kind", KINDS)
def test_resident_reports_each_kind_once(client, kind):
    item = each_kind()[kind]
    client.force_login(UserFactory())
    url = reverse("moderation:report", args=[kind, item.pk])

    assert client.get(url).status_code == 200
    first = client.post(url, {"reason": "spam"})
    client.post(url, {"reason": "abuse", "text": "again"})

    assert first.status_code == 302
    flags = Flag.objects.filter(
        content_type=content.KINDS[kind].content_type, object_id=item.pk
    )
    assert [f.reason for f in flags] == ["spam"]


@pytest.mark.parametrize("kind", KINDS)
def test_three_distinct_reports_hide_each_kind_pending_review(kind):
    item = each_kind()[kind]
    for _ in range(3):
        reports.content_report(user=UserFactory(), item=item, reason="abuse")

    item.refresh_from_db()
    assert item.status == content.PENDING
    assert item.hidden_reason
    assert ModerationAction.objects.filter(
        kind="auto_hide", object_id=item.pk, actor__isnull=True
    ).exists()


def test_two_reports_do_not_hide(settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    item = each_kind()["testimony"]
    for _ in range(2):
        reports.content_report(user=UserFactory(), item=item, reason="abuse")
    item.refresh_from_db()
    assert item.status == content.VISIBLE


def test_authors_cannot_report_their_own(client):
    item = each_kind()["question"]
    client.force_login(item.author)
    client.post(
        reverse("moderation:report", args=["question", item.pk]), {"reason": "spam"}
    )
    assert not Flag.objects.exists()


def test_report_with_other_needs_text(client):
    item = each_kind()["suggestion"]
    client.force_login(UserFactory())
    response = client.post(
        reverse("moderation:report", args=["suggestion", item.pk]), {"reason": "other"}
    )
    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_hidden_or_unknown_items_cannot_be_reported(client):
    item = each_kind()["testimony"]
    hearing_models.Testimony.objects.filter(pk=item.pk).update(status="hidden")
    client.force_login(UserFactory())
    assert (
        client.get(
            reverse("moderation:report", args=["testimony", item.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("moderation:report", args=["nothing", 1])).status_code == 404
    )


def test_reporter_is_not_named_to_the_author(client):
    item = each_kind()["testimony"]
    reporter = UserFactory(display_name="举报人甲")
    reports.content_report(user=reporter, item=item, reason="abuse")
    services.content_hide(moderator=moderator(), item=item, reason="人身攻击")

    client.force_login(item.author)
    page = client.get(reverse("moderation:mine")).content.decode()
    assert "人身攻击" in page
    assert "举报人甲" not in page
    assert reporter.email not in page


def test_queue_lists_every_kind_with_context(client, django_assert_max_num_queries):
    items = each_kind()
    for item in items.values():
        reports.content_report(user=UserFactory(), item=item, reason="spam")
    client.force_login(moderator())

    with django_assert_max_num_queries(22):
        response = client.get(QUEUE)

    listed = {(i.kind.key, i.pk) for i in response.context["items"]}
    assert listed == {(k, i.pk) for k, i in items.items()}
    html = response.content.decode()
    assert items["testimony"].hearing.title in html
    assert items["suggestion"].title in html


def test_queue_filters_by_kind(client):
    items = each_kind()
    for item in items.values():
        reports.content_report(user=UserFactory(), item=item, reason="spam")
    client.force_login(moderator())
    for kind in KINDS:
        listed = client.get(QUEUE, {"kind": kind}).context["items"]
        assert [(i.kind.key, i.pk) for i in listed] == [(kind, items[kind].pk)]


def test_department_moderator_sees_their_hearings_but_not_suggestions(client):
    mine = DepartmentFactory()
    ours, theirs = each_kind(mine), each_kind()
    for item in [*ours.values(), *theirs.values()]:
        reports.content_report(user=UserFactory(), item=item, reason="spam")
    client.force_login(moderator(mine))

    listed = {(i.kind.key, i.pk) for i in client.get(QUEUE).context["items"]}

    assert listed == {(k, ours[k].pk) for k in ["comment", "testimony", "question"]}


@pytest.mark.parametrize("kind", KINDS)
def test_moderator_hides_each_kind_with_a_public_reason(client, kind):
    item = each_kind()[kind]
    client.force_login(moderator())
    client.post(
        reverse("moderation:decide_content", args=[kind, item.pk]),
        {"decision": "hide", "reason": "广告 advertising"},
    )
    item.refresh_from_db()
    assert item.status == content.HIDDEN
    assert item.hidden_reason == "广告 advertising"
    entry = ModerationAction.objects.get(kind="hide", object_id=item.pk)
    assert entry.snapshot["body"] == item.body
    assert entry.subject_id == item.author_id


@pytest.mark.parametrize("kind", KINDS)
def test_moderator_approves_a_hidden_item(kind):
    item = each_kind()[kind]
    mod = moderator()
    services.content_hide(moderator=mod, item=item, reason="x")
    services.content_approve(moderator=mod, item=item)
    item.refresh_from_db()
    assert item.status == content.VISIBLE
    assert item.hidden_reason == ""


def test_moderator_of_another_department_cannot_decide(client):
    item = each_kind()["testimony"]
    client.force_login(moderator(DepartmentFactory()))
    client.post(
        reverse("moderation:decide_content", args=["testimony", item.pk]),
        {"decision": "hide", "reason": "x"},
    )
    item.refresh_from_db()
    assert item.status == content.VISIBLE
    assert not ModerationAction.objects.exists()


def test_department_moderator_cannot_decide_on_suggestions(client):
    item = each_kind()["suggestion"]
    dept = DepartmentFactory()
    client.force_login(moderator(dept))
    client.post(
        reverse("moderation:decide_content", args=["suggestion", item.pk]),
        {"decision": "hide", "reason": "x"},
    )
    item.refresh_from_db()
    assert item.status == content.VISIBLE


def test_bulk_decision_across_kinds(client):
    items = each_kind()
    client.force_login(moderator())
    response = client.post(
        reverse("moderation:decide_bulk"),
        {
            "items": [f"{k}:{i.pk}" for k, i in items.items()],
            "decision": "hide",
            "reason": "批量广告",
        },
    )
    assert response.status_code == 302
    for item in items.values():
        item.refresh_from_db()
        assert item.status == content.HIDDEN
    assert ModerationAction.objects.filter(kind="hide").count() == 4


def test_hidden_live_question_shows_the_reason_to_everyone(client):
    question = QuestionFactory()
    services.content_hide(moderator=moderator(), item=question, reason="与议题无关")

    html = client.get(
        reverse("hearings:questions", args=[question.hearing_id])
    ).content.decode()

    assert "与议题无关" in html
    assert question.body not in html


def test_hidden_testimony_shows_the_reason_to_everyone_and_the_text_to_its_author(
    client,
):
    item = TestimonyFactory(body="这是一段被隐藏的书面意见")
    services.content_hide(moderator=moderator(), item=item, reason="含有个人信息")
    url = reverse("hearings:detail", args=[item.hearing_id])

    visitor = client.get(url).content.decode()
    client.force_login(item.author)
    author = client.get(url).content.decode()

    assert "含有个人信息" in visitor
    assert "这是一段被隐藏的书面意见" not in visitor
    assert "含有个人信息" in author
    assert "这是一段被隐藏的书面意见" in author


def test_appeal_against_a_hidden_question_restores_it():
    question = QuestionFactory()
    first, second = moderator(), moderator()
    services.content_hide(moderator=first, item=question, reason="x")
    action = ModerationAction.objects.get(kind="hide")
    appeal = appeals.appeal_file(user=question.author, action=action, text="并无不妥")
    appeals.appeal_decide(moderator=second, appeal=appeal, uphold=True, reason="ok")
    question.refresh_from_db()
    assert question.status == hearing_models.LiveQuestion.Status.VISIBLE


def test_a_comment_hide_changes_the_parent_reply_count():
    parent = CommentFactory()
    reply = ReplyFactory(parent=parent)
    Comment.objects.filter(pk=parent.pk).update(reply_count=1)
    mod = moderator()
    services.content_hide(moderator=mod, item=reply, reason="x")
    parent.refresh_from_db()
    assert parent.reply_count == 0
    services.content_approve(moderator=mod, item=reply)
    parent.refresh_from_db()
    assert parent.reply_count == 1


def test_testimony_with_personal_information_is_held_for_review():
    hearing = HearingFactory()
    item = testimony_services.testimony_submit(
        user=UserFactory(), hearing=hearing, body="请打我电话 13800138000"
    )
    assert item.status == content.PENDING
    assert item.hidden_reason
    assert ModerationAction.objects.filter(kind="hold", object_id=item.pk).exists()


def test_live_question_with_a_blocked_word_is_refused():
    WordFilter.objects.create(pattern="违禁词", action="block")
    hearing = HearingFactory(live=True)
    with pytest.raises(ValidationError):
        question_services.question_post(
            user=UserFactory(),
            hearing=hearing,
            body="含违禁词的问题",
            idempotency_key=uuid.uuid4(),
        )
    assert not hearing_models.LiveQuestion.objects.exists()


def test_hearing_console_decisions_are_in_the_audit_log():
    question = QuestionFactory(status="pending")
    item = TestimonyFactory(hearing=question.hearing, status="pending")
    chair = moderator()
    question_services.question_hide(moderator=chair, question=question, reason="重复")
    testimony_services.testimony_approve(moderator=chair, testimony=item)
    kinds = sorted(ModerationAction.objects.values_list("kind", flat=True))
    assert kinds == ["approve", "hide"]
