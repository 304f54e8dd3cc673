"""The officials' console for hearings, under /console/hearings/."""

from django.urls import path

from hearings.views import console, console_live

app_name = "hearings_console"
urlpatterns = [
    path("", console.index, name="index"),
    path("new/<int:consultation_pk>/", console.create, name="create"),
    path("<int:pk>/", console.overview, name="overview"),
    path("<int:pk>/edit/", console.edit, name="edit"),
    path("<int:pk>/state/", console.move, name="move"),
    path("<int:pk>/agenda/", console.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/", console.agenda_change, name="agenda_change"),
    path("<int:pk>/record/", console.record, name="record"),
    path(
        "<int:pk>/speakers/<int:registration_pk>/",
        console_live.speaker_change,
        name="speaker",
    ),
    path("<int:pk>/floor/", console_live.speaker_call, name="floor"),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        console_live.question_moderate,
        name="question",
    ),
    path(
        "<int:pk>/testimony/<int:testimony_pk>/",
        console_live.testimony_moderate,
        name="testimony",
    ),
]
