"""IDOR probes: every object-scoped official, moderator and personal URL,
with the ids of one department's objects (or one person's), tried by a
resident, an official of another department and a moderator of another
department (and by the wrong person), by GET and by POST. Each is refused
(403, 404 or 405) and nothing in the database changes."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import User
from consultations.models import (
    Attachment,
    Comment,
    Consultation,
    ExportJob,
    Outcome,
    OutcomeItem,
)
from demands.models import Demand, DemandUpdate, Suggestion
from hearings.models import (
    AgendaItem,
    Hearing,
    LiveQuestion,
    Registration,
    Testimony,
)
from moderation import appeals, reports, services
from moderation.models import Appeal, Flag, ModerationAction, Sanction
from notifications.models import Notification
from surveys.models import Page, Question, Survey, SurveyExport
from tests.demands.factories import DemandFactory, SuggestionFactory
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DepartmentFactory,
    OutcomeFactory,
    OutcomeItemFactory,
    UserFactory,
    moderator,
    official,
)
from tests.hearings.factories import (
    AgendaItemFactory,
    HearingFactory,
    QuestionFactory,
    TestimonyFactory,
    speaker,
)
from tests.surveys.factories import PageFactory, SurveyFactory
from tests.surveys.factories import QuestionFactory as SurveyQuestionFactory

pytestmark = pytest.mark.django_db
REFUSED = {403, 404, 405}
# Refused with a redirect and an error message rather than 403 (their
# apps' convention); the snapshot shows that nothing changes.
REDIRECTED = {
    "demands_console:accept",
    "demands_console:rename",
    "notifications:read",
}
WATCHED = [
    Consultation,
    Comment,
    Attachment,
    Outcome,
    OutcomeItem,
    ExportJob,
    Survey,
    Page,
    Question,
    SurveyExport,
    Hearing,
    AgendaItem,
    Registration,
    LiveQuestion,
    Testimony,
    Demand,
    DemandUpdate,
    Suggestion,
    Notification,
    Flag,
    ModerationAction,
    Appeal,
    Sanction,
]


@dataclass
class World:
    """Department A's objects and one resident's personal ones."""

    department: object
    draft: Consultation
    closed: Consultation
    comment: Comment
    attachment: Attachment
    item: OutcomeItem
    export: ExportJob
    survey: Survey
    page: Page
    question: Question
    survey_export: SurveyExport
    hearing: Hearing
    agenda: AgendaItem
    registration: Registration
    live_question: LiveQuestion
    testimony: Testimony
    demand: Demand
    suggestion: Suggestion
    notification: Notification
    hide: ModerationAction
    edit_request: ModerationAction
    appeal: Appeal
    author: User
    decider: User


def build_world() -> World:
    department = DepartmentFactory()
    owner = official(department)
    decider = moderator(department)
    draft = ConsultationFactory(department=department)
    live = ConsultationFactory(open=True, department=department)
    closed = ConsultationFactory(closed=True, department=department)
    comment = CommentFactory(consultation=live)
    hidden = CommentFactory(consultation=live)
    services.content_hide(moderator=decider, item=hidden, reason="广告")
    hide = ModerationAction.objects.get(kind="hide", object_id=hidden.pk)
    appeal = appeals.appeal_file(user=hidden.author, action=hide, text="不是广告")
    services.content_request_edit(moderator=decider, item=comment, reason="请修改")
    edit_request = ModerationAction.objects.get(kind="request_edit")
    reports.content_report(user=UserFactory(), item=comment, reason="spam")
    survey = SurveyFactory(department=department)
    page = PageFactory(survey=survey)
    hearing = HearingFactory(consultation=live)
    demand = DemandFactory(department=department, status=Demand.Status.ASSIGNED)
    return World(
        department=department,
        draft=draft,
        closed=closed,
        comment=comment,
        attachment=Attachment.objects.create(
            consultation=draft, title="附件", file="consultations/x.pdf", size=10
        ),
        item=OutcomeItemFactory(outcome=OutcomeFactory(consultation=closed)),
        export=ExportJob.objects.create(
            consultation=live, requested_by=owner, format="csv"
        ),
        survey=survey,
        page=page,
        question=SurveyQuestionFactory(page=page),
        survey_export=SurveyExport.objects.create(
            survey=survey, requested_by=owner, format="csv"
        ),
        hearing=hearing,
        agenda=AgendaItemFactory(hearing=hearing),
        registration=speaker(hearing),
        live_question=QuestionFactory(hearing=hearing, status="pending"),
        testimony=TestimonyFactory(hearing=hearing, status="pending"),
        demand=demand,
        suggestion=SuggestionFactory(),
        notification=Notification.objects.create(
            user=comment.author, kind="reply", key="probe", url="/"
        ),
        hide=hide,
        edit_request=edit_request,
        appeal=appeal,
        author=comment.author,
        decider=decider,
    )


def official_urls(w: World) -> list[tuple[str, list]]:
    """Every console URL with department A's ids."""
    c, s, h = "consultations_console", "surveys_console", "hearings_console"
    return [
        (f"{c}:overview", [w.draft.pk]),
        (f"{c}:basics", [w.draft.pk]),
        (f"{c}:scope", [w.draft.pk]),
        (f"{c}:schedule", [w.draft.pk]),
        (f"{c}:document", [w.draft.pk]),
        (f"{c}:attachment_add", [w.draft.pk]),
        (f"{c}:attachment_delete", [w.draft.pk, w.attachment.pk]),
        (f"{c}:preview", [w.draft.pk]),
        (f"{c}:publish", [w.draft.pk]),
        (f"{c}:unpublish", [w.comment.consultation_id]),
        (f"{c}:extend", [w.comment.consultation_id]),
        (f"{c}:archive", [w.closed.pk]),
        (f"{c}:figures", [w.comment.consultation_id]),
        (f"{c}:outcome", [w.closed.pk]),
        (f"{c}:item_add", [w.closed.pk]),
        (f"{c}:item_edit", [w.closed.pk, w.item.pk]),
        (f"{c}:item_delete", [w.closed.pk, w.item.pk]),
        (f"{c}:outcome_publish", [w.closed.pk]),
        (f"{c}:export_request", [w.comment.consultation_id]),
        (f"{c}:export", [w.comment.consultation_id, w.export.pk]),
        (f"{c}:export_status", [w.comment.consultation_id, w.export.pk]),
        (f"{c}:export_download", [w.comment.consultation_id, w.export.pk]),
        (f"{s}:overview", [w.survey.pk]),
        (f"{s}:settings", [w.survey.pk]),
        (f"{s}:preview", [w.survey.pk]),
        (f"{s}:publish", [w.survey.pk]),
        (f"{s}:page_add", [w.survey.pk]),
        (f"{s}:page_edit", [w.survey.pk, w.page.pk]),
        (f"{s}:page_action", [w.survey.pk, w.page.pk]),
        (f"{s}:question_new", [w.survey.pk, w.page.pk]),
        (f"{s}:question_edit", [w.survey.pk, w.question.pk]),
        (f"{s}:question_action", [w.survey.pk, w.question.pk]),
        (f"{s}:results", [w.survey.pk]),
        (f"{s}:results_print", [w.survey.pk]),
        (f"{s}:open_answers", [w.survey.pk, w.question.pk]),
        (f"{s}:export_request", [w.survey.pk]),
        (f"{s}:export", [w.survey.pk, w.survey_export.pk]),
        (f"{s}:export_status", [w.survey.pk, w.survey_export.pk]),
        (f"{s}:export_download", [w.survey.pk, w.survey_export.pk]),
        (f"{h}:create", [w.comment.consultation_id]),
        (f"{h}:overview", [w.hearing.pk]),
        (f"{h}:edit", [w.hearing.pk]),
        (f"{h}:move", [w.hearing.pk]),
        (f"{h}:agenda_add", [w.hearing.pk]),
        (f"{h}:agenda_change", [w.hearing.pk, w.agenda.pk]),
        (f"{h}:record", [w.hearing.pk]),
        (f"{h}:speaker", [w.hearing.pk, w.registration.pk]),
        (f"{h}:floor", [w.hearing.pk]),
        (f"{h}:question", [w.hearing.pk, w.live_question.pk]),
        (f"{h}:testimony", [w.hearing.pk, w.testimony.pk]),
        ("demands_console:demand", [w.demand.pk]),
        ("demands_console:accept", [w.demand.pk]),
        ("demands_console:assign", [w.demand.pk]),
        ("demands_console:status", [w.demand.pk]),
        ("demands_console:respond", [w.demand.pk]),
        ("demands_console:rename", [w.demand.pk]),
        ("demands_console:priority", [w.demand.pk]),
        ("demands_console:merge", [w.demand.pk]),
        ("demands_console:split", [w.demand.pk]),
    ]


