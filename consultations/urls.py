from django.urls import path

from consultations.views import comments, public

app_name = "consultations"
urlpatterns = [
    path("", public.consultation_list, name="list"),
    path("<int:pk>/", public.consultation_detail, name="detail"),
    path(
        "<int:pk>/document.<str:fmt>",
        public.consultation_document,
        name="document",
    ),
    path("<int:pk>/sections/<slug:anchor>/", public.section_detail, name="section"),
    path("<int:pk>/follow/", public.consultation_follow, name="follow"),
    path("<int:pk>/comments/", public.comment_list, name="comments"),
    path("<int:pk>/comments/new/", comments.comment_create, name="comment_create"),
    path(
        "<int:pk>/comments/<int:comment_pk>/",
        public.comment_thread,
        name="comment",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/reply/",
        comments.comment_reply,
        name="comment_reply",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/edit/",
        comments.comment_edit,
        name="comment_edit",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/delete/",
        comments.comment_delete,
        name="comment_delete",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/support/",
        comments.comment_support,
        name="comment_support",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/report/",
        comments.comment_report,
        name="comment_report",
    ),
]
