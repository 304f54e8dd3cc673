import pytest
from django.core import mail
from django.urls import reverse

from surveys.models import Answer, Draft, Participation, Response, Survey
from tests.factories import PASSWORD, UserFactory
from tests.surveys.factories import SurveyFactory, every_kind_survey, resident

pytestmark = pytest.mark.django_db


def _login(client, **kwargs):
    user = resident(preferred_language="en", **kwargs)
    client.force_login(user)
    return user


def _url(survey):
    return reverse("surveys:answer", args=[survey.pk])


def _page(built, index, **fields):
    data = {"page": str(built["pages"][index].pk), "action": "next"}
    data.update({k: v for k, v in fields.items() if k != "action"})
    if "action" in fields:
        data["action"] = fields["action"]
    return data


def _q(built, kind):
    return built["q"][kind].field_name


def _answer_through(client, built, yes=True):
    survey = built["survey"]
    first = {
        _q(built, "single"): str(
            built["yes"].pk
            if yes
            else built["q"]["single"].choices.get(text_zh="否").pk
        )
    }
    assert client.post(_url(survey), _page(built, 0, **first)).status_code == 302
    second = {_q(built, "rating"): "9"}
    response = client.post(_url(survey), _page(built, 1, **second))
    if yes:
        assert response.status_code == 302
        return client.post(
            _url(survey), _page(built, 2, **{_q(built, "short_text"): "多开食堂"})
        )
    return response


