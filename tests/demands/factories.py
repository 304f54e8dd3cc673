"""factory_boy factories of the demands app, called explicitly in tests."""

import uuid

import factory
from django.contrib.contenttypes.models import ContentType

from consultations.models import Comment
from demands.models import Demand, DemandSource, DemandUpdate, Suggestion
from tests.factories import CommentFactory, UserFactory


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A visible suggestion."""

    class Meta:
        model = Suggestion

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"建议增设公交站点{n}")
    body = factory.Sequence(lambda n: f"小区门口没有公交站，老人出行不便。第{n}条。")
    status = Suggestion.Status.VISIBLE
    form_key = factory.LazyFunction(uuid.uuid4)


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    title = factory.Sequence(lambda n: f"增加社区养老服务点{n}")
    summary = "多位居民希望在社区增设养老服务点。"
    status = Demand.Status.NEW


class DemandUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandUpdate

    demand = factory.SubFactory(DemandFactory)
    kind = DemandUpdate.Kind.RESPONSE
    text = "我们已收到，正在研究。"


def source_for(obj, demand: Demand | None = None, **kwargs) -> DemandSource:
    """A DemandSource pointing at ``obj`` (a comment or a suggestion)."""
    kind = (
        DemandSource.Kind.COMMENT
        if isinstance(obj, Comment)
        else DemandSource.Kind.SUGGESTION
    )
    text = getattr(obj, "body", "")
    defaults = {
        "kind": kind,
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
        "url": obj.get_absolute_url(),
        "text": text,
        "author": obj.author,
        "demand": demand,
        "tokens": " ".join(text.split()),
    }
    defaults.update(kwargs)
    return DemandSource.objects.create(**defaults)


def comment_source(demand: Demand, author=None, **kwargs) -> DemandSource:
    """A DemandSource of a new comment (by ``author``) feeding ``demand``;
    ``kwargs`` set the source's own fields."""
    comment = CommentFactory(**({"author": author} if author else {}))
    return source_for(comment, demand, **kwargs)
