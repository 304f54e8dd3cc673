"""Atom feeds: consultations (all, or of one area, topic or department),
published outcomes, and public updates on demands.

Each feed lists what the public list pages list, through the same
selectors, newest first.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from api.links import absolute, demand_path
from civic.models import Area, Department, Topic
from consultations import selectors as consultation_selectors
from consultations.models import Outcome
from demands.models import DemandUpdate

FEED_ITEMS = 50


class ConsultationFeed(Feed):
    feed_type = Atom1Feed
    kind = ""

    def get_object(self, request, key=None):
        if not self.kind:
            return None
        model, field = {
            "area": (Area, "code"),
            "topic": (Topic, "slug"),
            "department": (Department, "slug"),
        }[self.kind]
        return get_object_or_404(model, **{field: key})

    def title(self, obj):
        if obj is None:
            return _("Minyi: consultations")
        return _("Minyi: consultations — %(name)s") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Published consultations, newest first.")

    def link(self, obj):
        return reverse("consultations:list")

    def items(self, obj):
        filters = consultation_selectors.ConsultationFilters(
            **({self.kind: obj} if self.kind else {})
        )
        return consultation_selectors.consultation_list(filters=filters).order_by(
            "-published_at", "-pk"
        )[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.department.name

    def item_categories(self, item):
        return [item.get_status_display()]


class AreaConsultationFeed(ConsultationFeed):
    kind = "area"


class TopicConsultationFeed(ConsultationFeed):
    kind = "topic"


class DepartmentConsultationFeed(ConsultationFeed):
    kind = "department"


class OutcomeFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Minyi: published responses")

    def subtitle(self):
        return _("What departments heard and decided, newest first.")

    def link(self):
        return reverse("consultations:list") + "?status=responded"

    def items(self):
        return (
            Outcome.objects.filter(
                published_at__isnull=False,
                consultation__in=consultation_selectors.public_consultations(),
            )
            .select_related("consultation", "consultation__department")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return _("Response: %(title)s") % {"title": item.consultation.title}

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.consultation.get_absolute_url() + "#outcome"

    def item_guid(self, item):
        return absolute(item.consultation.get_absolute_url()) + "#outcome"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.consultation.department.name


class DemandUpdateFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Minyi: updates on service demands")

    def subtitle(self):
        return _("Status changes, responses and progress, newest first.")

    def link(self):
        return "/demands/"

    def items(self):
        return (
            DemandUpdate.objects.filter(is_public=True)
            .select_related("demand", "department_to", "demand__department")
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return f"{item.demand.title} · {item.get_kind_display()}"

    def item_description(self, item):
        parts = [item.text]
        if item.status_to:
            parts.insert(
                0, _("Status: %(status)s") % {"status": item.get_status_to_display()}
            )
        return "\n\n".join(p for p in parts if p)

    def item_link(self, item):
        return f"{demand_path(item.demand)}#update-{item.pk}"

    def item_guid(self, item):
        return absolute(self.item_link(item))

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        department = item.demand.department
        return department.name if department else _("Minyi")
