"""Results and exports in the console (live, whatever the publication)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from surveys.models import SurveyExport
from surveys.services import exports
from surveys.views.console import console_view, managed_survey, refuse
from surveys.views.results import open_answers_context, results_context


@console_view
def results(request, pk: int):
    survey = managed_survey(request, pk)
    context = {
        **results_context(request, survey),
        "console": True,
        "exports": survey.exports.all()[:5],
        "formats": SurveyExport.Format.choices,
    }
    return render(request, "surveys/results.html", context)


@console_view
def results_print(request, pk: int):
    """The live results as a summary to print or save as PDF."""
    survey = managed_survey(request, pk)
    context = {**results_context(request, survey), "console": True}
    return render(request, "surveys/results_print.html", context)


@console_view
def open_answers(request, pk: int, question_pk: int):
    survey = managed_survey(request, pk)
    context = {**open_answers_context(request, survey, question_pk), "console": True}
    return render(request, "surveys/open_answers.html", context)


def _job(request, pk: int, job_pk: int):
    survey = managed_survey(request, pk)
    if not request.user.has_perm("surveys.export_responses", survey):
        raise PermissionDenied
    return survey, get_object_or_404(SurveyExport, pk=job_pk, survey=survey)


@console_view
@require_POST
def export_request(request, pk: int):
    survey = managed_survey(request, pk)
    format = request.POST.get("format")
    if format not in SurveyExport.Format.values:
        return refuse(request, survey, PermissionDenied(_("Choose CSV or XLSX.")))
    try:
        job = exports.export_request(user=request.user, survey=survey, format=format)
    except PermissionDenied as error:
        return refuse(request, survey, error)
    messages.success(request, _("The export is being prepared."))
    return redirect("surveys_console:export", pk=survey.pk, job_pk=job.pk)


@console_view
@never_cache
def export_job(request, pk: int, job_pk: int):
    survey, job = _job(request, pk, job_pk)
    return render(
        request, "surveys/console/export_job.html", {"survey": survey, "job": job}
    )


@console_view
@never_cache
def export_status(request, pk: int, job_pk: int):
    """Progress as JSON, polled by static/js/export-progress.js."""
    _survey, job = _job(request, pk, job_pk)
    ready = job.state == SurveyExport.State.DONE
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "percent": job.percent,
            "done": job.done,
            "total": job.total,
            "download_url": reverse(
                "surveys_console:export_download", args=[pk, job.pk]
            )
            if ready
            else "",
        }
    )


@console_view
def export_download(request, pk: int, job_pk: int):
    _survey, job = _job(request, pk, job_pk)
    if job.state != SurveyExport.State.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"survey-{job.survey_id}-responses-{job.pk}.{job.format}"
    return FileResponse(handle, as_attachment=True, filename=name)
