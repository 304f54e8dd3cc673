"""`seed_bench` loads large synthetic data fast; smoke-tested at a tiny
scale."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from accounts.models import User
from config.management.commands.seed_bench import BENCH_DOMAIN, BIG_TITLE
from consultations import selectors
from consultations.models import Comment, Consultation, Support

SCALE = "0.01"


def seed_bench(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_bench", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_bench_loads_the_scaled_consultations_users_and_comments():
    output = seed_bench()

    big = Consultation.objects.get(title=BIG_TITLE)
    assert f"big consultation id {big.pk}" in output
    assert big.status == Consultation.Status.OPEN
    assert big.comments.count() == 1000
    assert big.sections.filter(kind="article").count() == 12
    assert Consultation.objects.exclude(pk=big.pk).count() == 2
    residents = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
    assert residents.count() == 201
    assert residents.filter(emailaddress__verified=True).count() == 201
    assert residents.first().check_password("Minyi-bench-2026")


@pytest.mark.django_db
def test_seed_bench_comments_are_consistent():
    seed_bench()

    big = Consultation.objects.get(title=BIG_TITLE)
    comments = big.comments.all()
    assert comments.filter(parent__isnull=False).exists()
    assert comments.filter(search_vector__isnull=True).count() == 0
    assert comments.filter(author_district__isnull=False).exists()
    counted = comments.filter(parent__isnull=True).annotate(
        supports_n=Count("supports", distinct=True),
        replies_n=Count("replies", distinct=True),
    )
    assert not counted.exclude(support_count=F("supports_n")).exists()
    assert not counted.exclude(reply_count=F("replies_n")).exists()
    assert not Support.objects.filter(user=F("comment__author")).exists()
    replies = comments.filter(parent__isnull=False)
    assert not replies.filter(created_at__lte=F("parent__created_at")).exists()
    assert not replies.exclude(stance="").exists()


@pytest.mark.django_db
def test_seed_bench_comments_page_and_search_work():
    seed_bench()
    big = Consultation.objects.get(title=BIG_TITLE)
    viewer = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").last()

    first = selectors.comment_page(consultation=big, viewer=viewer)
    second = selectors.comment_page(
        consultation=big, viewer=viewer, cursor=first.next_cursor
    )

    assert len(first.comments) == selectors.COMMENTS_PER_PAGE
    assert first.comments[-1].created_at > second.comments[0].created_at
    assert selectors.comment_search(q="绿化").exists()
    assert selectors.comment_search(q="wheelchairs").exists()


@pytest.mark.django_db
def test_seed_bench_refuses_to_load_twice_without_reset():
    seed_bench()

    with pytest.raises(CommandError, match="--reset"):
        seed_bench()


@pytest.mark.django_db
def test_seed_bench_reset_replaces_the_data():
    seed_bench()
    big = Consultation.objects.get(title=BIG_TITLE)

    seed_bench("--reset")

    assert not Consultation.objects.filter(pk=big.pk).exists()
    assert Consultation.objects.count() == 3
    assert Comment.objects.count() == 1000 + 2 * 20
    assert User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").count() == 201
