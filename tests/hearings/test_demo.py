import pytest
from django.core.management import call_command
from django.urls import reverse

from hearings import demo
from hearings.models import Hearing, Record, Registration

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_an_upcoming_and_a_past_hearing_once(client):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo")
    upcoming = Hearing.objects.get(title=demo.UPCOMING)
    past = Hearing.objects.get(title=demo.PAST)
    assert Hearing.objects.count() == 2
    assert upcoming.status == "scheduled"
    assert Registration.objects.filter(hearing=upcoming).count() >= 3
    assert past.status == "record_published"
    assert Record.objects.get(hearing=past).published_at is not None
    assert past.questions.filter(answer_state="answered").count() == 2
    for url in (
        upcoming.get_absolute_url(),
        reverse("hearings:record", args=[past.pk]),
        reverse("hearings:list") + "?when=past",
    ):
        assert client.get(url).status_code == 200
    assert upcoming.title in client.get("/").content.decode()
