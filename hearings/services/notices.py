"""Telling residents about a hearing: in-app notifications and mail, once
per key, through the notifications app."""

from django.db.models import QuerySet

from accounts.models import User
from hearings.models import Hearing, LiveQuestion, Registration, Testimony
from notifications import services as notification_services

BATCH_SIZE = 500
REGISTERED = "registered"
PARTICIPANTS = "participants"


def notify_one(
    *,
    user: User,
    hearing: Hearing,
    kind: str,
    key: str,
    registration: Registration | None = None,
) -> int:
    """Notify one resident; the mail states the hearing's title, time and
    place (and, given ``registration``, the decision on a request to
    speak)."""
    return notification_services.notify(
        users=[user],
        kind=kind,
        key=key,
        url=hearing.get_absolute_url(),
        consultation=hearing.consultation,
        mail_context={"hearing": hearing, "registration": registration},
    )


def audience_ids(*, hearing_id: int, audience: str) -> QuerySet:
    """Residents holding a place (``registered``), or everyone who took
    part: registered, on the waiting list, testimony and questions."""
    registered = Registration.objects.filter(hearing_id=hearing_id)
    if audience == REGISTERED:
        return registered.filter(status=Registration.Status.REGISTERED).values_list(
            "user_id", flat=True
        )
    registered = registered.exclude(status=Registration.Status.CANCELLED)
    testimony = Testimony.objects.filter(hearing_id=hearing_id, author__isnull=False)
    questions = LiveQuestion.objects.filter(hearing_id=hearing_id, author__isnull=False)
    return (
        registered.values_list("user_id", flat=True)
        .union(testimony.values_list("author_id", flat=True))
        .union(questions.values_list("author_id", flat=True))
    )


def fan_out(*, hearing_id: int, audience: str, kind: str, key: str) -> int:
    """Notify a hearing's audience in batches; safe to run again."""
    hearing = Hearing.objects.select_related("consultation").get(pk=hearing_id)
    user_ids = sorted(set(audience_ids(hearing_id=hearing_id, audience=audience)))
    total = 0
    for start in range(0, len(user_ids), BATCH_SIZE):
        users = list(User.objects.filter(pk__in=user_ids[start : start + BATCH_SIZE]))
        total += notification_services.notify(
            users=users,
            kind=kind,
            key=key,
            url=hearing.get_absolute_url(),
            consultation=hearing.consultation,
            mail_context={"hearing": hearing},
        )
    return total
