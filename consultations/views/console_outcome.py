"""The outcome editor (意见采纳情况): a summary, then items saying what
residents said, what was decided and why, linked to representative
comments; published after a confirmation step, read-only afterwards."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import console_selectors, selectors
from consultations.console_forms import OutcomeItemForm, OutcomeSummaryForm
from consultations.models import OutcomeItem, Section
from consultations.services import outcomes
from consultations.views.console import (
    add_service_error,
    console_view,
    managed_consultation,
    posted,
    refuse,
)


def _writable_or_refuse(request, consultation, outcome):
    if outcome is not None and outcome.published_at:
        return refuse(request, consultation, _("This outcome is already published."))
    if not request.user.has_perm("consultations.write_outcome", consultation):
        return refuse(
            request,
            consultation,
            _("The outcome can be written once the consultation is open or closed."),
        )
    return None


@console_view
def outcome(request, pk: int):
    consultation = managed_consultation(request, pk)
    current = console_selectors.outcome_for_console(consultation=consultation)
    published = current is not None and current.published_at is not None
    form = None
    if not published:
        if refused := _writable_or_refuse(request, consultation, current):
            return refused
        initial = {"summary": current.summary if current else ""}
        form = OutcomeSummaryForm(posted(request), initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                outcomes.outcome_save_summary(
                    user=request.user, consultation=consultation, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, _validation(error))
            else:
                messages.success(request, _("The summary has been saved."))
                return redirect("consultations_console:outcome", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "outcome": current,
        "published": published,
        "form": form,
        "sections": selectors.sections_with_counts(consultation=consultation),
        "can_publish": request.user.has_perm(
            "consultations.publish_outcome", consultation
        ),
    }
    status = 400 if form is not None and form.errors else 200
    return render(
        request, "consultations/console/outcome_edit.html", context, status=status
    )


def _validation(error) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    return ValidationError(str(error))


def _chosen_section(form, consultation) -> Section | None:
    raw = form.data.get("section") if form.is_bound else form.initial.get("section")
    try:
        return consultation.sections.get(pk=int(raw))
    except (TypeError, ValueError, Section.DoesNotExist):
        return None


def _chosen_comment_ids(form) -> list[int]:
    raw = form.data.getlist("comments") if form.is_bound else form.initial["comments"]
    return [int(v) for v in raw if str(v).isdigit()]


@console_view
def outcome_item(request, pk: int, item_pk: int | None = None):
    consultation = managed_consultation(request, pk)
    current = console_selectors.outcome_for_console(consultation=consultation)
    if refused := _writable_or_refuse(request, consultation, current):
        return refused
    item = None
    if item_pk is not None:
        item = get_object_or_404(
            OutcomeItem, pk=item_pk, outcome__consultation=consultation
        )
    initial = OutcomeItemForm.initial_for(item) if item else {"comments": []}
    initial.setdefault("section", request.GET.get("section"))
    refresh = "show_comments" in request.POST
    form = OutcomeItemForm(posted(request), initial=initial, consultation=consultation)
    if request.method == "POST" and not refresh and form.is_valid():
        try:
            outcomes.outcome_item_save(
                user=request.user,
                consultation=consultation,
                item=item,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, _validation(error))
        else:
            messages.success(request, _("The item has been saved."))
            return redirect("consultations_console:outcome", pk=consultation.pk)
    section = _chosen_section(form, consultation)
    context = {
        "consultation": consultation,
        "item": item,
        "form": form if not refresh else _unjudged(form, consultation),
        "section": section,
        "candidates": console_selectors.representative_candidates(
            consultation=consultation,
            section=section,
            chosen_ids=_chosen_comment_ids(form),
        ),
        "chosen": set(_chosen_comment_ids(form)),
    }
    status = 400 if form.is_bound and not refresh and form.errors else 200
    return render(
        request, "consultations/console/outcome_item.html", context, status=status
    )


def _unjudged(form, consultation) -> OutcomeItemForm:
    """The typed values as a fresh form: showing the comments of another
    section re-renders the form without judging it."""
    data = form.data
    initial = {
        name: data.get(name, "")
        for name in ("theme", "section", "what_was_said", "decision", "reason")
    }
    initial["comments"] = data.getlist("comments")
    return OutcomeItemForm(initial=initial, consultation=consultation)


@console_view
@require_POST
def outcome_item_delete(request, pk: int, item_pk: int):
    consultation = managed_consultation(request, pk)
    item = get_object_or_404(
        OutcomeItem, pk=item_pk, outcome__consultation=consultation
    )
    try:
        outcomes.outcome_item_delete(user=request.user, item=item)
    except (ValidationError, PermissionDenied) as error:
        return refuse(request, consultation, " ".join(_validation(error).messages))
    messages.success(request, _("The item has been removed."))
    return redirect("consultations_console:outcome", pk=consultation.pk)


@console_view
def outcome_publish(request, pk: int):
    consultation = managed_consultation(request, pk)
    current = console_selectors.outcome_for_console(consultation=consultation)
    if current is not None and current.published_at:
        return refuse(request, consultation, _("This outcome is already published."))
    if not request.user.has_perm("consultations.publish_outcome", consultation):
        return refuse(
            request,
            consultation,
            _("The outcome can be published only after the consultation closes."),
        )
    problems = []
    if request.method == "POST":
        try:
            outcomes.outcome_publish(user=request.user, consultation=consultation)
        except (ValidationError, PermissionDenied) as error:
            problems = _validation(error).messages
        else:
            messages.success(
                request,
                _("The outcome is published; every participant is being notified."),
            )
            return redirect("consultations_console:outcome", pk=consultation.pk)
    context = {"consultation": consultation, "outcome": current, "problems": problems}
    return render(
        request,
        "consultations/console/outcome_publish.html",
        context,
        status=400 if problems else 200,
    )
