import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict

from surveys import selectors
from surveys.models import Answer, Draft, Participation, Response, Survey
from surveys.services import answering
from tests.factories import area_chain
from tests.surveys.factories import every_kind_survey, resident

pytestmark = pytest.mark.django_db


def _post(survey, draft, page, data: dict, direction="next", user=None, browser=""):
    structure = selectors.structure(survey=survey)
    page = next(p for p in structure.pages if p.pk == page.pk)
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    from surveys import validation

    raw = {
        q.pk: validation.raw_from_post(q, query) for q in structure.page_questions(page)
    }
    return answering.draft_save_page(
        survey=survey,
        structure=structure,
        draft=draft,
        page=page,
        posted_ids=validation.posted_question_ids(query),
        raw=raw,
        direction=direction,
        user=user,
        browser=browser,
    )


def _answer_all(built, user=None, browser="", yes=True):
    survey, (p1, p2, p3), q = built["survey"], built["pages"], built["q"]
    draft = answering.draft_start(survey=survey, user=user, browser=browser)
    single = built["yes"].pk if yes else q["single"].choices.get(text_zh="否").pk
    result = _post(
        survey,
        draft,
        p1,
        {f"q{q['single'].pk}": str(single)},
        user=user,
        browser=browser,
    )
    assert not result.errors
    draft.refresh_from_db()
    result = _post(
        survey, draft, p2, {f"q{q['rating'].pk}": "7"}, user=user, browser=browser
    )
    assert not result.errors
    draft.refresh_from_db()
    if yes:
        result = _post(
            survey,
            draft,
            p3,
            {f"q{q['short_text'].pk}": "更多食堂"},
            user=user,
            browser=browser,
        )
        draft.refresh_from_db()
    assert result.finished
    return answering.response_submit(
        survey=survey,
        structure=selectors.structure(survey=survey),
        draft=draft,
        user=user,
        browser=browser,
    )


def test_identified_response_is_linked_and_one_per_user():
    built = every_kind_survey()
    user = resident()
    response, answers = _answer_all(built, user=user)
    assert response.user == user
    assert Answer.objects.filter(response=response).count() == 3
    assert not Draft.objects.exists()
    # Answering again edits the same response.
    response2, _answers = _answer_all(built, user=user, yes=False)
    assert response2.pk == response.pk
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(question=built["q"]["short_text"]).exists()


def test_hidden_page_answers_are_discarded_and_not_seen():
    built = every_kind_survey()
    user = resident()
    response, _answers = _answer_all(built, user=user, yes=False)
    assert built["q"]["short_text"].pk not in response.seen
    assert built["q"]["rating"].pk in response.seen


def test_unlinkable_response_stores_no_user_and_participation_has_day_only():
    built = every_kind_survey(mode=Survey.Mode.UNLINKABLE)
    user = resident()
    response, _answers = _answer_all(built, user=user)
    assert response.user_id is None
    participation = Participation.objects.get()
    assert participation.user == user
    with pytest.raises(PermissionDenied):
        answering.draft_start(survey=built["survey"], user=user)


def test_anonymous_needs_a_browser_token_and_answers_once_per_browser():
    built = every_kind_survey(mode=Survey.Mode.ANONYMOUS)
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    with pytest.raises(PermissionDenied):
        answering.draft_start(survey=built["survey"], user=visitor, browser="")
    _answer_all(built, user=visitor, browser="token-1")
    assert Response.objects.get().user_id is None
    with pytest.raises(PermissionDenied):
        answering.draft_start(survey=built["survey"], user=visitor, browser="token-1")


def test_required_question_stops_the_page_and_saves_nothing():
    built = every_kind_survey()
    user = resident()
    draft = answering.draft_start(survey=built["survey"], user=user)
    result = _post(built["survey"], draft, built["pages"][0], {}, user=user)
    assert built["q"]["single"].pk in result.errors
    draft.refresh_from_db()
    assert draft.data == {}


def test_area_answer_sets_the_response_district():
    _city, district, street, community = area_chain()
    built = every_kind_survey()
    user = resident()
    q = built["q"]
    draft = answering.draft_start(survey=built["survey"], user=user)
    data = {
        f"q{q['single'].pk}": str(built["yes"].pk),
        f"q{q['area'].pk}_district": str(district.pk),
        f"q{q['area'].pk}_street": str(street.pk),
        f"q{q['area'].pk}_community": str(community.pk),
    }
    assert not _post(built["survey"], draft, built["pages"][0], data, user=user).errors
    draft.refresh_from_db()
    answers, errors = answering.cleaned_answers(
        selectors.structure(survey=built["survey"]), draft.data
    )
    assert answers[q["area"].pk] == {"area": community.pk, "district": district.pk}


def test_submitting_an_incomplete_draft_names_the_page():
    built = every_kind_survey()
    user = resident()
    draft = answering.draft_start(survey=built["survey"], user=user)
    with pytest.raises(answering.Incomplete) as caught:
        answering.response_submit(
            survey=built["survey"],
            structure=selectors.structure(survey=built["survey"]),
            draft=draft,
            user=user,
        )
    assert caught.value.position == 0
    assert not Response.objects.exists()


def test_closed_survey_accepts_nothing():
    built = every_kind_survey(open=False, closed=True)
    with pytest.raises(PermissionDenied):
        answering.draft_start(survey=built["survey"], user=resident())


def test_completion_never_exceeds_hundred_percent():
    built = every_kind_survey()
    _answer_all(built, user=resident())
    survey = Survey.objects.get(pk=built["survey"].pk)
    counts = selectors.survey_counts(survey=survey)
    assert counts == {"responses": 1, "started": 1, "completion": 100}


def test_forged_question_id_is_refused():
    built = every_kind_survey()
    user = resident()
    draft = answering.draft_start(survey=built["survey"], user=user)
    with pytest.raises(ValidationError):
        _post(built["survey"], draft, built["pages"][0], {"q999999": "1"}, user=user)
