"""`seed_demo` adds realistic consultations in every state, idempotently."""

import io

import pytest
from django.core.management import call_command

from consultations.models import (
    ClosingExtension,
    Comment,
    Consultation,
    Outcome,
    OutcomeItem,
    Section,
    Support,
)

SEEDED_MODELS = [
    Consultation,
    Section,
    Comment,
    Support,
    Outcome,
    OutcomeItem,
    ClosingExtension,
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo hashes its accounts' passwords; a fast hasher keeps these
    tests quick without changing what is seeded."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in SEEDED_MODELS
    }


@pytest.mark.django_db
def test_seed_demo_twice_adds_no_consultation_data_the_second_time():
    seed()
    first = snapshot()

    seed()

    assert snapshot() == first


@pytest.mark.django_db
def test_seed_demo_has_consultations_in_every_state():
    seed()

    statuses = [c.status for c in Consultation.objects.all()]
    for status in Consultation.Status.values:
        assert status in statuses, status
    assert statuses.count(Consultation.Status.OPEN) >= 2


@pytest.mark.django_db
def test_seed_demo_elderly_care_draft_has_articles_and_comments_on_them():
    seed()

    draft = Consultation.objects.get(title__contains="养老服务条例")
    articles = draft.sections.filter(kind=Section.Kind.ARTICLE)
    assert draft.department.slug == "civil-affairs"
    assert draft.status == Consultation.Status.OPEN
    assert articles.count() >= 12
    assert draft.sections.filter(kind=Section.Kind.PREAMBLE).exists()
    assert draft.sections.filter(kind=Section.Kind.CHAPTER).count() >= 4
    comments = draft.comments.filter(parent__isnull=True)
    assert comments.filter(section__anchor="article-6").count() >= 2
    assert comments.filter(section__isnull=True).exists()
    assert set(comments.values_list("stance", flat=True)) == set(Comment.Stance.values)
    assert draft.comments.filter(official_department=draft.department).exists()
    assert draft.comments.filter(parent__isnull=False, official_department=None)
    assert Support.objects.filter(comment__consultation=draft).count() >= 20


@pytest.mark.django_db
def test_seed_demo_comment_counters_match_the_rows():
    seed()

    for comment in Comment.objects.filter(parent__isnull=True):
        assert comment.support_count == comment.supports.count()
        visible_replies = comment.replies.filter(status=Comment.Status.VISIBLE)
        assert comment.reply_count == visible_replies.count()


@pytest.mark.django_db
def test_seed_demo_comments_lie_within_their_comment_period():
    seed()

    for comment in Comment.objects.select_related("consultation"):
        consultation = comment.consultation
        assert consultation.opens_at <= comment.created_at < consultation.closes_at
        if comment.parent_id:
            assert comment.created_at > comment.parent.created_at


@pytest.mark.django_db
def test_seed_demo_responded_consultation_links_comments_to_decisions():
    seed()

    responded = [
        c
        for c in Consultation.objects.all()
        if c.status == Consultation.Status.RESPONDED
    ]
    outcome = responded[0].outcome
    assert outcome.published_at > responded[0].closes_at
    decisions = set(outcome.items.values_list("decision", flat=True))
    assert decisions == set(OutcomeItem.Decision.values)
    assert Comment.objects.filter(outcome_item__outcome=outcome).count() >= 5
    assert outcome.items.filter(section__isnull=False).count() == (
        outcome.items.count()
    )


@pytest.mark.django_db
def test_seed_demo_shows_moderation_extension_and_withdrawal():
    seed()

    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 1
    assert Comment.objects.filter(status=Comment.Status.REMOVED, body="").exists()
    assert Comment.objects.filter(edited_at__isnull=False).exists()
    extension = ClosingExtension.objects.get()
    assert extension.consultation.status == Consultation.Status.OPEN
