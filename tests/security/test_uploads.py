"""Uploads are checked by content and size with one helper, and every
stored upload comes back as a download that never runs."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config import uploads
from hearings.services import testimony

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def test_pdf_by_content_is_accepted():
    upload = SimpleUploadedFile("x.txt", PDF)
    assert uploads.check_upload(upload, max_bytes=1024) == "pdf"


def test_html_named_pdf_is_refused():
    upload = SimpleUploadedFile("evil.pdf", HTML, content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        uploads.check_pdf(upload, max_bytes=1024)


def test_too_large_is_refused_with_the_limit():
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError, match="at most"):
        uploads.check_pdf(upload, max_bytes=1024)


def test_images_only_where_asked():
    upload = SimpleUploadedFile("a.png", PNG)
    assert uploads.check_upload(upload, kinds=("png", "jpeg"), max_bytes=1024) == "png"
    with pytest.raises(ValidationError):
        uploads.check_pdf(upload, max_bytes=1024)


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    names = {}
    for key, data in {"pdf": PDF, "html": HTML, "png": PNG}.items():
        names[key] = default_storage.save(f"t/{key}.bin", ContentFile(data))
    return names


@pytest.mark.parametrize("key", ["pdf", "html", "png"])
def test_every_upload_is_served_as_a_download_that_never_runs(client, stored, key):
    response = client.get(f"/media/{stored[key]}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "html" not in response["Content-Type"]


def test_an_uploaded_html_page_is_an_opaque_download(client, stored):
    response = client.get(f"/media/{stored['html']}")
    assert response["Content-Type"] == "application/octet-stream"


def test_paths_outside_the_uploads_are_refused(client, stored):
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/t/missing.pdf").status_code == 404


def test_testimony_pdf_check_uses_the_shared_helper():
    with pytest.raises(ValidationError, match="not a PDF"):
        testimony.check_pdf(SimpleUploadedFile("x.pdf", HTML))


def test_media_url_is_routed_in_every_mode():
    assert reverse("media", args=["a/b.pdf"]) == "/media/a/b.pdf"
