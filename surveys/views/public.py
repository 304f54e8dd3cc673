"""Public survey pages: the list and a survey's page."""

from django.core.paginator import Paginator
from django.shortcuts import render

from civic import selectors as civic_selectors
from surveys import selectors
from surveys.forms import SurveyFilterForm
from surveys.services import answering
from surveys.views.answer import browser_token, visible_survey


def survey_list(request):
    form = SurveyFilterForm(
        request.GET or None, departments=civic_selectors.department_list()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    surveys = selectors.public_surveys(
        status=filters.get("status") or "",
        department=filters["department"].pk if filters.get("department") else None,
        q=filters.get("q") or "",
    )
    page = Paginator(surveys, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "surveys/survey_list.html", context)


def detail(request, pk: int):
    survey = visible_survey(request, pk)
    browser = browser_token(request)
    context = {
        "survey": survey,
        "refusal": answering.refusal(survey=survey, user=request.user, browser=browser),
        "draft": selectors.draft_for(
            survey=survey,
            user=request.user,
            browser=browser and answering.browser_hash(browser),
        ),
        "own_response": selectors.own_response(survey=survey, user=request.user),
        "areas": list(survey.areas.all()),
        "can_see_results": request.user.has_perm("surveys.view_results", survey),
    }
    return render(request, "surveys/survey_detail.html", context)
