"""Uploads: one check of what a file is (by its content, not its name) and
how big it may be, and one way to send stored uploads back.

Every upload is served by ``media`` below (the ``/media/`` path): as a
download (``Content-Disposition: attachment``), with
``X-Content-Type-Options: nosniff`` and a sandboxing Content-Security-Policy,
and with a content type taken from the file's verified kind, so nothing a
resident uploads is ever run or rendered as a page of this site.
"""

import mimetypes
import posixpath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# The file kinds residents and officials may upload, by their first bytes.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
# Content types the download may carry; anything else is a plain download.
SERVED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
}
NAMES = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP"}


def _kind(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            if kind == "webp" and head[8:12] != b"WEBP":
                continue
            return kind
    return None


def check_upload(
    upload, *, kinds: tuple[str, ...] = ("pdf",), max_bytes: int, field="upload"
) -> str:
    """Refuse ``upload`` unless its content is one of ``kinds`` and it is at
    most ``max_bytes`` (ValidationError on ``field``, in the user's
    language); return the kind found."""
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _("The file can be at most %(mb)s MB; yours is larger.")
                % {"mb": f"{max_bytes / (1024 * 1024):g}"}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _kind(head)
    if kind not in kinds:
        raise ValidationError(
            {
                field: _("This file is not a %(kinds)s file.")
                % {"kinds": " / ".join(NAMES[k] for k in kinds)}
            }
        )
    return kind


def check_pdf(upload, *, max_bytes: int, field="upload") -> None:
    """A PDF by its content and size, whatever its name says."""
    check_upload(upload, kinds=("pdf",), max_bytes=max_bytes, field=field)


def download_response(name: str, *, filename: str | None = None) -> FileResponse:
    """The stored upload ``name`` as a download that never runs."""
    if not name or not default_storage.exists(name):
        raise Http404
    handle = default_storage.open(name, "rb")
    head = handle.read(16)
    handle.seek(0)
    kind = _kind(head)
    guessed = mimetypes.types_map.get(f".{kind}") if kind else None
    if kind == "jpeg":
        guessed = "image/jpeg"
    content_type = guessed if guessed in SERVED_TYPES else "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or posixpath.basename(name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def media(request, name: str):
    """Any stored upload, under ``MEDIA_URL``."""
    normalised = posixpath.normpath(name).lstrip("/")
    if normalised != name or normalised.startswith(".."):
        raise Http404
    return download_response(normalised)
