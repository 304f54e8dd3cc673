"""The officials' console for consultations: create and edit a draft step
by step (basics → scope → schedule → document → preview → publish), then
run it (extend, back to draft, archive) and watch its figures.

The outcome editor and the exports live in ``console_outcome`` and
``console_exports``; the helpers here are shared by all three.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import console_selectors, selectors
from consultations.console_forms import (
    AttachmentForm,
    BasicsForm,
    DocumentForm,
    ExportForm,
    ExtendForm,
    ScheduleForm,
    ScopeForm,
)
from consultations.models import Attachment, Comment, Consultation
from consultations.services import lifecycle

NOT_EDITABLE = gettext_lazy("This consultation can no longer be edited.")
STEPS = [
    ("basics", gettext_lazy("Basics")),
    ("scope", gettext_lazy("Scope")),
    ("schedule", gettext_lazy("Schedule")),
    ("document", gettext_lazy("Document")),
    ("preview", gettext_lazy("Preview and publish")),
]


# Shared helpers ---------------------------------------------------------------


def console_view(view):
    """Logged in, with console access; the MFA middleware has already sent
    officials without a second factor to enrol one."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("accounts.access_console"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def managed_consultation(request, pk: int) -> Consultation:
    """The consultation if the user is an official of its department.
    Others get 404 for a draft (it does not exist for them) and 403 for a
    published one."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("department", "department__area"), pk=pk
    )
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        if consultation.published_at is None:
            raise Http404
        raise PermissionDenied
    return consultation


def posted(request):
    """The submitted data on POST (even when empty), else None: an unbound
    form."""
    return request.POST if request.method == "POST" else None


def refuse(request, consultation: Consultation, message):
    """Tell the official why, and go back to the consultation's page."""
    messages.error(request, message)
    return redirect("consultations_console:overview", pk=consultation.pk)


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (or on top)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def steps_for(consultation: Consultation | None, current: str) -> list[dict]:
    return [
        {
            "name": name,
            "label": label,
            "current": name == current,
            "url": reverse(f"consultations_console:{name}", args=[consultation.pk])
            if consultation is not None
            else "",
        }
        for name, label in STEPS
    ]


def _render_step(request, consultation, step, context, status=200):
    context = {
        "consultation": consultation,
        "steps": steps_for(consultation, step),
        **context,
    }
    return render(
        request,
        f"consultations/console/consultation_{step}.html",
        context,
        status=status,
    )


def _editable_or_refuse(request, consultation):
    if request.user.has_perm("consultations.change_consultation", consultation):
        return None
    return refuse(request, consultation, NOT_EDITABLE)


# The list and the consultation's page -------------------------------------------


@console_view
def index(request):
    groups = console_selectors.official_consultations(user=request.user)
    return render(request, "consultations/console/index.html", {"groups": groups})


@console_view
def overview(request, pk: int):
    consultation = managed_consultation(request, pk)
    context = {
        "consultation": consultation,
        "extensions": consultation.extensions.all(),
        "exports": console_selectors.recent_exports(consultation=consultation),
        "export_form": ExportForm(),
        "missing": console_selectors.publish_missing(consultation=consultation)
        if consultation.status == Consultation.Status.DRAFT
        else [],
    }
    return render(request, "consultations/console/consultation_overview.html", context)


# Step 1: basics --------------------------------------------------------------


def _departments(user):
    return user.departments.order_by("name_zh")


