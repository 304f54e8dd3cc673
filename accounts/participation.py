"""My participation: everything a resident said, with the current state of
each and the answer it got. One query per kind (plus its count), whatever
the resident wrote; each kind is paginated on its own."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations.models import Comment, Support
from demands.models import DemandSource, DemandUpdate, Suggestion, SuggestionSupport
from hearings.models import LiveQuestion, QuestionUpvote, Registration, Testimony
from surveys.models import Response

PER_PAGE = 10


def _with_demand(queryset: QuerySet, model) -> QuerySet:
    """Annotate the demand each input feeds: its title, status and latest
    public response or progress text."""
    sources = DemandSource.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        demand__isnull=False,
    )
    latest = DemandUpdate.objects.filter(
        demand_id=OuterRef("demand_id"),
        is_public=True,
        kind__in=[DemandUpdate.Kind.RESPONSE, DemandUpdate.Kind.PROGRESS],
    ).order_by("-created_at", "-pk")
    sources = sources.annotate(response=Subquery(latest.values("text")[:1]))
    return queryset.annotate(
        demand_id=Subquery(sources.values("demand_id")[:1]),
        demand_title=Subquery(sources.values("demand__title")[:1]),
        demand_status=Subquery(sources.values("demand__status")[:1]),
        demand_response=Subquery(sources.values("response")[:1]),
    )


def comments(*, user: User) -> QuerySet[Comment]:
    official = Comment.objects.filter(
        parent=OuterRef("pk"),
        official_department__isnull=False,
        status=Comment.Status.VISIBLE,
    ).order_by("created_at", "pk")
    queryset = (
        Comment.objects.filter(author=user)
        .select_related("consultation", "section", "parent", "outcome_item")
        .annotate(
            official_reply=Subquery(official.values("body")[:1]),
            outcome_published_at=F("consultation__outcome__published_at"),
        )
        .order_by("-created_at", "-pk")
    )
    return _with_demand(queryset, Comment)


def survey_responses(*, user: User) -> QuerySet[Response]:
    return (
        Response.objects.filter(user=user)
        .select_related("survey")
        .order_by("-submitted_on", "-pk")
    )


def registrations(*, user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("hearing", "hearing__record")
        .order_by("-created_at", "-pk")
    )


def testimonies(*, user: User) -> QuerySet[Testimony]:
    queryset = (
        Testimony.objects.filter(author=user)
        .select_related("hearing")
        .order_by("-created_at", "-pk")
    )
    return _with_demand(queryset, Testimony)


def questions(*, user: User) -> QuerySet[LiveQuestion]:
    queryset = (
        LiveQuestion.objects.filter(author=user)
        .select_related("hearing")
        .order_by("-created_at", "-pk")
    )
    return _with_demand(queryset, LiveQuestion)


def suggestions(*, user: User) -> QuerySet[Suggestion]:
    queryset = (
        Suggestion.objects.filter(author=user)
        .select_related("topic", "area")
        .order_by("-created_at", "-pk")
    )
    return _with_demand(queryset, Suggestion)


def supports(*, user: User) -> QuerySet[Support]:
    return (
        Support.objects.filter(user=user)
        .select_related("comment", "comment__consultation")
        .order_by("-pk")
    )


def upvotes(*, user: User) -> QuerySet[QuestionUpvote]:
    return (
        QuestionUpvote.objects.filter(user=user)
        .select_related("question", "question__hearing")
        .order_by("-pk")
    )


def me_toos(*, user: User) -> QuerySet[SuggestionSupport]:
    return (
        SuggestionSupport.objects.filter(user=user)
        .select_related("suggestion")
        .order_by("-pk")
    )


@dataclass
class Section:
    key: str
    title: str
    template: str
    page: Page


SECTIONS = [
    ("comments", _("Comments and replies"), comments),
    ("surveys", _("Survey responses"), survey_responses),
    ("registrations", _("Hearing registrations"), registrations),
    ("testimony", _("Written testimony"), testimonies),
    ("questions", _("Live questions"), questions),
    ("suggestions", _("Suggestions"), suggestions),
    ("supports", _("Comments you supported"), supports),
    ("upvotes", _("Questions you upvoted"), upvotes),
    ("metoos", _("Suggestions you said “me too” to"), me_toos),
]


def participation(*, user: User, pages: dict[str, str]) -> list[Section]:
    """Every section, each at the page ``pages[key]`` asks for."""
    return [
        Section(
            key=key,
            title=title,
            template=f"accounts/participation/_{key}.html",
            page=Paginator(selector(user=user), PER_PAGE).get_page(pages.get(key)),
        )
        for key, title, selector in SECTIONS
    ]