def test_resident_answers_every_page_and_gets_a_receipt_and_mail(
    client, django_capture_on_commit_callbacks
):
    built = every_kind_survey()
    user = _login(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer_through(client, built)
    assert response.status_code == 200
    content = response.content.decode()
    assert "多开食堂" in content
    stored = Response.objects.get()
    assert stored.receipt_code in content
    assert stored.user == user
    assert not Draft.objects.exists()
    assert len(mail.outbox) == 1
    assert stored.receipt_code in mail.outbox[0].body


def test_page_shows_progress_and_stays_under_a_query_bound(
    client, django_assert_max_num_queries
):
    built = every_kind_survey()
    _login(client)
    with django_assert_max_num_queries(20):
        response = client.get(_url(built["survey"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Page 1 of 2" in response.content.decode()


def test_required_question_gives_a_message_on_the_field_and_in_the_summary(client):
    built = every_kind_survey()
    _login(client)
    response = client.post(
        _url(built["survey"]), _page(built, 0), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert content.count("This question needs an answer.") == 2
    assert 'class="error-summary"' in content
    assert not Draft.objects.exists() or Draft.objects.get().data == {}


def test_back_keeps_answers_and_resume_returns_to_the_saved_page(client):
    built = every_kind_survey()
    _login(client)
    survey = built["survey"]
    client.post(
        _url(survey), _page(built, 0, **{_q(built, "single"): str(built["yes"].pk)})
    )
    # Go back from page 2 with a rating typed: it is kept.
    client.post(
        _url(survey), _page(built, 1, action="back", **{_q(built, "rating"): "4"})
    )
    draft = Draft.objects.get()
    assert draft.page_position == 0
    assert draft.data[str(built["q"]["rating"].pk)] == {_q(built, "rating"): ["4"]}
    response = client.get(_url(survey))
    assert f'value="{built["yes"].pk}" checked' in response.content.decode()


def test_condition_hides_the_last_page(client):
    built = every_kind_survey()
    _login(client)
    response = _answer_through(client, built, yes=False)
    # Page 2 was the last shown page: its "next" submits.
    assert response.status_code == 200
    stored = Response.objects.get()
    assert built["q"]["short_text"].pk not in stored.seen


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("rating", "11", "Choose a value from 0 to 10."),
        ("number", "500", "Enter a number from 0 to 120."),
    ],
)
def test_out_of_range_values_are_refused(client, kind, value, message):
    built = every_kind_survey()
    _login(client)
    survey = built["survey"]
    client.post(
        _url(survey), _page(built, 0, **{_q(built, "single"): str(built["yes"].pk)})
    )
    data = _page(built, 1, **{_q(built, "rating"): "5", _q(built, kind): value})
    response = client.post(_url(survey), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert str(built["q"]["number"].pk) not in Draft.objects.get().data


def _bad_page_two(client, built, extra):
    survey = built["survey"]
    client.post(
        _url(survey), _page(built, 0, **{_q(built, "single"): str(built["yes"].pk)})
    )
    data = _page(built, 1, **{_q(built, "rating"): "5", **extra})
    return client.post(_url(survey), data, HTTP_ACCEPT_LANGUAGE="en")


def test_choice_from_another_question_is_refused(client):
    built = every_kind_survey()
    _login(client)
    foreign = built["q"]["multiple"].choices.first()
    q = built["q"]["matrix"]
    row = q.choices.filter(is_row=True).first()
    response = _bad_page_two(
        client, built, {f"{q.field_name}_r{row.pk}": str(foreign.pk)}
    )
    assert response.status_code == 400
    assert "Choose one of the options shown." in response.content.decode()
    assert str(q.pk) not in Draft.objects.get().data


def test_ranking_with_a_duplicate_rank_is_refused(client):
    built = every_kind_survey()
    _login(client)
    q = built["q"]["ranking"]
    ranks = {f"{q.field_name}_c{c.pk}": "1" for c in q.choices.all()}
    response = _bad_page_two(client, built, ranks)
    assert response.status_code == 400
    assert "Each rank can be given to only one option." in response.content.decode()


def test_matrix_with_a_missing_row_is_refused(client):
    built = every_kind_survey()
    _login(client)
    q = built["q"]["matrix"]
    row = q.choices.filter(is_row=True).first()
    column = q.choices.filter(is_row=False).first()
    response = _bad_page_two(
        client, built, {f"{q.field_name}_r{row.pk}": str(column.pk)}
    )
    assert response.status_code == 400
    assert "Answer every row; missing: 态度." in response.content.decode()


def test_forged_question_id_is_refused_with_a_message(client):
    built = every_kind_survey()
    _login(client)
    data = _page(built, 0, **{_q(built, "single"): str(built["yes"].pk), "q99999": "1"})
    response = client.post(_url(built["survey"]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "not on this page" in response.content.decode()
    assert not Draft.objects.filter(data__has_key=str(built["q"]["single"].pk)).exists()


def test_question_from_another_page_is_refused(client):
    built = every_kind_survey()
    _login(client)
    data = _page(
        built,
        0,
        **{_q(built, "single"): str(built["yes"].pk), _q(built, "rating"): "3"},
    )
    response = client.post(_url(built["survey"]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


def test_hundred_kilobytes_of_text_is_refused(client):
    built = every_kind_survey()
    _login(client)
    survey = built["survey"]
    client.post(
        _url(survey), _page(built, 0, **{_q(built, "single"): str(built["yes"].pk)})
    )
    client.post(_url(survey), _page(built, 1, **{_q(built, "rating"): "5"}))
    data = _page(built, 2, **{_q(built, "long_text"): "长" * 100_000})
    response = client.post(_url(survey), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Please keep your answer to 5000 characters" in response.content.decode()
    assert not Response.objects.exists()


def test_anonymous_visitor_answers_an_anonymous_survey_once(client):
    built = every_kind_survey(mode=Survey.Mode.ANONYMOUS)
    survey = built["survey"]
    response = client.get(_url(survey))
    assert response.status_code == 200
    assert "minyi_survey_browser" in response.cookies
    assert _answer_through(client, built).status_code == 200
    stored = Response.objects.get()
    assert stored.user_id is None
    assert Participation.objects.get().user_id is None
    again = client.get(_url(survey), HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 403
    assert "already answered" in again.content.decode()


def test_verified_survey_sends_visitors_to_log_in(client):
    built = every_kind_survey()
    response = client.get(_url(built["survey"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unverified_resident_is_refused(client):
    built = every_kind_survey()
    _login(client, verified=False)
    response = client.get(_url(built["survey"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "verified email" in response.content.decode()


def test_closed_survey_says_so_and_accepts_nothing(client):
    built = every_kind_survey(open=False, closed=True)
    _login(client)
    data = _page(built, 0, **{_q(built, "single"): str(built["yes"].pk)})
    response = client.post(_url(built["survey"]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "closed" in response.content.decode()
    assert not Draft.objects.exists()


def test_not_yet_open_survey_says_so(client):
    survey = SurveyFactory(scheduled=True)
    _login(client)
    response = client.get(_url(survey), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "not open yet" in response.content.decode()


def test_draft_survey_is_not_found_by_residents(client):
    survey = SurveyFactory()
    _login(client)
    assert client.get(_url(survey)).status_code == 404
    assert client.get(survey.get_absolute_url()).status_code == 404


def test_double_submission_stores_one_response(client):
    built = every_kind_survey()
    _login(client)
    _answer_through(client, built)
    again = client.post(
        _url(built["survey"]), _page(built, 2, **{_q(built, "short_text"): "再来"})
    )
    assert Response.objects.count() == 1
    # Submitting again is an edit of the same response (identified mode).
    assert again.status_code in (200, 400)
    assert (
        Answer.objects.filter(response__survey=built["survey"], text="再来").count()
        <= 1
    )


def test_identified_resident_changes_their_answers(client):
    built = every_kind_survey()
    _login(client)
    _answer_through(client, built)
    response = client.get(_url(built["survey"]))
    assert f'value="{built["yes"].pk}" checked' in response.content.decode()
    _answer_through(client, built, yes=False)
    stored = Response.objects.get()
    assert stored.changed_on is not None
    assert not Answer.objects.filter(question=built["q"]["short_text"]).exists()


def test_receipt_page_for_identified_respondent(client, django_assert_max_num_queries):
    built = every_kind_survey()
    _login(client)
    _answer_through(client, built)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("surveys:receipt", args=[built["survey"].pk]))
    assert response.status_code == 200
    assert Response.objects.get().receipt_code in response.content.decode()


def test_login_then_answer_flow_with_password(client):
    built = every_kind_survey()
    user = UserFactory()
    assert client.login(email=user.email, password=PASSWORD)
    assert client.get(_url(built["survey"])).status_code == 200
