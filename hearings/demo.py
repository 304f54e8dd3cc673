"""Demo hearings, written through the services: one upcoming hearing with
registrations and a speaker queue, and one past hearing with answered
questions, testimony and a published record. A hearing that should lie in
the past is run while live and then has its dates moved back. Idempotent:
a hearing whose title exists already is left alone."""

import uuid
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from consultations.models import Consultation
from hearings.models import Hearing
from hearings.services import questions, records, registrations, schedule, testimony

CONSULTATION = "《重庆市养老服务条例（草案）》征求意见"
UPCOMING = "《重庆市养老服务条例（草案）》立法听证会（第二场）"
PAST = "《重庆市养老服务条例（草案）》立法听证会（第一场）"
KEY_NAMESPACE = uuid.UUID("0c9d1b7e-6a52-4a5f-a1f3-2e4b8d7c6a10")


def seed() -> int:
    """Create the demo hearings that do not exist yet; return how many."""
    consultation = Consultation.objects.filter(title=CONSULTATION).first()
    if consultation is None:
        return 0
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@minyi.example")
    }
    created = 0
    if not Hearing.objects.filter(title=PAST).exists():
        _past(consultation, people)
        created += 1
    if not Hearing.objects.filter(title=UPCOMING).exists():
        _upcoming(consultation, people)
        created += 1
    return created


def _fields(title: str, start, **extra) -> dict:
    return {
        "title": title,
        "description": (
            "市人大常委会法工委就《重庆市养老服务条例（草案）》举行立法听证会，"
            "听取老年人、家属、养老机构和社区工作者的意见。\n\n"
            "The Legislative Affairs Commission holds a public hearing on the "
            "draft Elderly Care Services Regulations."
        ),
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "重庆市人民大礼堂东楼第三会议室 / Room 3, East Building",
        "stream_url": "https://live.example.gov.cn/hearings/elderly-care",
        "embed_stream": False,
        "registration_deadline": start - timedelta(days=1),
        "capacity": 60,
        "speaker_slots": 6,
        "speaker_minutes": 5,
        "testimony_deadline": start + timedelta(days=2),
        **extra,
    }


def _residents(people: dict[str, User], official: User) -> list[User]:
    return [
        user
        for name, user in sorted(people.items())
        if user != official
        and not user.memberships.exists()
        and not user.moderator_roles.exists()
    ][:8]


def _upcoming(consultation: Consultation, people: dict[str, User]) -> None:
    official = people["official"]
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(
        days=6, hours=2
    )
    hearing = schedule.hearing_create(
        user=official, consultation=consultation, **_fields(UPCOMING, start)
    )
    for title, presenter, minutes in [
        ("主持人宣布听证事项和纪律", "法工委", 10),
        ("起草部门说明草案主要内容", "市民政局", 20),
        ("听证陈述人依次发言", "", 40),
        ("现场与网上提问", "", 30),
    ]:
        schedule.agenda_item_add(
            user=official,
            hearing=hearing,
            title=title,
            presenter=presenter,
            planned_minutes=minutes,
        )
    topics = ["社区食堂的价格与补贴", "失能老人的长期照护", "养老护理员的待遇"]
    for n, user in enumerate(_residents(people, official)):
        speak = n < len(topics)
        registration = registrations.registration_create(
            user=user,
            hearing=hearing,
            kind="speak" if speak else "attend",
            topic=topics[n] if speak else "",
        )
        if speak and n < 2:
            registrations.speaker_decide(
                user=official, registration=registration, approve=True
            )


def _past(consultation: Consultation, people: dict[str, User]) -> None:
    official = people["official"]
    now = timezone.now()
    hearing = schedule.hearing_create(
        user=official,
        consultation=consultation,
        **_fields(
            PAST,
            now + timedelta(days=1),
            registration_deadline=now + timedelta(hours=20),
        ),
    )
    residents = _residents(people, official)
    topics = ["社区养老服务站的开放时间", "老年助餐的覆盖范围"]
    for n, user in enumerate(residents[:4]):
        registration = registrations.registration_create(
            user=user,
            hearing=hearing,
            kind="speak" if n < 2 else "attend",
            topic=topics[n] if n < 2 else "",
        )
        if n < 2:
            registrations.speaker_decide(
                user=official, registration=registration, approve=True
            )
    testimony.testimony_submit(
        user=residents[0],
        hearing=hearing,
        body="建议第三条规定社区养老服务站每日开放不少于十小时，并在节假日照常开放。",
    )
    hearing = schedule.hearing_move(user=official, hearing=hearing, to="live")
    asked = [
        ("草案何时正式实施？", "预计明年上半年提请审议通过后施行。"),
        ("Will the meal subsidy cover residents over 70?", "Yes, from the age of 70."),
    ]
    for n, (body, answer) in enumerate(asked):
        question, _created = questions.question_post(
            user=residents[n + 1],
            hearing=hearing,
            body=body,
            idempotency_key=uuid.uuid5(KEY_NAMESPACE, f"past/{n}"),
        )
        questions.question_answer(
            moderator=official, question=question, state="answered", answer=answer
        )
    schedule.hearing_move(user=official, hearing=hearing, to="ended")
    start = now - timedelta(days=7)
    Hearing.objects.filter(pk=hearing.pk).update(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=start - timedelta(days=1),
        testimony_deadline=start + timedelta(days=2),
    )
    records.record_publish(
        user=official,
        hearing=Hearing.objects.get(pk=hearing.pk),
        minutes=(
            "听证会由市人大常委会法工委主持，两位陈述人发言，回答网上提问两个。\n\n"
            "- 多数意见支持延长社区养老服务站开放时间；\n"
            "- 建议扩大老年助餐覆盖范围。"
        ),
        transcript="主持人：现在开会。\n陈述人一：我支持草案第三条……",
        recording_url="https://video.example.gov.cn/hearings/elderly-care-1",
    )
