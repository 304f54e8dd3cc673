"""List rows as plain dicts: the same fields and formats as the
serializers in ``api.serializers`` (which describe them in the OpenAPI
schema and serve the detail endpoints), built without DRF's per-field
machinery, which cost more than the query on a page of 20.

``tests/api/test_rows.py`` checks every row against its serializer.
"""

from django.utils import timezone

from api.links import absolute, demand_path
from consultations.models import Comment
from demands.models import DemandSource


def when(value) -> str | None:
    """A datetime as DRF's DateTimeField writes it (local time, ISO 8601)."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def area_ref(area) -> dict | None:
    if area is None:
        return None
    return {
        "code": area.code,
        "name_zh": area.name_zh,
        "name_en": area.name_en,
        "level": area.level,
    }


def named(obj, *, key: str = "slug") -> dict | None:
    if obj is None:
        return None
    return {key: getattr(obj, key), "name_zh": obj.name_zh, "name_en": obj.name_en}


def area(a) -> dict:
    codes = [code for code in a.path.split("/") if code]
    return {
        **area_ref(a),
        "level_name": str(a.get_level_display()),
        "parent": codes[-2] if len(codes) > 1 else None,
        "path": a.path,
    }


def topic(t) -> dict:
    return {
        **named(t),
        "description_zh": t.description_zh,
        "description_en": t.description_en,
    }


def department(d) -> dict:
    return {
        **named(d),
        "area": d.area.code,
        "parent": d.parent.slug if d.parent_id else None,
        "topics": [t.slug for t in d.topics.all()],
    }


def consultation(c) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "summary": c.summary,
        "status": c.status,
        "department": named(c.department),
        "opens_at": when(c.opens_at),
        "closes_at": when(c.closes_at),
        "published_at": when(c.published_at),
        "outcome_published_at": when(c.outcome_published_at),
        "url": absolute(c.get_absolute_url()),
    }


def survey(s) -> dict:
    return {
        "id": s.pk,
        "title_zh": s.title_zh,
        "title_en": s.title_en,
        "intro_zh": s.intro_zh,
        "intro_en": s.intro_en,
        "status": s.status,
        "mode": s.mode,
        "department": named(s.department),
        "consultation": s.consultation_id,
        "opens_at": when(s.opens_at),
        "closes_at": when(s.closes_at),
        "published_at": when(s.published_at),
        "results_published_at": when(s.results_published_at),
        "results_published": s.results_published_at is not None,
        "response_count": s.response_count,
        "url": absolute(s.get_absolute_url()),
    }


def hearing(h) -> dict:
    url = absolute(h.get_absolute_url())
    return {
        "id": h.pk,
        "title": h.title,
        "status": h.status,
        "consultation": h.consultation_id,
        "department": named(h.consultation.department),
        "starts_at": when(h.starts_at),
        "ends_at": when(h.ends_at),
        "venue": h.venue,
        "stream_url": h.stream_url,
        "registration_deadline": when(h.registration_deadline),
        "testimony_deadline": when(h.testimony_deadline),
        "capacity": h.capacity,
        "registered_count": h.registered_count,
        "url": url,
        "calendar_url": f"{url}calendar.ics",
    }


def demand(d, source_counts: dict) -> dict:
    counts = source_counts.get(d.pk, {})
    return {
        "id": d.pk,
        "title": d.title,
        "summary": d.summary,
        "status": d.status,
        "priority": d.priority,
        "topic": named(d.topic),
        "area": area_ref(d.area),
        "department": named(d.department),
        "resident_count": d.resident_count,
        "support_count": d.support_count,
        "input_count": d.input_count,
        "source_counts": {
            kind: counts.get(kind, 0) for kind in DemandSource.Kind.values
        },
        "created_at": when(d.created_at),
        "updated_at": when(d.updated_at),
        "first_response_at": when(d.first_response_at),
        "resolved_at": when(d.resolved_at),
        "url": absolute(demand_path(d)),
    }


def reply(c) -> dict:
    """A comment or reply as a visitor sees it: hidden and deleted ones
    keep their place without their text (see the page's template)."""
    shown = c.status == Comment.Status.VISIBLE
    removed = c.status == Comment.Status.REMOVED
    department = c.official_department
    return {
        "id": c.pk,
        "status": c.status,
        "body": c.body if shown else None,
        "author_name": (
            c.author.display_name if c.author is not None and not removed else None
        ),
        "official_department": (
            named(department) if department is not None and not removed else None
        ),
        "hidden_reason": (
            c.hidden_reason if c.status == Comment.Status.HIDDEN else None
        ),
        "created_at": when(c.created_at),
        "edited": c.edited_at is not None and shown,
    }


def comment(c, base: str) -> dict:
    """A top-level comment with its replies; ``base`` is its consultation's
    page (reversed once per page)."""
    shown = c.status == Comment.Status.VISIBLE
    return {
        **reply(c),
        "section": c.section.anchor if c.section_id else None,
        "stance": (c.stance or None) if shown else None,
        "support_count": c.support_count,
        "replies": [reply(r) for r in c.replies.all()],
        "url": absolute(f"{base}comments/{c.pk}/#comment-{c.pk}"),
    }
