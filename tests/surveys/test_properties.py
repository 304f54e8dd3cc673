"""Property-based tests (hypothesis) of the logic evaluator and of the
aggregation."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import logic, selectors
from surveys.logic import Structure
from surveys.models import Choice, Page, Question, Survey
from surveys.results import aggregate
from tests.surveys.factories import (
    PageFactory,
    QuestionFactory,
    SurveyFactory,
    question_with_options,
    respond,
)

Kind = Question.Kind
Operator = Question.Operator
KINDS = [Kind.SINGLE, Kind.MULTIPLE, Kind.RATING, Kind.NUMBER, Kind.SHORT_TEXT]


@st.composite
def structures(draw):
    """A survey of 1–4 pages with 1–4 questions each; each page or
    question may carry a condition on an earlier question."""
    page_count = draw(st.integers(1, 4))
    pages = [Page(pk=100 + i, position=i) for i in range(page_count)]
    structure = Structure(pages=pages)
    earlier = []
    next_pk = 1
    for page in pages:
        page_earlier = list(earlier)
        if page_earlier and draw(st.booleans()):
            _condition(draw, page, page_earlier, structure)
        for position in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(KINDS))
            question = Question(
                pk=next_pk,
                page_id=page.pk,
                position=position,
                kind=kind,
                text_zh=f"问{next_pk}",
                scale_min=1,
                scale_max=5,
            )
            next_pk += 1
            if earlier and draw(st.booleans()):
                _condition(draw, question, earlier, structure)
            if kind in (Kind.SINGLE, Kind.MULTIPLE):
                structure.options[question.pk] = [
                    Choice(
                        pk=question.pk * 10 + i, question_id=question.pk, text_zh=str(i)
                    )
                    for i in range(3)
                ]
            structure.questions.setdefault(page.pk, []).append(question)
            if kind in logic.OPERATORS_FOR_KIND:
                earlier.append(question)
    return structure


def _condition(draw, element, candidates, structure):
    source = draw(st.sampled_from(candidates))
    operator = draw(st.sampled_from(sorted(logic.OPERATORS_FOR_KIND[source.kind])))
    element.condition_question_id = source.pk
    element.condition_operator = operator
    if source.kind in (Kind.SINGLE, Kind.MULTIPLE):
        element.condition_choice_id = source.pk * 10 + draw(st.integers(0, 2))
    else:
        element.condition_number = Decimal(draw(st.integers(0, 6)))


@st.composite
def structures_with_answers(draw):
    structure = draw(structures())
    answers = {}
    for question in structure.ordered_questions():
        if draw(st.booleans()):
            continue
        if question.kind == Kind.SINGLE:
            answers[question.pk] = {
                "choice": question.pk * 10 + draw(st.integers(0, 2)),
                "other": "",
            }
        elif question.kind == Kind.MULTIPLE:
            picked = draw(st.sets(st.integers(0, 2), min_size=1))
            answers[question.pk] = {
                "choices": sorted(question.pk * 10 + i for i in picked),
                "other": "",
            }
        elif question.kind in (Kind.RATING, Kind.NUMBER):
            answers[question.pk] = {"number": str(draw(st.integers(0, 6)))}
        else:
            answers[question.pk] = {"text": "x"}
    return structure, answers


@given(structures())
def test_conditions_on_earlier_questions_are_accepted(structure):
    assert logic.logic_errors(structure) == []


@given(structures(), st.data())
def test_a_condition_on_a_later_question_is_refused(structure, data):
    ordered = structure.ordered_questions()
    if len(ordered) < 2:
        return
    index = data.draw(st.integers(0, len(ordered) - 2))
    element = ordered[index]
    later = data.draw(st.sampled_from(ordered[index + 1 :]))
    element.condition_question_id = later.pk
    element.condition_operator = Operator.EQUALS
    assert logic.logic_errors(structure) != []


@given(structures_with_answers())
def test_visibility_follows_the_conditions(case):
    structure, answers = case
    seen = logic.visibility(structure, answers)
    by_id = {q.pk: q for q in structure.ordered_questions()}
    for page in structure.pages:
        shown = page.pk in seen.pages
        if page.has_condition:
            source = by_id[page.condition_question_id]
            expected = source.pk in seen.questions and logic.matches(
                page, source, answers.get(source.pk)
            )
            assert shown == expected
        else:
            assert shown
        for question in structure.page_questions(page):
            if not shown:
                assert question.pk not in seen.questions
            elif question.has_condition:
                source = by_id[question.condition_question_id]
                expected = source.pk in seen.questions and logic.matches(
                    question, source, answers.get(source.pk)
                )
                assert (question.pk in seen.questions) == expected
            else:
                assert question.pk in seen.questions


@given(structures_with_answers())
def test_pruned_answers_are_exactly_the_shown_ones(case):
    structure, answers = case
    seen = logic.visibility(structure, answers)
    pruned = logic.prune(answers, seen)
    assert set(pruned) == set(answers) & seen.questions
    # Evaluating again on what is kept changes nothing.
    assert logic.visibility(structure, pruned) == seen


# Aggregation ------------------------------------------------------------------

answer_lists = st.lists(
    st.tuples(
        st.sampled_from([None, 0, 1, 2]),  # q1 option (None = blank)
        st.sampled_from([None, 0, 1]),  # q2 option, asked only after option 0
        st.sampled_from([None, 1, 2, 3, 4, 5]),  # rating
    ),
    min_size=0,
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answer_lists)
def test_totals_equal_the_responses_that_saw_each_question(rows):
    survey = SurveyFactory(open=True, mode=Survey.Mode.ANONYMOUS)
    page = PageFactory(survey=survey, position=0)
    q1 = question_with_options(page, Kind.SINGLE, ("甲", "乙", "丙"), position=0)
    q2 = question_with_options(page, Kind.SINGLE, ("是", "否"), position=1)
    first = list(q1.choices.all())
    q2.condition_question, q2.condition_operator = q1, Operator.EQUALS
    q2.condition_choice = first[0]
    q2.save()
    q3 = QuestionFactory(page=page, kind=Kind.RATING, position=2)
    second = list(q2.choices.all())
    for index, (a, b, rating) in enumerate(rows):
        posted = {}
        if a is not None:
            posted[q1] = {q1.field_name: [str(first[a].pk)]}
        if b is not None:
            posted[q2] = {q2.field_name: [str(second[b].pk)]}
        if rating is not None:
            posted[q3] = {q3.field_name: [str(rating)]}
        respond(survey, posted, browser=f"{survey.pk:08x}{index:024x}")
    results = aggregate.survey_results(
        survey=survey, structure=selectors.structure(survey=survey)
    )
    by_question = {r.question.pk: r for r in results["questions"]}
    assert results["responses"] == len(rows)
    saw_q2 = sum(1 for a, _b, _r in rows if a == 0)
    assert by_question[q1.pk].seen == len(rows)
    assert by_question[q2.pk].seen == saw_q2
    assert by_question[q2.pk].answered == sum(
        1 for a, b, _r in rows if a == 0 and b is not None
    )
    for result in by_question.values():
        assert sum(bar.count for bar in result.bars) == result.answered <= result.seen
        assert all(0 <= bar.percent <= 100 for bar in result.bars)
