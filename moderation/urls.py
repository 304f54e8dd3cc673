from django.urls import path

from moderation.views import appeals, audit, queue, sanctions, transparency

app_name = "moderation"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("comments/<int:pk>/decide/", queue.decide, name="decide"),
    path("decide/", queue.decide_bulk, name="decide_bulk"),
    path("audit/", audit.audit_log, name="audit"),
    path("sanctions/", sanctions.sanction_list, name="sanctions"),
    path("appeals/", appeals.appeal_queue, name="appeals"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("mine/", appeals.mine, name="mine"),
    path("mine/<int:pk>/appeal/", appeals.appeal_file, name="appeal_file"),
    path("transparency/", transparency.report, name="transparency"),
]
