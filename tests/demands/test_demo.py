"""The demo has suggestions with "me too", demands in several states with
responses and their inputs, so the public list, a demand page and the
dashboard show something after `make run`; running it again changes
nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from demands.models import Demand, DemandSource, DemandUpdate, Suggestion

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_demands_in_several_states(client):
    seed()
    statuses = set(Demand.objects.values_list("status", flat=True))
    assert {
        "new",
        "assigned",
        "in_progress",
        "resolved",
        "declined",
        "merged",
    } <= statuses
    assert Suggestion.objects.filter(support_count__gt=0).count() >= 4
    assert DemandSource.objects.filter(kind="comment").exists()
    assert DemandSource.objects.filter(kind="suggestion").exists()
    assert DemandUpdate.objects.filter(kind="response").exists()
    resolved = Demand.objects.get(status="resolved")
    assert resolved.resolved_at > resolved.first_response_at > resolved.created_at

    assert client.get(reverse("demands:list")).status_code == 200
    assert client.get(resolved.get_absolute_url()).status_code == 200
    dashboard = client.get(reverse("demands:dashboard"))
    figures = dashboard.context["figures"]
    assert figures.received >= 5
    assert figures.resolved == 1
    assert figures.median_days_to_resolution == pytest.approx(40, abs=1)

    counts = (
        Demand.objects.count(),
        Suggestion.objects.count(),
        DemandUpdate.objects.count(),
    )
    seed()
    assert (
        Demand.objects.count(),
        Suggestion.objects.count(),
        DemandUpdate.objects.count(),
    ) == counts
