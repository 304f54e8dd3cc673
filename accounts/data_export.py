"""Download all my data: a zip with the data as JSON, a readable HTML page
and one CSV per kind of record, built by a Celery task, kept for
``EXPORT_DAYS`` and reachable only by its owner through a signed link
mailed to them."""

import csv
import io
import json
import secrets
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts import personal_data
from accounts.models import User
from notifications import services as notification_services
from notifications.models import OutboundEmail

EXPORT_DAYS = 7
FOLDER = "data-exports"
SALT = "accounts.data_export"
# Attached files larger than this stay out of the zip (listed by name).
MAX_FILE_BYTES = 20 * 1024 * 1024


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, memoryview | bytes):
        return None
    return value


def _row(obj: models.Model, user_id: int) -> dict:
    """One record as plain values; a reference to another account is left
    out (it is someone else's)."""
    row = {}
    user_model = type(obj)._meta.apps.get_model(settings.AUTH_USER_MODEL)
    for field in personal_data.exportable_fields(type(obj)):
        value = field.value_from_object(obj)
        if field.is_relation and field.related_model is user_model:
            if value != user_id:
                continue
            value = "you"
        row[field.attname if field.is_relation else field.name] = _plain(value)
    return row


def collect(*, user: User) -> dict[str, list[dict]]:
    """Everything ``user`` created or that is about them, by model label;
    nothing of anyone else's."""
    return _collect(user)[0]


def _collect(user: User) -> tuple[dict[str, list[dict]], list[FieldFile]]:
    data: dict[str, dict] = {"accounts.User": {user.pk: _row(user, user.pk)}}
    files: list[FieldFile] = []
    for link in personal_data.user_links():
        if link.label in personal_data.ACTOR_ONLY:
            continue
        label = link.model._meta.label
        rows = data.setdefault(label, {})
        queryset = link.model._default_manager.filter(**{link.name: user})
        for obj in queryset.order_by("pk").iterator(chunk_size=500):
            rows[obj.pk] = _row(obj, user.pk)
            files.extend(
                getattr(obj, f.name)
                for f in link.model._meta.concrete_fields
                if isinstance(f, models.FileField) and getattr(obj, f.name)
            )
        for child_label, parent_field in personal_data.CHILDREN.get(link.label, []):
            child_model = link.model._meta.apps.get_model(child_label)
            children = data.setdefault(child_label, {})
            for child in (
                child_model._default_manager.filter(
                    **{f"{parent_field}__{link.name}": user}
                )
                .order_by("pk")
                .iterator(chunk_size=500)
            ):
                children[child.pk] = _row(child, user.pk)
    mails = data.setdefault("notifications.OutboundEmail", {})
    for mail in OutboundEmail.objects.filter(to__contains=[user.email]).order_by("pk"):
        mails[mail.pk] = {
            "subject": mail.subject,
            "body": mail.body,
            "created_at": _plain(mail.created_at),
            "sent_at": _plain(mail.sent_at),
        }
    result = {label: list(rows.values()) for label, rows in data.items() if rows}
    result["_files"] = [f.name for f in files]
    return result, files


def _csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False)
                if isinstance(v, dict | list)
                else v
                for k, v in row.items()
            }
        )
    # A byte-order mark so spreadsheet programs read the Chinese right.
    return "\ufeff" + out.getvalue()


def build_zip(*, user: User) -> bytes:
    data, files = _collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True),
        )
        tables = []
        for label, rows in sorted(data.items()):
            if label.startswith("_"):
                continue
            archive.writestr(f"csv/{label}.csv", _csv(rows))
            columns: list[str] = []
            for row in rows:
                columns.extend(k for k in row if k not in columns)
            tables.append(
                {
                    "label": label,
                    "columns": columns,
                    "rows": [[row.get(c, "") for c in columns] for row in rows],
                }
            )
        with translation.override(user.preferred_language):
            archive.writestr(
                "index.html",
                render_to_string(
                    "accounts/data_export_index.html",
                    {"user": user, "tables": tables, "created_at": timezone.now()},
                ),
            )
        for field_file in files:
            try:
                if field_file.size > MAX_FILE_BYTES:
                    continue
                with field_file.open("rb") as handle:
                    archive.writestr(f"files/{field_file.name}", handle.read())
            except OSError:
                continue
    return buffer.getvalue()


def download_token(*, user_id: int, name: str) -> str:
    return signing.dumps({"u": user_id, "n": name}, salt=SALT)


def file_for(*, token: str, user: User) -> str | None:
    """The stored file a download link names, if the link is genuine, not
    expired and ``user`` owns it."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=EXPORT_DAYS))
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk:
        return None
    name = data.get("n", "")
    if not name.startswith(f"{FOLDER}/{user.pk}/") or not default_storage.exists(name):
        return None
    return name


def data_export_build(*, user_id: int) -> str | None:
    """Build ``user_id``'s export, store it and mail them the link; return
    the stored name."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    name = default_storage.save(
        f"{FOLDER}/{user.pk}/{secrets.token_hex(16)}.zip",
        ContentFile(build_zip(user=user)),
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:data_download",
        args=[download_token(user_id=user.pk, name=name)],
    )
    with translation.override(user.preferred_language):
        context = {"user": user, "link": link, "days": EXPORT_DAYS}
        subject = render_to_string("accounts/email/data_export_subject.txt", context)
        body = render_to_string("accounts/email/data_export_message.txt", context)
    notification_services.email_queue(
        message=EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Content-Language": user.preferred_language},
        )
    )
    return name


def data_exports_expire(*, now: datetime | None = None) -> int:
    """Delete exports older than ``EXPORT_DAYS``; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=EXPORT_DAYS)
    removed = 0
    try:
        folders, _ = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for folder in folders:
        _, names = default_storage.listdir(f"{FOLDER}/{folder}")
        for name in names:
            path = f"{FOLDER}/{folder}/{name}"
            if default_storage.get_created_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed
