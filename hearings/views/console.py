"""The officials' console for hearings: create one for a consultation of
their department, edit and reschedule it, run its agenda and state, and
publish the record.

Speakers, the floor and moderation are in ``console_live``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Consultation
from consultations.views.console import console_view, posted
from hearings import selectors
from hearings.console_forms import AgendaItemForm, HearingForm, RecordForm
from hearings.models import AgendaItem, Hearing, Record
from hearings.services import records, schedule
from hearings.views.public import add_service_error, error_text


def managed_hearing(request, pk: int) -> Hearing:
    """The hearing if the user is an official of its department; others get
    404 when its consultation is a draft, else 403."""
    hearing = get_object_or_404(
        Hearing.objects.select_related(
            "consultation", "consultation__department", "current_item"
        ),
        pk=pk,
    )
    if not request.user.has_perm("hearings.manage_hearing", hearing):
        if hearing.consultation.published_at is None:
            raise Http404
        raise PermissionDenied
    return hearing


@console_view
def index(request):
    context = {
        "hearings": selectors.official_hearings(user=request.user),
        "consultations": selectors.consultations_for_hearings(user=request.user),
        "pending": selectors.pending_items(user=request.user),
    }
    return render(request, "hearings/console/index.html", context)


@console_view
def create(request, consultation_pk: int):
    consultation = get_object_or_404(
        Consultation.objects.select_related("department"), pk=consultation_pk
    )
    if not request.user.has_perm("hearings.add_hearing", consultation):
        raise PermissionDenied
    form = HearingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            hearing = schedule.hearing_create(
                user=request.user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The hearing is scheduled."))
            return redirect("hearings_console:overview", pk=hearing.pk)
    context = {"form": form, "consultation": consultation}
    status = 400 if form.errors else 200
    return render(request, "hearings/console/hearing_form.html", context, status=status)


@console_view
def overview(request, pk: int):
    hearing = managed_hearing(request, pk)
    context = {
        "hearing": hearing,
        "agenda": list(hearing.agenda.all()),
        "agenda_form": AgendaItemForm(),
        "registrations": selectors.registrations(hearing=hearing),
        "speakers": selectors.speakers(hearing=hearing),
        "testimony_queue": selectors.testimony_queue(hearing=hearing),
    }
    return render(request, "hearings/console/hearing_overview.html", context)


@console_view
def edit(request, pk: int):
    hearing = managed_hearing(request, pk)
    form = HearingForm(posted(request), initial=HearingForm.initial_for(hearing))
    if request.method == "POST" and form.is_valid():
        try:
            schedule.hearing_update(
                user=request.user, hearing=hearing, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The hearing is saved."))
            return redirect("hearings_console:overview", pk=hearing.pk)
    context = {"form": form, "hearing": hearing, "consultation": hearing.consultation}
    status = 400 if form.errors else 200
    return render(request, "hearings/console/hearing_form.html", context, status=status)


@console_view
@require_POST
def move(request, pk: int):
    hearing = managed_hearing(request, pk)
    try:
        schedule.hearing_move(
            user=request.user, hearing=hearing, to=request.POST.get("to", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The hearing's state is changed."))
    return redirect("hearings_console:overview", pk=hearing.pk)


@console_view
@require_POST
def agenda_add(request, pk: int):
    hearing = managed_hearing(request, pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the agenda item a title and its minutes."))
        return redirect("hearings_console:overview", pk=hearing.pk)
    try:
        schedule.agenda_item_add(
            user=request.user, hearing=hearing, **form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The item is added to the agenda."))
    return redirect("hearings_console:overview", pk=hearing.pk)


@console_view
@require_POST
def agenda_change(request, pk: int, item_pk: int):
    """Move an item up or down, delete it, or mark it current."""
    hearing = managed_hearing(request, pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, hearing=hearing)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            schedule.agenda_item_move(user=request.user, item=item, up=action == "up")
        elif action == "delete":
            schedule.agenda_item_delete(user=request.user, item=item)
        elif action == "current":
            schedule.agenda_item_current(user=request.user, hearing=hearing, item=item)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The agenda is updated."))
    return redirect(reverse("hearings_console:overview", args=[pk]) + "#agenda")


@console_view
def record(request, pk: int):
    hearing = managed_hearing(request, pk)
    if not request.user.has_perm("hearings.publish_record", hearing):
        messages.error(
            request, _("The record can be published once the hearing has ended.")
        )
        return redirect("hearings_console:overview", pk=hearing.pk)
    existing = Record.objects.filter(hearing=hearing).first()
    initial = (
        {
            "minutes": existing.minutes,
            "transcript": existing.transcript,
            "recording_url": existing.recording_url,
        }
        if existing
        else {}
    )
    form = RecordForm(posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = data.pop("transcript_file")
            if upload is not None:
                data["transcript"] = records.transcript_from_upload(upload)
            records.record_publish(user=request.user, hearing=hearing, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The record is published and participants are told.")
            )
            return redirect("hearings:record", pk=hearing.pk)
    context = {"form": form, "hearing": hearing}
    status = 400 if form.errors else 200
    return render(request, "hearings/console/record_form.html", context, status=status)
