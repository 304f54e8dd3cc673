"""The officials' console for consultations, under /console/consultations/."""

from django.urls import path

from consultations.views import console, console_exports, console_outcome

app_name = "consultations_console"
urlpatterns = [
    path("", console.index, name="index"),
    path("new/", console.create, name="create"),
    path("<int:pk>/", console.overview, name="overview"),
    path("<int:pk>/basics/", console.basics, name="basics"),
    path("<int:pk>/scope/", console.scope, name="scope"),
    path("<int:pk>/schedule/", console.schedule, name="schedule"),
    path("<int:pk>/document/", console.document, name="document"),
    path("<int:pk>/attachments/", console.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        console.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/preview/", console.preview, name="preview"),
    path("<int:pk>/publish/", console.publish, name="publish"),
    path("<int:pk>/unpublish/", console.unpublish, name="unpublish"),
    path("<int:pk>/extend/", console.extend, name="extend"),
    path("<int:pk>/archive/", console.archive, name="archive"),
    path("<int:pk>/figures/", console.figures, name="figures"),
    path("<int:pk>/outcome/", console_outcome.outcome, name="outcome"),
    path("<int:pk>/outcome/items/new/", console_outcome.outcome_item, name="item_add"),
    path(
        "<int:pk>/outcome/items/<int:item_pk>/",
        console_outcome.outcome_item,
        name="item_edit",
    ),
    path(
        "<int:pk>/outcome/items/<int:item_pk>/delete/",
        console_outcome.outcome_item_delete,
        name="item_delete",
    ),
    path(
        "<int:pk>/outcome/publish/",
        console_outcome.outcome_publish,
        name="outcome_publish",
    ),
    path("<int:pk>/exports/", console_exports.export_request, name="export_request"),
    path("<int:pk>/exports/<int:job_pk>/", console_exports.export_job, name="export"),
    path(
        "<int:pk>/exports/<int:job_pk>/status.json",
        console_exports.export_status,
        name="export_status",
    ),
    path(
        "<int:pk>/exports/<int:job_pk>/download/",
        console_exports.export_download,
        name="export_download",
    ),
]