def moderator_urls(w: World) -> list[tuple[str, list]]:
    """Every moderation decision with department A's ids."""
    return [
        ("moderation:decide", [w.comment.pk]),
        ("moderation:decide_content", ["comment", w.comment.pk]),
        ("moderation:decide_content", ["testimony", w.testimony.pk]),
        ("moderation:decide_content", ["question", w.live_question.pk]),
        ("moderation:decide_bulk", []),
        ("moderation:appeal_decide", [w.appeal.pk]),
    ]


def personal_urls(w: World) -> list[tuple[str, list]]:
    """Someone else's notifications, decisions and edit requests."""
    return [
        ("notifications:read", [w.notification.pk]),
        ("moderation:appeal_file", [w.hide.pk]),
        ("moderation:edit_as_asked", [w.edit_request.pk]),
        ("surveys:receipt", [w.survey.pk]),
    ]


POST_DATA = {
    "decision": "hide",
    "reason": "probe",
    "items": ["comment:0", "testimony:0"],
    "text": "probe",
    "body": "probe",
    "title": "probe",
    "action": "approve",
    "state": "live",
    "summary": "probe",
}


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED
    }


def probe(client, urls, world) -> list[str]:
    """Each URL by GET and POST; the refusals that were not refused."""
    failures = []
    for name, args in urls:
        url = reverse(name, args=args)
        data = dict(POST_DATA)
        if name == "moderation:decide_bulk":
            data["items"] = [
                f"comment:{world.comment.pk}",
                f"testimony:{world.testimony.pk}",
            ]
        for method in ("get", "post"):
            response = getattr(client, method)(url, data if method == "post" else None)
            allowed = REFUSED | ({302} if name in REDIRECTED else set())
            if response.status_code not in allowed:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    return failures


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who", ["resident", "official of another department", "moderator of another"]
)
def test_console_and_moderation_urls_refuse_outsiders(client, who):
    world = build_world()
    other = DepartmentFactory()
    user = {
        "resident": UserFactory,
        "official of another department": lambda: official(other),
        "moderator of another": lambda: moderator(other),
    }[who]()
    _as(client, user)
    before = snapshot()

    failures = probe(client, official_urls(world) + moderator_urls(world), world)

    assert failures == [], "\n".join(failures)
    assert snapshot() == before


