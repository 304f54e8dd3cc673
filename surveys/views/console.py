"""The survey builder in the officials' console: list, create, settings,
the builder page, preview and publishing."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys import presenters, selectors
from surveys.console_forms import SurveyForm
from surveys.models import Question, Survey
from surveys.services import builder
from surveys.views.answer import render_page


def console_view(view):
    """Logged in with console access (the MFA middleware has already sent
    officials without a second factor to enrol one)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("accounts.access_console"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def managed_survey(request, pk: int) -> Survey:
    """The survey if the user is an official of its department; others get
    404 for a draft and 403 for a published survey."""
    survey = get_object_or_404(Survey.objects.select_related("department"), pk=pk)
    if not request.user.has_perm("surveys.manage_survey", survey):
        if survey.published_at is None:
            raise Http404
        raise PermissionDenied
    return survey


def add_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def refuse(request, survey: Survey, error) -> object:
    text = error.messages if isinstance(error, ValidationError) else [str(error)]
    for message in text:
        messages.error(request, message)
    return redirect("surveys_console:overview", pk=survey.pk)


@console_view
def index(request):
    context = {"surveys": selectors.official_surveys(user=request.user)}
    return render(request, "surveys/console/index.html", context)


@console_view
def create(request):
    if not request.user.has_perm("surveys.add_survey"):
        raise PermissionDenied
    departments = request.user.departments.order_by("name_zh")
    form = SurveyForm(
        request.POST or None,
        departments=departments,
        initial={"mode": Survey.Mode.IDENTIFIED},
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = builder.survey_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error("department", str(error))
        else:
            messages.success(
                request, _("The survey has been created. Add its questions.")
            )
            return redirect("surveys_console:overview", pk=survey.pk)
    return render(
        request,
        "surveys/console/survey_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@console_view
def settings(request, pk: int):
    survey = managed_survey(request, pk)
    form = SurveyForm(
        request.POST or None,
        initial=SurveyForm.initial_for(survey),
        departments=request.user.departments.all(),
        fixed_department=survey.department,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "department"}
        try:
            builder.survey_update(user=request.user, survey=survey, **data)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            return refuse(request, survey, error)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("surveys_console:overview", pk=survey.pk)
    context = {"form": form, "survey": survey}
    return render(
        request,
        "surveys/console/survey_form.html",
        context,
        status=400 if form.errors else 200,
    )


@console_view
def overview(request, pk: int):
    survey = managed_survey(request, pk)
    structure = selectors.structure(survey=survey)
    pages = [
        {
            "page": page,
            "hint": presenters.condition_hint(page, structure),
            "questions": [
                (q, presenters.condition_hint(q, structure))
                for q in structure.page_questions(page)
            ],
        }
        for page in structure.pages
    ]
    context = {
        "survey": survey,
        "pages": pages,
        "kinds": Question.Kind.choices,
        "problems": builder.publish_problems(survey=survey)
        if survey.published_at is None
        else [],
        "counts": selectors.survey_counts(survey=survey),
        "editable": request.user.has_perm("surveys.change_survey", survey),
    }
    return render(request, "surveys/console/overview.html", context)


@console_view
def preview(request, pk: int):
    """The survey as a resident sees it, page by page; nothing is stored."""
    survey = managed_survey(request, pk)
    structure = selectors.structure(survey=survey)
    index = next(
        (
            i
            for i, p in enumerate(structure.pages)
            if str(p.pk) == request.GET.get("page")
        ),
        0,
    )
    pages = structure.pages
    extra = {
        "preview_previous": pages[index - 1].pk if index > 0 else None,
        "preview_next": pages[index + 1].pk if index + 1 < len(pages) else None,
    }
    return render_page(
        request, survey, structure, pages[index], {}, preview=True, extra=extra
    )


@console_view
@require_POST
def publish(request, pk: int):
    survey = managed_survey(request, pk)
    action = request.POST.get("action")
    try:
        if action == "unpublish":
            builder.survey_unpublish(user=request.user, survey=survey)
            messages.success(request, _("The survey is a draft again."))
        elif action in ("results", "hide_results"):
            builder.results_publish(
                user=request.user, survey=survey, publish=action == "results"
            )
            messages.success(request, _("The results' visibility has been changed."))
        else:
            builder.survey_publish(user=request.user, survey=survey)
            messages.success(request, _("The survey is published."))
    except (ValidationError, PermissionDenied) as error:
        return refuse(request, survey, error)
    return redirect("surveys_console:overview", pk=survey.pk)
