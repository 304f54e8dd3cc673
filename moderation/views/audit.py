"""The audit log: searchable by moderators, exportable as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from rules.contrib.views import permission_required

from moderation import selectors
from moderation.forms import AuditFilterForm

EXPORT_LIMIT = 100_000


class _Echo:
    def write(self, value):
        return value


def _rows(entries):
    yield [
        "id",
        "time",
        "action",
        "actor_id",
        "account_id",
        "department",
        "content_type",
        "object_id",
        "reason",
        "content_as_it_was",
    ]
    for entry in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
        yield [
            entry.pk,
            timezone.localtime(entry.created_at).isoformat(),
            entry.kind,
            entry.actor_id or "",
            entry.subject_id or "",
            entry.department.name if entry.department_id else "",
            entry.content_type.model if entry.content_type_id else "",
            entry.object_id or "",
            entry.reason,
            entry.snapshot.get("body", ""),
        ]


@login_required
@permission_required("accounts.access_console", raise_exception=True)
def audit_log(request):
    if not request.user.moderator_roles.exists():
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(moderator=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in _rows(entries)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="moderation-audit.csv"'
        return response
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/audit_log.html",
        {"page": page, "form": form, "query": params.urlencode()},
    )
