"""iCalendar (RFC 5545) files of hearings, with the Asia/Shanghai time
zone spelled out (VTIMEZONE) so every calendar shows the right hour."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vUri

from hearings.models import Hearing

PRODID = "-//Minyi//Public hearings//ZH"


def _event(hearing: Hearing, zone: ZoneInfo) -> Event:
    event = Event()
    event.add("uid", f"hearing-{hearing.uid}@minyi")
    event.add("dtstamp", hearing.updated_at or timezone.now())
    event.add("dtstart", hearing.starts_at.astimezone(zone))
    event.add("dtend", hearing.ends_at.astimezone(zone))
    event.add("sequence", hearing.sequence)
    event.add("summary", hearing.title)
    event.add("description", hearing.description)
    url = settings.SITE_URL.rstrip("/") + hearing.get_absolute_url()
    event.add("url", vUri(url))
    location = hearing.venue or hearing.stream_url or url
    event.add("location", location)
    event.add("status", "CONFIRMED")
    return event


def calendar_for(hearings: list[Hearing], *, name: str) -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for hearing in hearings:
        calendar.add_component(_event(hearing, zone))
    calendar.add_missing_timezones()
    return calendar.to_ical()
