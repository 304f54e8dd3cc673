"""Public pages of demands and suggestions, under /demands/."""

from django.urls import path

from demands import views_public, views_suggestions

app_name = "demands"
urlpatterns = [
    path("", views_public.demand_list, name="list"),
    path("export.<str:fmt>", views_public.demand_export, name="export"),
    path("dashboard/", views_public.dashboard, name="dashboard"),
    path("<int:pk>/", views_public.demand_detail, name="detail"),
    path("suggestions/", views_suggestions.suggestion_list, name="suggestions"),
    path("suggestions/new/", views_suggestions.suggestion_create, name="suggest"),
    path("suggestions/similar/", views_suggestions.similar, name="similar"),
    path(
        "suggestions/<int:pk>/", views_suggestions.suggestion_detail, name="suggestion"
    ),
    path(
        "suggestions/<int:pk>/support/",
        views_suggestions.suggestion_support,
        name="support",
    ),
    path(
        "suggestions/<int:pk>/unsupport/",
        views_suggestions.suggestion_unsupport,
        name="unsupport",
    ),
]
