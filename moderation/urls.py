from django.urls import path

from moderation.views import appeals, audit, queue, reports, sanctions, transparency

app_name = "moderation"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("comments/<int:pk>/decide/", queue.decide, name="decide"),
    path("items/<slug:kind>/<int:pk>/decide/", queue.decide, name="decide_content"),
    path("report/<slug:kind>/<int:pk>/", reports.report, name="report"),
    path("decide/", queue.decide_bulk, name="decide_bulk"),
    path("audit/", audit.audit_log, name="audit"),
    path("sanctions/", sanctions.sanction_list, name="sanctions"),
    path("appeals/", appeals.appeal_queue, name="appeals"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("mine/", appeals.mine, name="mine"),
    path("mine/<int:pk>/appeal/", appeals.appeal_file, name="appeal_file"),
    path("mine/<int:pk>/edit/", reports.edit_as_asked, name="edit_as_asked"),
    path("transparency/", transparency.report, name="transparency"),
]
