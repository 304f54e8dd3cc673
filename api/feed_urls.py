"""/feeds/: Atom feeds (hearing calendars are under /hearings/)."""

from django.urls import path

from api import feeds
from api.conditional import conditional

app_name = "feeds"
urlpatterns = [
    path("consultations/", conditional(feeds.ConsultationFeed()), name="consultations"),
    path(
        "consultations/area/<str:key>/",
        conditional(feeds.AreaConsultationFeed()),
        name="consultations_area",
    ),
    path(
        "consultations/topic/<slug:key>/",
        conditional(feeds.TopicConsultationFeed()),
        name="consultations_topic",
    ),
    path(
        "consultations/department/<slug:key>/",
        conditional(feeds.DepartmentConsultationFeed()),
        name="consultations_department",
    ),
    path("outcomes/", conditional(feeds.OutcomeFeed()), name="outcomes"),
    path("demands/", conditional(feeds.DemandUpdateFeed()), name="demand_updates"),
]
