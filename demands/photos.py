"""Photos residents attach to suggestions: checked by content, re-encoded,
metadata (EXIF, GPS, comments) left behind.

A photo is decoded with Pillow (never trusted by its name or type), turned
upright by its EXIF orientation, scaled down to ``MAX_SIDE`` pixels and
written again as a fresh JPEG (or PNG when it has transparency) under a
random name, so nothing of the original file but its pixels is kept.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "MPO"}


def _refuse(message: str):
    return ValidationError({"photo": message})


def photo_clean(upload) -> ContentFile:
    """The re-encoded photo of ``upload`` (a Django uploaded file or any
    file object with ``size``), or ValidationError on "photo"."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_PHOTO_BYTES:
        raise _refuse(
            _("The photo is %(size)s MB; a photo can be at most %(max)d MB.")
            % {"size": f"{size / 1024 / 1024:.0f}", "max": MAX_PHOTO_BYTES // 2**20}
        )
    if size == 0:
        raise _refuse(_("The photo file is empty."))
    not_image = _("This file is not a photo. Please choose a JPEG, PNG or WebP image.")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in FORMATS:
                raise _refuse(not_image)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    _("The photo has too many pixels; please send a smaller one.")
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            return _encode(image)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ):
        raise _refuse(not_image) from None


def _encode(image: Image.Image) -> ContentFile:
    buffer = io.BytesIO()
    transparent = image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if transparent:
        image = image.convert("RGBA")
        # A fresh image holds the pixels only: no text chunks, no EXIF.
        clean = Image.new("RGBA", image.size)
        clean.paste(image)
        clean.save(buffer, format="PNG", optimize=True)
        extension = "png"
    else:
        image = image.convert("RGB")
        clean = Image.new("RGB", image.size)
        clean.paste(image)
        clean.save(buffer, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
