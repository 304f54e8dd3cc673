"""/data/: the open-data page (bulk downloads with their data dictionary,
feeds, API and Open311 links) and residents' API keys."""

from django.urls import path

from api.views import data, keys

app_name = "open_data"
urlpatterns = [
    path("", data.index, name="index"),
    path("manifest.json", data.manifest, name="manifest"),
    path("<slug:name>.<str:fmt>", data.download, name="download"),
    path("keys/", keys.key_list, name="keys"),
    path("keys/<int:pk>/revoke/", keys.key_revoke, name="key_revoke"),
]
