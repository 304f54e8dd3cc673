"""Which inputs the analysis takes in, and the run through a real worker."""

import time

import pytest

from consultations.models import Comment
from demands import pipeline
from demands.models import AnalysisRun, DemandSource, Suggestion
from hearings.models import LiveQuestion
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    ReplyFactory,
    TopicFactory,
    UserFactory,
    district,
)
from tests.hearings import factories as hearing_factories


@pytest.mark.django_db
def test_ingest_takes_visible_resident_inputs_once():
    topic = TopicFactory()
    area = district()
    comment = CommentFactory(
        consultation=ConsultationFactory(open=True, topics=[topic]),
        body="公交车太挤",
        author_area=area,
    )
    reply = ReplyFactory(parent=comment, body="同意，早高峰根本上不去")
    official = ReplyFactory(
        parent=comment, body="我们会研究。", official_department=DepartmentFactory()
    )
    CommentFactory(status=Comment.Status.HIDDEN)
    CommentFactory(status=Comment.Status.PENDING)
    question = hearing_factories.QuestionFactory(body="路灯什么时候修？")
    hearing_factories.QuestionFactory(status=LiveQuestion.Status.HIDDEN)
    testimony = hearing_factories.TestimonyFactory(body="关于停车位的书面意见")
    hearing_factories.TestimonyFactory(status=LiveQuestion.Status.PENDING)

    added = pipeline.ingest()

    assert added == 4
    assert set(DemandSource.objects.values_list("kind", "object_id")) == {
        ("comment", comment.pk),
        ("comment", reply.pk),
        ("question", question.pk),
        ("testimony", testimony.pk),
    }
    source = DemandSource.objects.get(kind="comment", object_id=comment.pk)
    assert (source.topic, source.area, source.text) == (topic, area, "公交车太挤")
    assert source.url == comment.get_absolute_url()
    assert DemandSource.objects.get(object_id=reply.pk, kind="comment").url == (
        reply.get_absolute_url()
    )
    assert DemandSource.objects.get(kind="question").url == (
        f"{question.hearing.get_absolute_url()}#question-{question.pk}"
    )
    assert source.analysed_run is None
    assert not DemandSource.objects.filter(
        kind="comment", object_id=official.pk
    ).exists()
    assert pipeline.ingest() == 0


@pytest.mark.django_db
def test_ingest_takes_visible_suggestions_with_title_and_text():
    author = UserFactory()
    area = district()
    suggestion = Suggestion.objects.create(
        author=author,
        title="增加公交班次",
        body="早高峰等车太久。",
        area=area,
        form_key="00000000-0000-0000-0000-000000000001",
    )
    Suggestion.objects.create(
        author=author,
        title="待审",
        body="内容",
        status=Suggestion.Status.PENDING,
        form_key="00000000-0000-0000-0000-000000000002",
    )

    pipeline.ingest()

    source = DemandSource.objects.get()
    assert source.kind == "suggestion"
    assert source.object_id == suggestion.pk
    assert source.text == "增加公交班次\n早高峰等车太久。"
    assert (source.author, source.area) == (author, area)


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_run_goes_through_the_real_worker_to_done(celery_worker):
    for body in ["解放碑公交车太挤了", "解放碑公交车太挤了！", "小区路灯坏了没人修"]:
        CommentFactory(body=body)

    run = pipeline.start_run(by=UserFactory())

    assert wait_until(lambda: AnalysisRun.objects.get(pk=run.pk).is_finished), (
        AnalysisRun.objects.get(pk=run.pk).stage
    )
    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE, run.error
    assert run.progress == 100
    assert run.counts["inputs_new"] == 3
    assert run.counts["duplicates"] == 1
    assert DemandSource.objects.filter(demand__isnull=True).count() == 0
