"""A small public world with things a visitor must never see: a draft
consultation, hidden, pending and deleted comments, pending testimony and
suggestions, unpublished survey results and hearing records, and people
with email addresses."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from consultations.models import Comment, Section
from demands.models import Demand, DemandSource, Suggestion
from hearings.models import LiveQuestion, Record
from tests import factories as f
from tests.api import factories as api_f
from tests.hearings import factories as hearing_f
from tests.surveys import factories as survey_f

SECRET = "SECRET-MUST-NOT-LEAK"
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _generous_throttle(settings):
    """Tests send many requests from one address; the throttle's own test
    lowers the rate again. Responses are not reused unless a test asks."""
    settings.API_ANON_THROTTLE_RATE = "100000/min"
    settings.API_CACHE_SECONDS = 0


@pytest.fixture
def client():
    return Client()


@dataclass
class World:
    city: object
    district: object
    street: object
    community: object
    topic: object
    department: object
    residents: list = field(default_factory=list)
    consultations: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    surveys: dict = field(default_factory=dict)
    hearings: dict = field(default_factory=dict)
    demands: dict = field(default_factory=dict)
    suggestions: dict = field(default_factory=dict)


def _resident(n: int, area):
    user = f.UserFactory(
        email=f"private.person{n}@example.org",
        display_name=f"居民Resident{n}",
    )
    user.home_area = area
    user.save(update_fields=["home_area"])
    return user


@pytest.fixture
def world(db) -> World:
    city, district, street, community = f.area_chain()
    topic = f.TopicFactory(slug="transport", name_zh="交通", name_en="Transport")
    department = f.DepartmentFactory(
        slug="transport-bureau", name_zh="交通局", name_en="Transport Bureau"
    )
    department.topics.add(topic)
    w = World(city, district, street, community, topic, department)
    w.residents = [_resident(n, community) for n in range(3)]
    author = w.residents[0]

    for state in f.STATES:
        title = f"{state} consultation" + (f" {SECRET}" if state == "draft" else "")
        w.consultations[state] = f.consultation_in(
            state,
            title=title,
            department=department,
            areas=[district],
            topics=[topic],
        )
    c = w.consultations["open"]
    w.sections = [
        f.SectionFactory(consultation=c, anchor="article-1", position=1),
        f.SectionFactory(
            consultation=c, anchor="chapter-1", position=0, kind=Section.Kind.CHAPTER
        ),
    ]
    f.SectionFactory(consultation=w.consultations["draft"], body=f"draft text {SECRET}")
    visible = f.CommentFactory(
        consultation=c, author=author, body="公交线路应延长。Extend the bus line."
    )
    w.comments["visible"] = visible
    w.comments["reply"] = f.ReplyFactory(parent=visible, author=w.residents[1])
    for status in ("hidden", "pending", "removed"):
        w.comments[status] = f.CommentFactory(
            consultation=c,
            author=w.residents[2],
            status=status,
            hidden_reason="广告 advertising" if status == "hidden" else "",
            body=f"{status} {SECRET} call {PHONE} or mail leak@example.net",
        )
    f.ReplyFactory(
        parent=visible,
        status=Comment.Status.PENDING,
        body=f"pending reply {SECRET}",
    )
    f.CommentFactory(consultation=w.consultations["draft"], body=f"on a draft {SECRET}")
    outcome = w.consultations["responded"].outcome
    f.OutcomeItemFactory(outcome=outcome)

    # Surveys: one with published results, one without, one draft.
    published = survey_f.SurveyFactory(
        closed=True, department=department, results_published_at=f._ago(hours=1)
    )
    page = survey_f.PageFactory(survey=published)
    survey_f.question_with_options(page, "single", texts=("是 Yes", "否 No"))
    w.surveys["published"] = published
    w.surveys["unpublished"] = survey_f.SurveyFactory(
        closed=True, department=department, title_zh="结果未公布"
    )
    w.surveys["draft"] = survey_f.SurveyFactory(
        department=department, title_zh=f"草稿 {SECRET}"
    )

    # Hearings: one upcoming, one with a published record, one with an
    # unpublished record, one of the draft consultation.
    w.hearings["upcoming"] = hearing_f.HearingFactory(consultation=c)
    done = hearing_f.HearingFactory(
        consultation=c, ended=True, state="record_published"
    )
    Record.objects.create(
        hearing=done, minutes="会议纪要 Minutes", published_at=api_f.days_ago(0.05)
    )
    hearing_f.TestimonyFactory(hearing=done, author=author, body="公开的书面意见")
    hearing_f.TestimonyFactory(
        hearing=done,
        author=author,
        body=f"pending testimony {SECRET}",
        status=LiveQuestion.Status.PENDING,
    )
    hearing_f.QuestionFactory(
        hearing=done,
        author=author,
        body=f"pending question {SECRET}",
        status=LiveQuestion.Status.PENDING,
    )
    w.hearings["record"] = done
    unpublished = hearing_f.HearingFactory(consultation=c, ended=True)
    Record.objects.create(hearing=unpublished, minutes=f"unpublished minutes {SECRET}")
    w.hearings["unpublished"] = unpublished
    w.hearings["draft"] = hearing_f.HearingFactory(
        consultation=w.consultations["draft"], title=f"hearing {SECRET}"
    )

    # Demands: responded, resolved, merged; suggestions visible and held.
    assigned = api_f.demand(
        topic=topic,
        area=street,
        department=department,
        status=Demand.Status.IN_PROGRESS,
        created_at=api_f.days_ago(10),
        first_response_at=api_f.days_ago(8),
        score=5,
    )
    api_f.update(assigned, text="已开工 Work has started", status_to="in_progress")
    api_f.update(assigned, text=f"internal note {SECRET}", is_public=False)
    resolved = api_f.demand(
        title="路灯 Street lights",
        topic=topic,
        area=community,
        department=department,
        status=Demand.Status.RESOLVED,
        created_at=api_f.days_ago(20),
        first_response_at=api_f.days_ago(18),
        resolved_at=api_f.days_ago(14),
        score=3,
    )
    merged = api_f.demand(
        title="merged duplicate", status=Demand.Status.MERGED, merged_into=assigned
    )
    w.demands = {"assigned": assigned, "resolved": resolved, "merged": merged}
    visible_s = api_f.suggestion(author, topic=topic, area=community)
    held = api_f.suggestion(
        author,
        title=f"held {SECRET}",
        body=f"call me {PHONE}",
        status=Suggestion.Status.PENDING,
        topic=topic,
    )
    hidden_s = api_f.suggestion(
        author, title=f"hidden {SECRET}", status=Suggestion.Status.HIDDEN
    )
    w.suggestions = {"visible": visible_s, "held": held, "hidden": hidden_s}
    api_f.source(assigned, visible_s, DemandSource.Kind.SUGGESTION, author=author)
    api_f.source(assigned, visible, DemandSource.Kind.COMMENT, author=author)
    api_f.source(resolved, w.comments["reply"], DemandSource.Kind.COMMENT)
    return w
