from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import uploads, views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("preferences/care-mode/", views.set_care_mode, name="set_care_mode"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("consultations/", include("consultations.urls")),
    path("notifications/", include("notifications.urls")),
    path("surveys/", include("surveys.urls")),
    path("hearings/", include("hearings.urls")),
    path("demands/", include("demands.urls")),
    path("console/consultations/", include("consultations.console_urls")),
    path("console/surveys/", include("surveys.console_urls")),
    path("console/hearings/", include("hearings.console_urls")),
    path("console/demands/", include("demands.console_urls")),
    path("console/", include("accounts.console_urls")),
    path("moderation/", include("moderation.urls")),
    path("api/v1/", include("api.urls")),
    path("open311/v2/", include("api.open311.urls")),
    path("feeds/", include("api.feed_urls")),
    path("data/", include("api.data_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"

# Uploads, in every mode, only ever as downloads (config.uploads).
urlpatterns.append(
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", uploads.media, name="media")
)
