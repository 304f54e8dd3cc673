"""Demands, suggestions and their sources for the API tests, made directly
(the demands app's services are exercised by its own tests)."""

import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from demands.models import Demand, DemandSource, DemandUpdate, Suggestion


def demand(**kwargs) -> Demand:
    kwargs.setdefault("title", "加装电梯 Lifts in old buildings")
    kwargs.setdefault("summary", "老旧小区需要加装电梯。")
    return Demand.objects.create(**kwargs)


def update(demand: Demand, **kwargs) -> DemandUpdate:
    kwargs.setdefault("kind", DemandUpdate.Kind.RESPONSE)
    kwargs.setdefault("text", "已列入明年计划。")
    return DemandUpdate.objects.create(demand=demand, **kwargs)


def suggestion(author, **kwargs) -> Suggestion:
    kwargs.setdefault("title", "增设公交站 A new bus stop")
    kwargs.setdefault("body", "希望在学校门口增设公交站。")
    kwargs.setdefault("form_key", uuid.uuid4())
    return Suggestion.objects.create(author=author, **kwargs)


def source(demand: Demand, obj, kind: str, **kwargs) -> DemandSource:
    return DemandSource.objects.create(
        demand=demand,
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        text=kwargs.pop("text", ""),
        **kwargs,
    )


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)
