"""The officials' console for demands, under /console/demands/."""

from django.urls import path

from demands import views_console

app_name = "demands_console"
urlpatterns = [
    path("", views_console.index, name="index"),
    path("analysis/", views_console.analysis, name="analysis"),
    path("analysis/<int:pk>/", views_console.run, name="run"),
    path(
        "analysis/<int:pk>/progress/", views_console.run_progress, name="run_progress"
    ),
    path("<int:pk>/", views_console.demand, name="demand"),
    path("<int:pk>/explain/", views_console.explain, name="explain"),
    path("<int:pk>/accept/", views_console.accept, name="accept"),
    path("<int:pk>/assign/", views_console.assign, name="assign"),
    path("<int:pk>/status/", views_console.set_status, name="status"),
    path("<int:pk>/respond/", views_console.respond, name="respond"),
    path("<int:pk>/rename/", views_console.rename, name="rename"),
    path("<int:pk>/priority/", views_console.priority, name="priority"),
    path("<int:pk>/merge/", views_console.merge, name="merge"),
    path("<int:pk>/split/", views_console.split, name="split"),
]
