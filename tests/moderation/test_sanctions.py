import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations.services import comments
from moderation import sanctions
from moderation.models import ModerationAction, Sanction
from notifications.models import Notification
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    UserFactory,
    moderator,
)

pytestmark = pytest.mark.django_db
PAGE = reverse("moderation:sanctions")


def test_muting_for_days_sets_the_end_logs_and_tells_the_person():
    person, mod = UserFactory(), moderator()
    sanction = sanctions.sanction_impose(
        moderator=mod, user=person, kind="mute", reason="反复辱骂", days=7
    )
    assert sanction.ends_at > timezone.now() + timedelta(days=6)
    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.subject) == ("mute", mod, person)
    assert action.snapshot["reason"] == "反复辱骂"
    assert Notification.objects.get(user=person).kind == (Notification.Kind.SANCTIONED)


def test_a_muted_resident_is_refused_with_the_end_date(english):
    person = UserFactory()
    sanction = sanctions.sanction_impose(
        moderator=moderator(), user=person, kind="mute", reason="Spam", days=3
    )
    with pytest.raises(PermissionDenied) as caught:
        comments.comment_post(
            user=person,
            consultation=ConsultationFactory(open=True),
            body="hello",
            idempotency_key=uuid.uuid4(),
        )
    assert timezone.localtime(sanction.ends_at).strftime("%Y-%m-%d") in str(
        caught.value
    )


def test_a_warning_does_not_stop_posting():
    person = UserFactory()
    sanctions.sanction_impose(
        moderator=moderator(), user=person, kind="warn", reason="请注意措辞"
    )
    assert not Sanction.objects.active().filter(user=person).exists()


def test_mute_needs_days():
    with pytest.raises(ValidationError):
        sanctions.sanction_impose(
            moderator=moderator(), user=UserFactory(), kind="mute", reason="x"
        )


def test_department_moderator_cannot_sanction():
    with pytest.raises(PermissionDenied):
        sanctions.sanction_impose(
            moderator=moderator(DepartmentFactory()),
            user=UserFactory(),
            kind="suspend",
            reason="x",
        )


def test_sanctions_page_role_matrix(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403
    client.force_login(moderator(DepartmentFactory()))
    assert client.get(PAGE).status_code == 403


def test_suspending_through_the_page(client, django_assert_max_num_queries):
    person = UserFactory()
    client.force_login(moderator())
    response = client.post(
        PAGE,
        {"account": person.email, "kind": "suspend", "days": "", "reason": "冒充官员"},
    )
    assert response.status_code == 302
    assert Sanction.objects.active().filter(user=person, ends_at=None).exists()
    with django_assert_max_num_queries(15):
        assert client.get(PAGE).status_code == 200


def test_unknown_account_is_explained_and_nothing_changes(client):
    client.force_login(moderator())
    response = client.post(
        PAGE, {"account": "nobody@example.com", "kind": "warn", "reason": "x"}
    )
    assert response.status_code == 400
    assert not Sanction.objects.exists()
