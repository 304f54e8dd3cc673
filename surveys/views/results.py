"""Results: live for the department's officials, public once published.

The console and the public page render the same template from the same
selectors; only the links and the export panel differ.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from surveys import selectors
from surveys.results import aggregate, breakdown, open_answers
from surveys.views.answer import visible_survey


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def results_context(request, survey) -> dict:
    structure = selectors.structure(survey=survey)
    per_district = breakdown.responses_by_district(survey=survey)
    districts = breakdown.districts_answered(survey=survey, counts=per_district)
    district = _int(request.GET.get("district"))
    if district not in {d.pk for d in districts}:
        district = None
    by = request.GET.get("by", "district")
    results = aggregate.survey_results(
        survey=survey, structure=structure, district=district
    )
    return {
        "survey": survey,
        "results": results,
        "counts": selectors.survey_counts(
            survey=survey, responses=sum(per_district.values())
        ),
        "districts": districts,
        "district": district,
        "over_time": results["over_time"],
        "by_district": breakdown.by_district(
            survey=survey, districts=districts, counts=per_district
        ),
        "by": by,
        "breakdown_questions": breakdown.breakdown_questions(structure),
        "crosstabs": breakdown.crosstab(
            survey=survey, structure=structure, by=by, districts=districts
        ),
    }


def open_answers_context(request, survey, question_pk: int) -> dict:
    question = get_object_or_404(survey.questions, pk=question_pk)
    q = request.GET.get("q", "")[:100]
    answers = open_answers.open_answers(question=question, q=q)
    page = Paginator(answers, open_answers.PAGE_SIZE).get_page(request.GET.get("page"))
    return {"survey": survey, "question": question, "page": page, "q": q}


def _public(request, pk: int):
    survey = visible_survey(request, pk)
    if not request.user.has_perm("surveys.view_results", survey):
        raise Http404
    return survey


def public_results(request, pk: int):
    survey = _public(request, pk)
    context = {**results_context(request, survey), "console": False}
    return render(request, "surveys/results.html", context)


def public_results_print(request, pk: int):
    """The published results as a summary to print or save as PDF."""
    survey = _public(request, pk)
    context = {**results_context(request, survey), "console": False}
    return render(request, "surveys/results_print.html", context)


def public_open_answers(request, pk: int, question_pk: int):
    survey = _public(request, pk)
    context = {**open_answers_context(request, survey, question_pk), "console": False}
    return render(request, "surveys/open_answers.html", context)
