"""Comment exports: request one, watch its progress, download the file.

Files are served through a permission-checked view, never a public media
URL: only officials of the department may download them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consultations.console_forms import ExportForm
from consultations.models import ExportJob
from consultations.services import exports
from consultations.views.console import console_view, managed_consultation, refuse


def _job(request, pk: int, job_pk: int):
    consultation = managed_consultation(request, pk)
    if not request.user.has_perm("consultations.export_comments", consultation):
        raise PermissionDenied
    job = get_object_or_404(ExportJob, pk=job_pk, consultation=consultation)
    return consultation, job


@console_view
@require_POST
def export_request(request, pk: int):
    consultation = managed_consultation(request, pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return refuse(request, consultation, _("Choose CSV or XLSX."))
    try:
        job = exports.export_request(
            user=request.user, consultation=consultation, **form.cleaned_data
        )
    except PermissionDenied as error:
        return refuse(request, consultation, str(error))
    messages.success(request, _("The export is being prepared."))
    return redirect("consultations_console:export", pk=consultation.pk, job_pk=job.pk)


@console_view
@never_cache
def export_job(request, pk: int, job_pk: int):
    consultation, job = _job(request, pk, job_pk)
    context = {"consultation": consultation, "job": job}
    return render(request, "consultations/console/export_job.html", context)


@console_view
@never_cache
def export_status(request, pk: int, job_pk: int):
    """Progress as JSON, polled by static/js/export-progress.js."""
    _consultation, job = _job(request, pk, job_pk)
    ready = job.state == ExportJob.State.DONE
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "percent": job.percent,
            "done": job.done,
            "total": job.total,
            "download_url": reverse(
                "consultations_console:export_download", args=[pk, job.pk]
            )
            if ready
            else "",
        }
    )


@console_view
def export_download(request, pk: int, job_pk: int):
    _consultation, job = _job(request, pk, job_pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"consultation-{job.consultation_id}-comments-{job.pk}.{job.format}"
    return FileResponse(handle, as_attachment=True, filename=name)
