"""Open311 GeoReport v2 at /open311/v2/: discovery, services (topics) and
service requests (demands and suggestions), as JSON or XML; a POST with a
resident's API key raises a suggestion through the same service, screening
and moderation as the web form.

Errors are GeoReport error documents ``[{"code": .., "description": ..}]``
with the same HTTP status, in the client's language.
"""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.views import APIView

from api import services as api_services
from api.conditional import conditional
from api.links import absolute
from api.open311 import formats, selectors
from civic.models import Area, Topic
from config import ratelimit
from demands.models import SUGGESTION_TITLE_MAX_LENGTH
from demands.services import suggestions as suggestion_services

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Bumped when what this endpoint offers changes.
CHANGESET = "2026-11-25T00:00:00+08:00"


def _format(fmt: str) -> str:
    if fmt not in formats.FORMATS:
        raise Http404
    return fmt


@extend_schema(exclude=True)
class Open311View(APIView):
    """GET for everyone; errors in GeoReport's format."""

    authentication_classes = []
    fmt = "json"

    @classmethod
    def as_view(cls, **initkwargs):
        return conditional(super().as_view(**initkwargs))

    def initial(self, request, *args, **kwargs):
        self.fmt = kwargs.get("fmt", "json")
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        fmt = self.fmt if self.fmt in formats.FORMATS else "json"
        if isinstance(exc, Http404):
            return formats.error(404, _("Not found."), fmt)
        if isinstance(exc, exceptions.Throttled):
            response = formats.error(429, exc.detail, fmt)
            if exc.wait:
                response["Retry-After"] = str(int(exc.wait) + 1)
            return response
        if isinstance(exc, exceptions.APIException):
            return formats.error(exc.status_code, _flatten(exc.detail), fmt)
        raise exc


def _flatten(detail) -> str:
    """An APIException's detail (text, list or dict of them) as one line."""
    if isinstance(detail, dict):
        return " ".join(_flatten(value) for value in detail.values())
    if isinstance(detail, list):
        return " ".join(_flatten(value) for value in detail)
    return str(detail)


class Discovery(Open311View):
    def get(self, request):
        base = absolute(reverse("open311:discovery")).rsplit("/", 1)[0] + "/"
        return formats.respond_document(
            {
                "changeset": CHANGESET,
                "contact": _(
                    "Minyi public participation portal; write through the "
                    "site's About page."
                ),
                "key_service": absolute(reverse("open_data:keys")),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": list(formats.FORMATS.values()),
                    }
                ],
            }
        )


class Services(Open311View):
    def get(self, request, fmt: str):
        return formats.respond("services", selectors.services(), _format(fmt))


def _parse_datetime(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise exceptions.ValidationError(
            _("%(name)s is not a date and time in ISO 8601.") % {"name": name}
        ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _values(request, name: str) -> tuple[str, ...]:
    raw = request.query_params.get(name, "")
    return tuple(v.strip() for v in raw.split(",") if v.strip())[:100]


class Requests(Open311View):
    def get(self, request, fmt: str):
        fmt = _format(fmt)
        statuses = _values(request, "status")
        if any(s not in ("open", "closed") for s in statuses):
            raise exceptions.ValidationError(_("status is open or closed."))
        start = end = None
        if request.query_params.get("start_date"):
            start = _parse_datetime(request.query_params["start_date"], "start_date")
        if request.query_params.get("end_date"):
            end = _parse_datetime(request.query_params["end_date"], "end_date")
        ids = _values(request, "service_request_id")
        if start is None and end is None and not ids:
            # GeoReport: without dates, the last 90 days.
            start = timezone.now() - timedelta(days=90)
        filters = selectors.RequestFilters(
            ids=ids,
            service_codes=_values(request, "service_code"),
            start=start,
            end=end,
            statuses=tuple(sorted(set(statuses))) if len(set(statuses)) == 1 else (),
        )
        rows = selectors.service_requests(filters=filters)
        return formats.respond("requests", rows, fmt)

    def post(self, request, fmt: str):
        fmt = _format(fmt)
        data = request.data
        author = api_services.api_key_authenticate(raw=str(data.get("api_key", "")))
        if author is None:
            return formats.error(403, _("The api_key is missing or not valid."), fmt)
        topic = Topic.objects.filter(slug=str(data.get("service_code", ""))).first()
        if topic is None:
            return formats.error(
                400, _("service_code is missing or not a known service."), fmt
            )
        area = None
        if data.get("address_id"):
            area = Area.objects.filter(code=str(data["address_id"])).first()
            if area is None:
                return formats.error(400, _("address_id is not a known area."), fmt)
        description = str(data.get("description", ""))
        title = str(data.get("title", "")) or description.strip().split("\n")[0]
        try:
            key = uuid.UUID(request.headers.get("Idempotency-Key", ""))
        except ValueError:
            key = None
        try:
            suggestion = suggestion_services.suggestion_create(
                author=author,
                title=title[:SUGGESTION_TITLE_MAX_LENGTH],
                body=description,
                topic=topic,
                area=area,
                photo=request.FILES.get("media"),
                form_key=key,
                ip=ratelimit.client_ip(request),
            )
        except PermissionDenied as refusal:
            return formats.error(403, str(refusal) or _("Not allowed."), fmt)
        except ValidationError as invalid:
            return formats.error(400, " ".join(invalid.messages), fmt)
        except ratelimit.RateLimited as refusal:
            response = formats.error(429, refusal.message, fmt)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        notice = ""
        if suggestion.status != suggestion.Status.VISIBLE:
            notice = _("Received; it is published once a moderator has read it.")
        return formats.respond(
            "requests",
            [
                {
                    "service_request_id": f"S{suggestion.pk}",
                    "service_notice": notice,
                    "account_id": None,
                }
            ],
            fmt,
            status=201,
        )


class RequestDetail(Open311View):
    def get(self, request, request_id: str, fmt: str):
        fmt = _format(fmt)
        rows = selectors.service_requests(
            filters=selectors.RequestFilters(ids=(request_id,)), limit=1
        )
        if not rows:
            raise Http404
        return formats.respond("requests", rows, fmt)
