from django.urls import path

from accounts import views, views_data

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("participation/", views_data.my_participation, name="participation"),
    path("data/", views_data.my_data, name="data"),
    path("data/export/", views_data.data_export_request, name="data_export"),
    path("data/download/<str:token>/", views_data.data_download, name="data_download"),
    path("delete/", views_data.account_delete, name="delete"),
    path(
        "sessions/logout-everywhere/",
        views_data.logout_everywhere,
        name="logout_everywhere",
    ),
]