@console_view
def create(request):
    if not request.user.has_perm("consultations.add_consultation"):
        raise PermissionDenied
    form = BasicsForm(posted(request), departments=_departments(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = lifecycle.consultation_create(user=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error("department", str(error))
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("consultations_console:scope", pk=consultation.pk)
    status = 400 if form.errors else 200
    return _render_step(request, None, "basics", {"form": form}, status)


@console_view
def basics(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    form = BasicsForm(
        posted(request),
        initial=BasicsForm.initial_for(consultation),
        departments=_departments(request.user),
        fixed_department=consultation.department,
    )
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.consultation_update(
                user=request.user, consultation=consultation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, _as_validation(error))
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("consultations_console:scope", pk=consultation.pk)
    return _render_step(
        request, consultation, "basics", {"form": form}, 400 if form.errors else 200
    )


def _as_validation(error) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    return ValidationError(str(error) or NOT_EDITABLE)


# Step 2: scope -----------------------------------------------------------------


@console_view
def scope(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    form = ScopeForm(posted(request))
    selected = list(consultation.areas.all())
    if request.method == "POST" and form.is_valid():
        selected = list(form.cleaned_data["areas"])
        if "show_streets" not in request.POST:
            try:
                lifecycle.consultation_set_scope(
                    user=request.user, consultation=consultation, areas=selected
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_error(form, _as_validation(error))
            else:
                messages.success(request, _("The areas have been saved."))
                return redirect("consultations_console:schedule", pk=consultation.pk)
    expand = (
        form.cleaned_data.get("expand") if form.is_bound and not form.errors else None
    )
    choices = console_selectors.scope_choices(
        consultation=consultation, selected=selected, expand=expand
    )
    context = {"form": form, "choices": choices, "selected": {a.pk for a in selected}}
    return _render_step(
        request, consultation, "scope", context, 400 if form.errors else 200
    )


# Step 3: schedule ------------------------------------------------------------------


@console_view
def schedule(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    initial = {"opens_at": consultation.opens_at, "closes_at": consultation.closes_at}
    form = ScheduleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.consultation_set_schedule(
                user=request.user, consultation=consultation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, _as_validation(error))
        else:
            messages.success(request, _("The schedule has been saved."))
            return redirect("consultations_console:document", pk=consultation.pk)
    context = {"form": form, "time_zone": timezone.get_current_timezone_name()}
    return _render_step(
        request, consultation, "schedule", context, 400 if form.errors else 200
    )


# Step 4: document and attachments ---------------------------------------------


def _render_document(request, consultation, form, attachment_form, status=200):
    context = {
        "form": form,
        "attachment_form": attachment_form,
        "sections": list(consultation.sections.all()),
        "attachments": list(consultation.attachments.all()),
    }
    return _render_step(request, consultation, "document", context, status)


@console_view
def document(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    form = DocumentForm(
        posted(request), request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sections = lifecycle.document_replace(
                user=request.user,
                consultation=consultation,
                markdown=data["markdown"],
                docx_file=data["docx"] or None,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, _as_validation(error))
        else:
            messages.success(
                request,
                _("The draft document has been read: %(n)d sections.")
                % {"n": len(sections)},
            )
            return redirect("consultations_console:document", pk=consultation.pk)
    status = 400 if form.errors else 200
    return _render_document(request, consultation, form, AttachmentForm(), status)


@console_view
@require_POST
def attachment_add(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            lifecycle.attachment_add(
                user=request.user, consultation=consultation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, _as_validation(error))
        else:
            messages.success(request, _("The attachment has been added."))
            return redirect("consultations_console:document", pk=consultation.pk)
    return _render_document(request, consultation, DocumentForm(), form, status=400)


@console_view
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    attachment = get_object_or_404(
        Attachment, pk=attachment_pk, consultation=consultation
    )
    lifecycle.attachment_delete(user=request.user, attachment=attachment)
    messages.success(request, _("The attachment has been removed."))
    return redirect("consultations_console:document", pk=consultation.pk)


# Step 5: preview, publish, back to draft -------------------------------------------


def _render_preview(request, consultation, problems=(), status=200):
    context = {
        "sections": selectors.sections_with_counts(consultation=consultation),
        "attachments": list(consultation.attachments.all()),
        "areas": list(consultation.areas.all()),
        "topics": list(consultation.topics.all()),
        "missing": console_selectors.publish_missing(consultation=consultation),
        "problems": problems,
    }
    return _render_step(request, consultation, "preview", context, status)


@console_view
def preview(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    return _render_preview(request, consultation)


@console_view
@require_POST
def publish(request, pk: int):
    consultation = managed_consultation(request, pk)
    if refused := _editable_or_refuse(request, consultation):
        return refused
    if "save_draft" in request.POST:
        messages.success(request, _("The consultation is kept as a draft."))
        return redirect("consultations_console:overview", pk=consultation.pk)
    try:
        lifecycle.consultation_publish(user=request.user, consultation=consultation)
    except (ValidationError, PermissionDenied) as error:
        problems = _as_validation(error).messages
        return _render_preview(request, consultation, problems, status=400)
    if consultation.status == Consultation.Status.SCHEDULED:
        opens = timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M")
        messages.success(
            request, _("Published: it opens for comment on %(date)s.") % {"date": opens}
        )
    else:
        messages.success(request, _("Published: it is open for comment now."))
    return redirect("consultations_console:overview", pk=consultation.pk)


@console_view
@require_POST
def unpublish(request, pk: int):
    consultation = managed_consultation(request, pk)
    if consultation.status != Consultation.Status.SCHEDULED:
        return refuse(
            request, consultation, _("Only a scheduled consultation can go back.")
        )
    lifecycle.consultation_unpublish(user=request.user, consultation=consultation)
    messages.success(request, _("The consultation is a draft again."))
    return redirect("consultations_console:overview", pk=consultation.pk)


# While open and after --------------------------------------------------------------


@console_view
def extend(request, pk: int):
    consultation = managed_consultation(request, pk)
    if not request.user.has_perm("consultations.extend_consultation", consultation):
        return refuse(
            request, consultation, _("Only an open consultation can be extended.")
        )
    form = ExtendForm(posted(request), initial={"closes_at": consultation.closes_at})
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.consultation_extend(
                user=request.user, consultation=consultation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, _as_validation(error))
        else:
            messages.success(request, _("The closing time has been extended."))
            return redirect("consultations_console:overview", pk=consultation.pk)
    return render(
        request,
        "consultations/console/consultation_extend.html",
        {"consultation": consultation, "form": form},
        status=400 if form.errors else 200,
    )


@console_view
@require_POST
def archive(request, pk: int):
    consultation = managed_consultation(request, pk)
    try:
        lifecycle.consultation_archive(user=request.user, consultation=consultation)
    except PermissionDenied as error:
        return refuse(request, consultation, str(error))
    messages.success(request, _("The consultation has been archived."))
    return redirect("consultations_console:overview", pk=consultation.pk)


@console_view
def figures(request, pk: int):
    consultation = managed_consultation(request, pk)
    numbers = selectors.figures(consultation=consultation)
    stances = [
        {"label": label, "n": numbers["by_stance"].get(value, 0)}
        for value, label in [("", _("No stance")), *Comment.Stance.choices]
    ]
    english = (get_language() or "").startswith("en")
    districts = [
        {
            "name": (row["author_district__name_en"] if english else None)
            or row["author_district__name_zh"]
            or _("Area not given"),
            "n": row["n"],
            "people": row["people"],
        }
        for row in numbers["by_district"]
    ]
    context = {
        "consultation": consultation,
        "figures": numbers,
        "stances": stances,
        "districts": districts,
        "district_max": max((row["n"] for row in districts), default=0),
        "stance_max": max((row["n"] for row in stances), default=0),
        "now": timezone.now(),
    }
    return render(request, "consultations/console/consultation_figures.html", context)