def test_personal_urls_refuse_other_people(client):
    world = build_world()
    _as(client, UserFactory())
    before = snapshot()

    failures = probe(client, personal_urls(world), world)

    assert failures == [], "\n".join(failures)
    assert snapshot() == before


def test_an_appeal_is_refused_to_the_moderator_who_decided(client):
    world = build_world()
    _as(client, world.decider)
    before = snapshot()

    response = client.post(
        reverse("moderation:appeal_decide", args=[world.appeal.pk]),
        {"decision": "uphold", "reason": "自己审自己"},
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_a_department_moderator_cannot_decide_on_suggestions(client):
    world = build_world()
    _as(client, world.decider)
    before = snapshot()

    response = client.post(
        reverse("moderation:decide_content", args=["suggestion", world.suggestion.pk]),
        {"decision": "hide", "reason": "probe"},
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_the_probes_reach_real_objects(client):
    """The owners are let in, so a refusal above is about the user."""
    world = build_world()
    owner = official(world.department)
    _as(client, owner)
    assert (
        client.get(
            reverse("consultations_console:overview", args=[world.draft.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("surveys_console:overview", args=[world.survey.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("hearings_console:overview", args=[world.hearing.pk])
        ).status_code
        == 200
    )
    _as(client, world.author)
    assert (
        client.get(
            reverse("moderation:edit_as_asked", args=[world.edit_request.pk])
        ).status_code
        == 200
    )
