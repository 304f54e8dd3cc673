"""The notifications page: a resident reads their notifications, marks one
or all read, and sees the unread count in the header."""

import pytest

from notifications.models import Notification
from tests.factories import CommentFactory, ConsultationFactory, UserFactory

LIST_URL = "/notifications/"
MAX_QUERIES = 15


def notification_for(user, *, n: int = 0, **kwargs) -> Notification:
    consultation = kwargs.pop("consultation", None) or ConsultationFactory(open=True)
    return Notification.objects.create(
        user=user,
        kind=kwargs.pop("kind", Notification.Kind.REPLY),
        key=f"test:{user.pk}:{n}:{consultation.pk}",
        url=kwargs.pop("url", consultation.get_absolute_url()),
        consultation=consultation,
        **kwargs,
    )


@pytest.mark.django_db
def test_notifications_require_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={LIST_URL}"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_list_shows_own_notifications_only_in_bounded_queries(
    client, django_assert_max_num_queries, count
):
    user = UserFactory()
    consultation = ConsultationFactory(open=True, title="公交线路调整")
    for n in range(count):
        notification_for(user, n=n, consultation=consultation)
    someone_else = notification_for(UserFactory(), url="/consultations/elsewhere/")
    client.force_login(user)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "公交线路调整" in html
    assert someone_else.url not in html
    assert len(response.context["page"].object_list) == min(count, 30)


@pytest.mark.django_db
def test_header_shows_the_unread_count(client):
    user = UserFactory()
    for n in range(3):
        notification_for(user, n=n)
    client.force_login(user)

    html = client.get("/").content.decode()

    assert '<span class="count-badge">3<span class="visually-hidden">' in html


@pytest.mark.django_db
def test_header_shows_no_count_when_all_is_read(client):
    client.force_login(UserFactory())

    html = client.get("/").content.decode()

    assert "count-badge" not in html


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_goes_to_it(client):
    user = UserFactory()
    comment = CommentFactory()
    notification = notification_for(
        user, consultation=comment.consultation, url=comment.get_absolute_url()
    )
    client.force_login(user)

    response = client.post(
        f"/notifications/{notification.pk}/read/", {"next": notification.url}
    )

    notification.refresh_from_db()
    assert notification.read_at is not None
    assert response["Location"] == comment.get_absolute_url()


@pytest.mark.django_db
def test_mark_read_never_redirects_off_site(client):
    user = UserFactory()
    notification = notification_for(user)
    client.force_login(user)

    response = client.post(
        f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == LIST_URL


@pytest.mark.django_db
def test_mark_all_read(client):
    user = UserFactory()
    for n in range(3):
        notification_for(user, n=n)
    other = notification_for(UserFactory())
    client.force_login(user)

    response = client.post("/notifications/read-all/")

    assert response.status_code == 302
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
def test_someone_elses_notification_cannot_be_marked_read(client):
    other = notification_for(UserFactory())
    client.force_login(UserFactory())

    client.post(f"/notifications/{other.pk}/read/")

    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
def test_marking_read_needs_a_post(client):
    user = UserFactory()
    notification = notification_for(user)
    client.force_login(user)

    response = client.get(f"/notifications/{notification.pk}/read/")

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_empty_list_explains_what_will_arrive(client):
    client.force_login(UserFactory())

    response = client.get(LIST_URL)

    assert 'class="empty"' in response.content.decode()
