"""Reads of the civic directory shared by pages, forms and the API."""

from django.db.models import QuerySet

from civic.models import Area, Department, Topic


def area_subtree(*, area: Area, include_self: bool = True) -> QuerySet[Area]:
    """Every area under ``area`` in one indexed prefix query."""
    areas = Area.objects.filter(path__startswith=area.path)
    if not include_self:
        areas = areas.exclude(pk=area.pk)
    return areas


def area_children(*, parent: Area | None) -> QuerySet[Area]:
    if parent is None:
        return Area.objects.filter(level=Area.Level.DISTRICT).order_by("code")
    return Area.objects.filter(parent=parent).order_by("code")


def area_ancestors(*, area: Area) -> QuerySet[Area]:
    """The chain from the city down to ``area``, in one query."""
    codes = [code for code in area.path.split("/") if code]
    return Area.objects.filter(code__in=codes).order_by("level")


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("area")
