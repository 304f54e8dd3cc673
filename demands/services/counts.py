"""A demand's figures: distinct residents, supports, inputs, campaign flag,
latest input, and the ranking score built from them.

Written by the one function below, which every service that moves inputs
or supports calls inside its transaction (and the pipeline after a run).
"""

import math

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from consultations.models import Comment
from demands.models import Demand, DemandSource, Suggestion

# Supports count for half a resident who raised the need; an input's weight
# halves every HALF_LIFE_DAYS, so a list favours what is said now.
SUPPORT_WEIGHT = 0.5
HALF_LIFE_DAYS = 90


def demand_score(
    *, resident_count: int, support_count: int, last_input_at, now=None
) -> float:
    """Distinct residents plus half the supports, decayed by the age of
    the latest input (a half-life of ``HALF_LIFE_DAYS``)."""
    now = now or timezone.now()
    weight = resident_count + SUPPORT_WEIGHT * support_count
    if last_input_at is None:
        return float(weight)
    age_days = max(0.0, (now - last_input_at).total_seconds() / 86400)
    return round(weight * math.pow(0.5, age_days / HALF_LIFE_DAYS), 4)


def _supports(demand_id: int) -> int:
    """Supports of the inputs behind the demand: "me too" on suggestions
    and "赞同" on comments, read from the inputs' own counters."""
    sources = DemandSource.objects.filter(demand_id=demand_id)
    suggestion_ids = sources.filter(kind=DemandSource.Kind.SUGGESTION).values(
        "object_id"
    )
    comment_ids = sources.filter(kind=DemandSource.Kind.COMMENT).values("object_id")
    suggestions = Suggestion.objects.filter(pk__in=suggestion_ids).aggregate(
        n=Sum("support_count")
    )["n"]
    comments = Comment.objects.filter(pk__in=comment_ids).aggregate(
        n=Sum("support_count")
    )["n"]
    return (suggestions or 0) + (comments or 0)


def demand_recount(*, demand_ids, now=None) -> None:
    """Recompute the figures and score of each demand in ``demand_ids``.

    Residents: distinct accounts among the inputs, plus anonymous inputs
    (open survey answers) one each. A near-duplicate group's representative
    stands for ``group_accounts`` accounts even when its members are not
    attached to the demand themselves, so the larger of the two counts is
    taken.
    """
    now = now or timezone.now()
    for demand_id in sorted(set(demand_ids)):
        figures = DemandSource.objects.filter(demand_id=demand_id).aggregate(
            accounts=Count("author", distinct=True),
            anonymous=Count("pk", filter=Q(author__isnull=True)),
            rows=Count("pk"),
            grouped_accounts=Sum("group_accounts", filter=Q(duplicate_of__isnull=True)),
            grouped_inputs=Sum("group_size", filter=Q(duplicate_of__isnull=True)),
            campaigns=Count("pk", filter=Q(is_campaign=True)),
            last=Max("created_at"),
        )
        residents = max(
            figures["accounts"] + figures["anonymous"],
            figures["grouped_accounts"] or 0,
        )
        inputs = max(figures["rows"], figures["grouped_inputs"] or 0)
        supports = _supports(demand_id)
        Demand.objects.filter(pk=demand_id).update(
            resident_count=residents,
            support_count=supports,
            input_count=inputs,
            is_campaign=figures["campaigns"] > 0,
            last_input_at=figures["last"],
            score=demand_score(
                resident_count=residents,
                support_count=supports,
                last_input_at=figures["last"],
                now=now,
            ),
        )
