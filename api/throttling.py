"""Throttling of anonymous API clients, by address, at a rate read from
``settings.API_ANON_THROTTLE_RATE`` on each request (so tests and
benchmarks can change it)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE or None
