from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("follows/", views.follow_list, name="follows"),
    path("follows/add/", views.follow_add, name="follow_add"),
    path("follows/toggle/", views.follow_toggle, name="follow_toggle"),
    path("preferences/", views.preferences_save, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
]
