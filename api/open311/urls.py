"""/open311/v2/: Open311 GeoReport v2."""

from django.urls import path

from api.open311 import views

app_name = "open311"
urlpatterns = [
    path("discovery.json", views.Discovery.as_view(), name="discovery"),
    path("services.<str:fmt>", views.Services.as_view(), name="services"),
    path("requests.<str:fmt>", views.Requests.as_view(), name="requests"),
    path(
        "requests/<str:request_id>.<str:fmt>",
        views.RequestDetail.as_view(),
        name="request",
    ),
]
