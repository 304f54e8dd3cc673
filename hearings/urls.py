from django.urls import path

from hearings.views import live, public

app_name = "hearings"
urlpatterns = [
    path("", public.hearing_list, name="list"),
    path("calendar.ics", public.upcoming_calendar, name="calendar_feed"),
    path("<int:pk>/", public.hearing_detail, name="detail"),
    path("<int:pk>/calendar.ics", public.hearing_calendar, name="calendar"),
    path("<int:pk>/register/", public.register, name="register"),
    path("<int:pk>/cancel/", public.cancel, name="cancel"),
    path("<int:pk>/testimony/", public.testimony_submit, name="testimony"),
    path("<int:pk>/record/", public.record_detail, name="record"),
    path("<int:pk>/record.md", public.record_download, name="record_download"),
    path("<int:pk>/live/", live.hearing_live, name="live"),
    path("<int:pk>/live/questions/", live.question_list, name="questions"),
    path("<int:pk>/live/questions/new/", live.question_post, name="question_post"),
    path(
        "<int:pk>/live/questions/<int:question_pk>/upvote/",
        live.question_upvote,
        name="question_upvote",
    ),
]
