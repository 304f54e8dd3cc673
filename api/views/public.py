"""The read-only API of consultations, comments, surveys, hearings and the
civic directory. Each view calls the selector its page calls, as a
visitor."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api import filters, rows, selectors
from api.serializers import civic as civic_serializers
from api.serializers import consultations as consultation_serializers
from api.serializers import demands as demand_serializers
from api.serializers import hearings as hearing_serializers
from api.serializers import surveys as survey_serializers
from api.views.base import PublicList, PublicView, last_modified, not_found
from civic import selectors as civic_selectors
from civic.models import Area
from consultations import selectors as consultation_selectors
from demands import selectors as demand_selectors
from hearings import selectors as hearing_selectors
from hearings.models import Record
from surveys import selectors as survey_selectors
from surveys.results import aggregate, breakdown

VISITOR = AnonymousUser()
NOT_FOUND: dict = {}


# Consultations ----------------------------------------------------------------


@extend_schema(parameters=[filters.ConsultationQuery], tags=["consultations"])
class ConsultationList(PublicList):
    """Published consultations, newest opening first."""

    row = rows.consultation
    serializer_class = consultation_serializers.ConsultationSerializer
    cursor_ordering = ("-opens_at", "-id")

    def get_queryset(self):
        query = filters.parse(filters.ConsultationQuery, self.request)
        return selectors.consultations(filters=query)


@extend_schema(
    tags=["consultations"],
    responses={200: consultation_serializers.ConsultationDetailSerializer, **NOT_FOUND},
)
class ConsultationDetail(PublicView):
    """A published consultation with its draft's sections, areas, topics
    and, once published, its outcome."""

    def get(self, request, pk: int):
        consultation = not_found(
            consultation_selectors.consultation_for(
                pk=pk, user=VISITOR, counts=False, related=True
            )
        )
        outcome = consultation_selectors.outcome_public(consultation=consultation)
        context = {
            "sections": consultation_selectors.sections_public(
                consultation=consultation
            ),
            "outcome": outcome,
            "comment_counts": consultation_selectors.comment_counts(
                consultation=consultation
            ),
        }
        data = consultation_serializers.ConsultationDetailSerializer(
            consultation, context=context
        ).data
        return last_modified(
            Response(data),
            consultation.updated_at,
            outcome.updated_at if outcome else None,
        )


@extend_schema(
    tags=["consultations"],
    parameters=[filters.CommentQuery, OpenApiParameter("page_size", int)],
    responses={200: consultation_serializers.CommentPageSerializer, **NOT_FOUND},
)
class CommentList(PublicView):
    """Public comments of a consultation with their replies, newest (or
    most supported) first, in pages that cost the same at any depth.
    Hidden and deleted comments keep their place with no text and no
    author, as on the page; comments awaiting moderation are left out."""

    def cache_version(self) -> str:
        # Changes whenever a comment is posted, edited, deleted, supported
        # or moderated (the same version as the consultation's page).
        return consultation_selectors.public_page_version(
            consultation_id=self.kwargs["pk"]
        )

    def get(self, request, pk: int):
        query = filters.parse(filters.CommentQuery, request)
        per_page = _page_size(request)
        consultation = not_found(
            consultation_selectors.consultation_for(
                pk=pk, user=VISITOR, counts=False, related=False
            )
        )
        section = None
        if query.get("section"):
            section = not_found(
                consultation.sections.filter(anchor=query["section"]).first(),
                _("There is no such section."),
            )
        page = consultation_selectors.comment_page(
            consultation=consultation,
            viewer=VISITOR,
            section=section,
            sort=query["sort"],
            cursor=query.get("cursor", ""),
            per_page=per_page,
        )
        next_url = None
        if page.next_cursor:
            params = request.query_params.copy()
            params["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(
                f"{request.path}?{params.urlencode()}"
            )
        base = consultation.get_absolute_url()
        results = [rows.comment(comment, base) for comment in page.comments]
        return Response({"next": next_url, "results": results})


def _page_size(request) -> int:
    try:
        size = int(request.query_params.get("page_size", 20))
    except ValueError:
        size = 20
    return max(1, min(size, 100))


# Surveys ----------------------------------------------------------------------


@extend_schema(parameters=[filters.SurveyQuery], tags=["surveys"])
class SurveyList(PublicList):
    """Published surveys, newest first."""

    row = rows.survey
    serializer_class = survey_serializers.SurveySerializer
    cursor_ordering = ("-opens_at", "-id")

    def get_queryset(self):
        query = filters.parse(filters.SurveyQuery, self.request)
        department = query.get("department")
        return survey_selectors.public_surveys(
            status=query.get("status", ""),
            department=department.pk if department else None,
        )


def _public_survey(pk: int, permission: str):
    survey = survey_selectors.public_surveys().filter(pk=pk).first()
    if survey is None or not VISITOR.has_perm(permission, survey):
        return not_found(None)
    return survey


@extend_schema(
    tags=["surveys"],
    responses={200: survey_serializers.SurveySerializer, **NOT_FOUND},
)
class SurveyDetail(PublicView):
    def get(self, request, pk: int):
        survey = _public_survey(pk, "surveys.view_survey")
        data = survey_serializers.SurveySerializer(survey).data
        return last_modified(Response(data), survey.updated_at)


@extend_schema(
    tags=["surveys"],
    responses={200: survey_serializers.SurveyResultsSerializer, **NOT_FOUND},
)
class SurveyResults(PublicView):
    """A survey's results, once its department published them: per
    question the respondents who saw and answered it, counts and
    percentages per option, scales' mean and median, rankings and matrix
    tables; responses per day and per district."""

    def get(self, request, pk: int):
        survey = _public_survey(pk, "surveys.view_results")
        structure = survey_selectors.structure(survey=survey)
        results = aggregate.survey_results(survey=survey, structure=structure)
        per_district = breakdown.responses_by_district(survey=survey)
        districts = {
            area.pk: area
            for area in breakdown.districts_answered(survey=survey, counts=per_district)
        }
        by_district = [
            {
                "code": districts[pk].code if pk in districts else None,
                "name_zh": districts[pk].name_zh if pk in districts else None,
                "name_en": districts[pk].name_en if pk in districts else None,
                "responses": n,
            }
            for pk, n in sorted(
                per_district.items(),
                key=lambda item: (
                    districts[item[0]].code if item[0] in districts else "~"
                ),
            )
        ]
        data = survey_serializers.SurveyResultsSerializer(
            {
                "survey": survey.pk,
                "responses": results["responses"],
                "results_published_at": survey.results_published_at,
                "questions": results["questions"],
                "responses_per_day": results["over_time"],
                "responses_by_district": by_district,
            }
        ).data
        return last_modified(Response(data), survey.updated_at)


# Hearings ---------------------------------------------------------------------


@extend_schema(parameters=[filters.HearingQuery], tags=["hearings"])
class HearingList(PublicList):
    """Upcoming hearings soonest first (``when=past``: latest first)."""

    row = rows.hearing
    serializer_class = hearing_serializers.HearingSerializer

    def get_queryset(self):
        query = filters.parse(filters.HearingQuery, self.request)
        self.cursor_ordering = (
            ("-starts_at", "-id") if query["when"] == "past" else ("starts_at", "id")
        )
        return hearing_selectors.hearing_list(
            filters=hearing_selectors.HearingFilters(
                when=query["when"], department=query.get("department")
            )
        )


@extend_schema(
    tags=["hearings"],
    responses={200: hearing_serializers.HearingDetailSerializer, **NOT_FOUND},
)
class HearingDetail(PublicView):
    """A hearing with its agenda and, once published, its record: minutes,
    transcript, recording, speakers, answered questions and testimony."""

    def get(self, request, pk: int):
        hearing = not_found(hearing_selectors.hearing_for(pk=pk, user=VISITOR))
        record = Record.objects.filter(
            hearing=hearing, published_at__isnull=False
        ).first()
        context = {"record": record}
        if record is not None:
            context.update(
                speakers=hearing_selectors.speakers(hearing=hearing),
                questions=hearing_selectors.answered_questions(hearing=hearing),
                testimonies=hearing_selectors.testimony_public(
                    hearing=hearing, user=VISITOR
                ),
            )
        data = hearing_serializers.HearingDetailSerializer(
            hearing, context=context
        ).data
        return last_modified(
            Response(data),
            hearing.updated_at,
            record.published_at if record else None,
        )


# Civic directory --------------------------------------------------------------


@extend_schema(parameters=[filters.AreaQuery], tags=["directory"])
class AreaList(PublicList):
    """Areas from the city down to grid cells, in tree order;
    ``parent`` gives the areas directly under one."""

    row = rows.area
    serializer_class = civic_serializers.AreaSerializer
    cursor_ordering = ("path",)

    def get_queryset(self):
        query = filters.parse(filters.AreaQuery, self.request)
        areas = Area.objects.all()
        if query.get("parent"):
            areas = civic_selectors.area_children(parent=query["parent"])
        if query.get("level"):
            areas = areas.filter(level=query["level"])
        return areas


@extend_schema(
    tags=["directory"],
    responses={200: civic_serializers.AreaSerializer, **NOT_FOUND},
)
class AreaDetail(PublicView):
    def get(self, request, code: str):
        area = not_found(Area.objects.filter(code=code).first())
        return Response(civic_serializers.AreaSerializer(area).data)


@extend_schema(tags=["directory"])
class DepartmentList(PublicList):
    row = rows.department
    serializer_class = civic_serializers.DepartmentSerializer
    cursor_ordering = ("slug",)

    def get_queryset(self):
        return (
            civic_selectors.department_list()
            .select_related("parent")
            .prefetch_related("topics")
        )


@extend_schema(tags=["directory"])
class TopicList(PublicList):
    row = rows.topic
    serializer_class = civic_serializers.TopicSerializer
    cursor_ordering = ("slug",)

    def get_queryset(self):
        return civic_selectors.topic_list()


@extend_schema(exclude=True)
class Root(PublicView):
    """Links to every collection."""

    def get(self, request):
        names = [
            "consultations",
            "surveys",
            "hearings",
            "demands",
            "accountability",
            "areas",
            "departments",
            "topics",
            "schema",
            "docs",
        ]
        return Response(
            {name: reverse(f"api:{name}", request=request) for name in names}
        )


# Demands ----------------------------------------------------------------------


@extend_schema(parameters=[filters.DemandQuery], tags=["demands"])
class DemandList(PublicList):
    """The service-demand list, highest ranked first (merged demands left
    out), with the number of inputs of each kind behind each demand."""

    serializer_class = demand_serializers.DemandSerializer
    cursor_ordering = ("-score", "-id")

    def get_queryset(self):
        query = filters.parse(filters.DemandQuery, self.request)
        return selectors.demands(filters=query)

    def paginate_queryset(self, queryset):
        demands = super().paginate_queryset(queryset)
        self.source_counts = selectors.source_counts(
            demand_ids=[demand.pk for demand in demands]
        )
        return demands

    def make_row(self, demand) -> dict:
        return rows.demand(demand, self.source_counts)


@extend_schema(
    tags=["demands"],
    responses={200: demand_serializers.DemandDetailSerializer, **NOT_FOUND},
)
class DemandDetail(PublicView):
    """A demand with its public timeline (status changes, responses,
    progress, transfers, merges) and its inputs by kind."""

    def get(self, request, pk: int):
        demand = not_found(demand_selectors.demand_for(pk=pk))
        context = {
            "updates": demand_selectors.demand_timeline(demand=demand),
            "source_counts": selectors.source_counts(demand_ids=[demand.pk]),
        }
        data = demand_serializers.DemandDetailSerializer(demand, context=context).data
        return last_modified(Response(data), demand.updated_at)


@extend_schema(
    tags=["demands"], responses={200: demand_serializers.AccountabilitySerializer}
)
class Accountability(PublicView):
    """How departments answer: demands received, responded to, resolved
    and declined, and the median days to a first response and to
    resolution, overall, per department and per district."""

    def get(self, request):
        figures = selectors.accountability()
        return Response(demand_serializers.AccountabilitySerializer(figures).data)


@extend_schema(exclude=True)
class NotFound(PublicView):
    def get(self, request):
        return not_found(None)
