"""The list endpoints' hand-built rows are exactly what their serializers
(the schema's description) would write."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.utils.encoders import JSONEncoder

from api import rows, selectors
from api.serializers import civic, consultations, demands, hearings, surveys
from civic.models import Area, Department, Topic
from consultations import selectors as consultation_selectors
from hearings import selectors as hearing_selectors
from surveys import selectors as survey_selectors

pytestmark = pytest.mark.django_db


def _same(serialized, built):
    as_json = json.loads(json.dumps(serialized, cls=JSONEncoder))
    assert as_json == json.loads(json.dumps(built, cls=JSONEncoder))


def test_rows_match_the_serializers(world):
    for c in selectors.consultations(filters={}):
        _same(consultations.ConsultationSerializer(c).data, rows.consultation(c))
    for s in survey_selectors.public_surveys():
        _same(surveys.SurveySerializer(s).data, rows.survey(s))
    for h in hearing_selectors.public_hearings():
        _same(hearings.HearingSerializer(h).data, rows.hearing(h))
    demand_list = list(selectors.demands())
    counts = selectors.source_counts(demand_ids=[d.pk for d in demand_list])
    for d in demand_list:
        serialized = demands.DemandSerializer(d, context={"source_counts": counts})
        _same(serialized.data, rows.demand(d, counts))
    for a in Area.objects.all():
        _same(civic.AreaSerializer(a).data, rows.area(a))
    for d in Department.objects.all():
        _same(civic.DepartmentSerializer(d).data, rows.department(d))
    for t in Topic.objects.all():
        _same(civic.TopicSerializer(t).data, rows.topic(t))


def test_comment_rows_match_the_serializer(world):
    c = world.consultations["open"]
    page = consultation_selectors.comment_page(consultation=c, viewer=AnonymousUser())
    assert len(page.comments) == 3
    for comment in page.comments:
        _same(
            consultations.CommentSerializer(comment).data,
            rows.comment(comment, c.get_absolute_url()),
        )
