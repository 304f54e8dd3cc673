"""The officials' console for surveys, under /console/surveys/."""

from django.urls import path

from surveys.views import console, console_build, console_results

app_name = "surveys_console"
urlpatterns = [
    path("", console.index, name="index"),
    path("new/", console.create, name="create"),
    path("<int:pk>/", console.overview, name="overview"),
    path("<int:pk>/settings/", console.settings, name="settings"),
    path("<int:pk>/preview/", console.preview, name="preview"),
    path("<int:pk>/publish/", console.publish, name="publish"),
    path("<int:pk>/pages/new/", console_build.page_add, name="page_add"),
    path("<int:pk>/pages/<int:page_pk>/", console_build.page_edit, name="page_edit"),
    path(
        "<int:pk>/pages/<int:page_pk>/action/",
        console_build.page_action,
        name="page_action",
    ),
    path(
        "<int:pk>/pages/<int:page_pk>/questions/new/",
        console_build.question_new,
        name="question_new",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        console_build.question_edit,
        name="question_edit",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/action/",
        console_build.question_action,
        name="question_action",
    ),
    path("<int:pk>/results/", console_results.results, name="results"),
    path(
        "<int:pk>/results/print/",
        console_results.results_print,
        name="results_print",
    ),
    path(
        "<int:pk>/results/questions/<int:question_pk>/",
        console_results.open_answers,
        name="open_answers",
    ),
    path("<int:pk>/exports/", console_results.export_request, name="export_request"),
    path("<int:pk>/exports/<int:job_pk>/", console_results.export_job, name="export"),
    path(
        "<int:pk>/exports/<int:job_pk>/status.json",
        console_results.export_status,
        name="export_status",
    ),
    path(
        "<int:pk>/exports/<int:job_pk>/download/",
        console_results.export_download,
        name="export_download",
    ),
]
