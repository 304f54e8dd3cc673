import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civic import selectors
from civic.models import Area
from tests.factories import AreaFactory, area_chain


@pytest.mark.django_db
def test_subtree_is_one_query(django_assert_num_queries):
    top, dist, street, community = area_chain()
    AreaFactory(code="500106", parent=top)
    with django_assert_num_queries(1):
        codes = [a.code for a in selectors.area_subtree(area=dist)]
    assert codes == [dist.code, street.code, community.code]


@pytest.mark.django_db
def test_moving_an_area_moves_its_subtree():
    top, dist, street, community = area_chain()
    other = AreaFactory(code="500106", parent=top)
    street.parent = other
    street.save()
    community.refresh_from_db()
    assert community.path == "500000/500106/500103002/500103002001/"
    assert list(selectors.area_subtree(area=other)) == [other, street, community]


@pytest.mark.django_db
def test_parent_must_be_one_level_up():
    top, dist, street, community = area_chain()
    wrong = Area(code="500103009", name_zh="x", name_en="x", level=3, parent=top)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="one level above"),
    ):
        wrong.full_clean()
