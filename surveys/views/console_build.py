"""The builder's pages and questions: add, edit (with conditions and
options), reorder, duplicate, delete. Plain forms; no script needed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys import selectors
from surveys.console_forms import (
    OptionFormSet,
    PageForm,
    QuestionForm,
    option_initial,
    option_items,
)
from surveys.models import Page, Question
from surveys.services import builder
from surveys.views.console import (
    add_service_error,
    console_view,
    managed_survey,
    refuse,
)


def _step(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


@console_view
@require_POST
def page_add(request, pk: int):
    survey = managed_survey(request, pk)
    try:
        builder.page_add(user=request.user, survey=survey)
    except PermissionDenied as error:
        return refuse(request, survey, error)
    messages.success(request, _("A page has been added."))
    return redirect("surveys_console:overview", pk=survey.pk)


@console_view
def page_edit(request, pk: int, page_pk: int):
    survey = managed_survey(request, pk)
    page = get_object_or_404(Page, pk=page_pk, survey=survey)
    structure = selectors.structure(survey=survey)
    initial = {
        "title_zh": page.title_zh,
        "title_en": page.title_en,
        "condition_question": page.condition_question_id,
        "condition_operator": page.condition_operator,
        "condition_choice": page.condition_choice_id,
        "condition_number": page.condition_number,
    }
    form = PageForm(request.POST or None, initial=initial)
    form.setup_conditions(structure, page)
    if request.method == "POST" and form.is_valid():
        try:
            builder.page_update(user=request.user, page=page, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            return refuse(request, survey, error)
        else:
            messages.success(request, _("The page has been saved."))
            return redirect("surveys_console:overview", pk=survey.pk)
    context = {"survey": survey, "page": page, "form": form}
    return render(
        request,
        "surveys/console/page_form.html",
        context,
        status=400 if form.errors else 200,
    )


@console_view
@require_POST
def page_action(request, pk: int, page_pk: int):
    """Move a page up or down, or delete it."""
    survey = managed_survey(request, pk)
    page = get_object_or_404(Page, pk=page_pk, survey=survey)
    try:
        if request.POST.get("action") == "delete":
            builder.page_delete(user=request.user, page=page)
        else:
            builder.page_move(user=request.user, page=page, step=_step(request))
    except (ValidationError, PermissionDenied) as error:
        return refuse(request, survey, error)
    return redirect("surveys_console:overview", pk=survey.pk)


def _question_form(request, survey, page, kind, question=None):
    structure = selectors.structure(survey=survey)
    initial = QuestionForm.initial_for(question) if question else {"scale_min": 1}
    form = QuestionForm(request.POST or None, kind=kind, initial=initial)
    form.setup_conditions(structure, question)
    formsets = {}
    if kind in Question.CHOICE_KINDS:
        choices = list(question.choices.all()) if question else []
        formsets["options"] = OptionFormSet(
            request.POST or None,
            prefix="options",
            initial=option_initial([c for c in choices if not c.is_row]),
        )
        if kind == Question.Kind.MATRIX:
            formsets["rows"] = OptionFormSet(
                request.POST or None,
                prefix="rows",
                initial=option_initial([c for c in choices if c.is_row]),
            )
    if request.method == "POST":
        valid = form.is_valid() & all(f.is_valid() for f in formsets.values())
        if valid:
            try:
                builder.question_save(
                    user=request.user,
                    page=page,
                    kind=kind,
                    question=question,
                    **{name: option_items(f) for name, f in formsets.items()},
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied as error:
                return refuse(request, survey, error)
            else:
                messages.success(request, _("The question has been saved."))
                return redirect("surveys_console:overview", pk=survey.pk)
    context = {
        "survey": survey,
        "page": page,
        "question": question,
        "form": form,
        "kind": kind,
        "kind_label": Question.Kind(kind).label,
        "options": formsets.get("options"),
        "rows": formsets.get("rows"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/console/question_form.html", context, status=status)


@console_view
def question_new(request, pk: int, page_pk: int):
    survey = managed_survey(request, pk)
    page = get_object_or_404(Page, pk=page_pk, survey=survey)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in Question.Kind.values:
        messages.error(request, _("Choose a type of question."))
        return redirect("surveys_console:overview", pk=survey.pk)
    return _question_form(request, survey, page, kind)


@console_view
def question_edit(request, pk: int, question_pk: int):
    survey = managed_survey(request, pk)
    question = get_object_or_404(
        Question.objects.select_related("page"), pk=question_pk, survey=survey
    )
    return _question_form(request, survey, question.page, question.kind, question)


@console_view
@require_POST
def question_action(request, pk: int, question_pk: int):
    """Move a question up or down, duplicate it or delete it."""
    survey = managed_survey(request, pk)
    question = get_object_or_404(
        Question.objects.select_related("page", "survey"), pk=question_pk, survey=survey
    )
    action = request.POST.get("action")
    try:
        if action == "delete":
            builder.question_delete(user=request.user, question=question)
            messages.success(request, _("The question has been deleted."))
        elif action == "duplicate":
            builder.question_duplicate(user=request.user, question=question)
            messages.success(request, _("The question has been duplicated."))
        else:
            builder.question_move(
                user=request.user, question=question, step=_step(request)
            )
    except (ValidationError, PermissionDenied) as error:
        return refuse(request, survey, error)
    return redirect("surveys_console:overview", pk=survey.pk)
