"""Open311 GeoReport v2 documents as JSON or XML, element by element as
the specification writes them (http://wiki.open311.org/GeoReport_v2)."""

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = {"json": "application/json", "xml": "text/xml"}

# Each GeoReport v2 service request carries these, in this order.
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
# The element names of the XML documents: (root, each item).
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_xml(kind: str, items: list[dict]) -> bytes:
    root_name, item_name = XML_NAMES[kind]
    root = ET.Element(root_name)
    for item in items:
        element = ET.SubElement(root, item_name)
        for name, value in item.items():
            ET.SubElement(element, name).text = _text(value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def respond(kind: str, items: list[dict], fmt: str, status: int = 200):
    if fmt == "xml":
        body = to_xml(kind, items)
    else:
        body = json.dumps(items, ensure_ascii=False).encode()
    return HttpResponse(
        body, status=status, content_type=f"{FORMATS[fmt]}; charset=utf-8"
    )


def error(code: int, description: str, fmt: str = "json"):
    """The GeoReport error document: ``[{"code": .., "description": ..}]``."""
    return respond(
        "errors", [{"code": code, "description": str(description)}], fmt, status=code
    )


def respond_document(document: dict):
    """A single JSON document (discovery)."""
    return HttpResponse(
        json.dumps(document, ensure_ascii=False).encode(),
        content_type="application/json; charset=utf-8",
    )
