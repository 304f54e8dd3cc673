"""/api/v1/: the read-only JSON API, its OpenAPI schema and its docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.conditional import conditional
from api.views import docs, public

app_name = "api"
urlpatterns = [
    path("", public.Root.as_view(), name="root"),
    path("schema/", conditional(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    path("consultations/", public.ConsultationList.as_view(), name="consultations"),
    path(
        "consultations/<int:pk>/",
        public.ConsultationDetail.as_view(),
        name="consultation",
    ),
    path(
        "consultations/<int:pk>/comments/",
        public.CommentList.as_view(),
        name="comments",
    ),
    path("surveys/", public.SurveyList.as_view(), name="surveys"),
    path("surveys/<int:pk>/", public.SurveyDetail.as_view(), name="survey"),
    path(
        "surveys/<int:pk>/results/",
        public.SurveyResults.as_view(),
        name="survey_results",
    ),
    path("hearings/", public.HearingList.as_view(), name="hearings"),
    path("hearings/<int:pk>/", public.HearingDetail.as_view(), name="hearing"),
    path("demands/", public.DemandList.as_view(), name="demands"),
    path("demands/<int:pk>/", public.DemandDetail.as_view(), name="demand"),
    path("accountability/", public.Accountability.as_view(), name="accountability"),
    path("areas/", public.AreaList.as_view(), name="areas"),
    path("areas/<str:code>/", public.AreaDetail.as_view(), name="area"),
    path("departments/", public.DepartmentList.as_view(), name="departments"),
    path("topics/", public.TopicList.as_view(), name="topics"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^.+$", public.NotFound.as_view()),
]
