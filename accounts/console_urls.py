from django.urls import path

from accounts import views

app_name = "console"
urlpatterns = [
    path("", views.console, name="index"),
]
