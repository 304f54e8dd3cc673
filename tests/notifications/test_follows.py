"""Following areas, topics, departments, consultations and demands; a new
consultation is announced to those who follow its scope."""

import pytest
from django.core import mail

from consultations.services import lifecycle
from notifications import services
from notifications.models import Follow, Notification, Preference
from tests.factories import (
    AreaFactory,
    ConsultationFactory,
    DepartmentFactory,
    TopicFactory,
    UserFactory,
    area_chain,
    official,
)

pytestmark = pytest.mark.django_db


def follower(**target):
    user = UserFactory()
    Follow.objects.create(user=user, **target)
    return user


def announced_to(consultation, capture) -> set:
    with capture(execute=True):
        services.consultation_announce(consultation=consultation)
    return set(
        Notification.objects.filter(
            kind=Notification.Kind.NEW_CONSULTATION, consultation=consultation
        ).values_list("user_id", flat=True)
    )


def test_a_district_follower_hears_of_its_streets_and_the_whole_city_not_of_others(
    django_capture_on_commit_callbacks,
):
    top, district, street, community = area_chain()
    other = AreaFactory(code="500106", parent=top)
    of_district = follower(area=district)
    of_community = follower(area=community)
    of_other = follower(area=other)
    of_city = follower(area=top)

    on_street = ConsultationFactory(open=True, areas=[street])
    assert announced_to(on_street, django_capture_on_commit_callbacks) == {
        of_district.pk,
        of_community.pk,  # the street's consultation concerns its communities
        of_city.pk,
    }
    city_wide = ConsultationFactory(open=True, areas=[top])
    assert of_other.pk in announced_to(city_wide, django_capture_on_commit_callbacks)


def test_topic_and_department_followers_hear_once_each(
    django_capture_on_commit_callbacks,
):
    _top, district, _street, _community = area_chain()
    topic = TopicFactory()
    parent = DepartmentFactory()
    department = DepartmentFactory(parent=parent)
    both = follower(topic=topic)
    Follow.objects.create(user=both, area=district)
    of_parent = follower(department=parent)
    of_department = follower(department=department)
    consultation = ConsultationFactory(
        open=True, areas=[district], topics=[topic], department=department
    )
    assert announced_to(consultation, django_capture_on_commit_callbacks) == {
        both.pk,
        of_parent.pk,
        of_department.pk,
    }
    assert Notification.objects.filter(user=both).count() == 1


def test_publishing_announces_once_even_when_published_again(
    django_capture_on_commit_callbacks,
):
    _top, district, _street, _community = area_chain()
    resident = follower(area=district)
    Preference.objects.create(
        user=resident,
        kind=Notification.Kind.NEW_CONSULTATION,
        channel=Preference.Channel.IMMEDIATE,
    )
    author = official()
    consultation = ConsultationFactory(
        department=author.departments.get(),
        areas=[district],
        opens_at=ConsultationFactory.build(scheduled=True).opens_at,
        closes_at=ConsultationFactory.build(scheduled=True).closes_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.consultation_publish(user=author, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.consultation_unpublish(user=author, consultation=consultation)
        consultation.refresh_from_db()
        lifecycle.consultation_publish(user=author, consultation=consultation)
    assert Notification.objects.filter(user=resident).count() == 1
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_following_again_keeps_one_follow_per_target(django_assert_num_queries):
    user, other = UserFactory(), UserFactory()
    consultation, area = ConsultationFactory(), AreaFactory()

    with django_assert_num_queries(1):
        services.follow_ensure(user=user, consultation=consultation)
    services.follow_ensure(user=user, consultation=consultation)
    services.follow_ensure(user=user, area=area)
    services.follow_ensure(user=user, area=area)
    services.follow_ensure(user=other, consultation=consultation)

    assert {f.target for f in Follow.objects.filter(user=user)} == {
        consultation,
        area,
    }
    assert Follow.objects.filter(consultation=consultation).count() == 2
    assert Follow.objects.get(user=user, area=area).created_at is not None


def test_follow_page_lists_follows_and_adds_a_district(
    client, django_assert_max_num_queries
):
    _top, district, street, _community = area_chain()
    user = UserFactory(preferred_language="en")
    Follow.objects.create(user=user, area=street)
    Follow.objects.create(user=user, topic=TopicFactory(name_en="Transport"))
    Follow.objects.create(user=user, consultation=ConsultationFactory(open=True))
    client.force_login(user)
    with django_assert_max_num_queries(12):
        page = client.get("/notifications/follows/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Transport" in html and "Jiefangbei" in html

    response = client.post("/notifications/follows/add/", {"area": district.pk})
    assert response.status_code == 302
    assert Follow.objects.filter(user=user, area=district).exists()


def test_adding_nothing_or_two_things_is_refused(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post("/notifications/follows/add/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Choose one district, topic or department" in response.content.decode()
    assert not Follow.objects.exists()


def test_toggle_follows_and_unfollows_and_refuses_unknown_targets(client):
    topic = TopicFactory()
    user = UserFactory()
    client.force_login(user)
    data = {"target": "topic", "target_id": topic.pk, "next": "/consultations/"}
    assert client.post("/notifications/follows/toggle/", data).url == (
        "/consultations/"
    )
    assert Follow.objects.filter(user=user, topic=topic).exists()
    client.post("/notifications/follows/toggle/", data)
    assert not Follow.objects.exists()
    missing = {"target": "topic", "target_id": 999999}
    assert client.post("/notifications/follows/toggle/", missing).status_code == 400
    evil = {"target": "user", "target_id": user.pk}
    assert client.post("/notifications/follows/toggle/", evil).status_code == 400


def test_follow_pages_need_login(client):
    assert client.get("/notifications/follows/").status_code == 302
    assert client.post("/notifications/follows/toggle/").status_code == 302


def test_a_demand_page_has_a_follow_button_that_follows_it(client):
    from demands.models import Demand

    demand = Demand.objects.create(title="社区食堂")
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    page = client.get(f"/demands/{demand.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'aria-pressed="false"' in page.content.decode()
    client.post(
        "/notifications/follows/toggle/",
        {"target": "demand", "target_id": demand.pk, "next": f"/demands/{demand.pk}/"},
    )
    assert Follow.objects.filter(user=user, demand=demand).exists()
    page = client.get(f"/demands/{demand.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'aria-pressed="true"' in page.content.decode()
