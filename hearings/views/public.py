"""The public side of hearings: the list, a hearing's page with
registration, speakers and written testimony, the record, and calendars.

The live session (stream, speaker queue, questions) is in ``live``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import ratelimit
from hearings import calendar, documents, selectors
from hearings.forms import HearingFilterForm, RegistrationForm, TestimonyForm
from hearings.models import Hearing, LiveQuestion, Record
from hearings.services import registrations, testimony

PER_PAGE = 12


def hearing_or_404(request, pk: int) -> Hearing:
    hearing = selectors.hearing_for(pk=pk, user=request.user)
    if hearing is None:
        raise Http404(_("There is no such hearing."))
    return hearing


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (or on top)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def hearing_list(request):
    form = HearingFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"when": "upcoming"}
    hearings = selectors.hearing_list(filters=selectors.HearingFilters(**filters))
    page = Paginator(hearings, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "when": filters["when"],
        "query_string": params.urlencode(),
    }
    return render(request, "hearings/hearing_list.html", context)


def _refusal(user, hearing) -> str:
    """Why ``user`` cannot register, in words ("" if they can)."""
    try:
        registrations.refuse_if_cannot_register(user, hearing)
    except PermissionDenied as error:
        return str(error)
    return ""


def hearing_detail(request, pk: int, *, forms=None, status=200):
    hearing = hearing_or_404(request, pk)
    mine = selectors.registration_of(hearing=hearing, user=request.user)
    forms = forms or {}
    can_moderate = request.user.has_perm("hearings.moderate_hearing", hearing)
    context = {
        "hearing": hearing,
        "registration": mine,
        "waiting_position": selectors.waiting_position(registration=mine)
        if mine and mine.status == mine.Status.WAITING
        else None,
        "refusal": "" if mine else _refusal(request.user, hearing),
        "can_cancel": mine is not None
        and request.user.has_perm("hearings.cancel_registration", mine),
        "can_testify": request.user.has_perm("hearings.add_testimony", hearing),
        "agenda": list(hearing.agenda.all()),
        "speakers": selectors.speakers(hearing=hearing),
        "testimonies": selectors.testimony_public(
            hearing=hearing, user=request.user, moderator=can_moderate
        ),
        "can_moderate": can_moderate,
        "record": Record.objects.filter(
            hearing=hearing, published_at__isnull=False
        ).first(),
    }
    context["registration_form"] = forms.get("registration") or (
        RegistrationForm() if not mine and not context["refusal"] else None
    )
    context["testimony_form"] = forms.get("testimony") or (
        TestimonyForm() if context["can_testify"] else None
    )
    return render(request, "hearings/hearing_detail.html", context, status=status)


@login_required
@require_POST
def register(request, pk: int):
    hearing = hearing_or_404(request, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return hearing_detail(request, pk, forms={"registration": form}, status=400)
    try:
        registration = registrations.registration_create(
            user=request.user, hearing=hearing, **form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        status = 403 if isinstance(error, PermissionDenied) else 400
        return hearing_detail(request, pk, status=status)
    if registration.status == registration.Status.WAITING:
        messages.info(
            request,
            _(
                "The hearing is full: you are on the waiting list. We will tell "
                "you by mail if a place opens up."
            ),
        )
    else:
        messages.success(
            request, _("You are registered. A confirmation is on its way by mail.")
        )
    return redirect(hearing)


@login_required
@require_POST
def cancel(request, pk: int):
    hearing = hearing_or_404(request, pk)
    mine = selectors.registration_of(hearing=hearing, user=request.user)
    if mine is None:
        messages.error(request, _("You are not registered for this hearing."))
        return redirect(hearing)
    try:
        registrations.registration_cancel(user=request.user, registration=mine)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(hearing)


@login_required
@require_POST
def testimony_submit(request, pk: int):
    hearing = hearing_or_404(request, pk)
    form = TestimonyForm(request.POST, request.FILES)
    if not form.is_valid():
        return hearing_detail(request, pk, forms={"testimony": form}, status=400)
    try:
        ratelimit.hit(request, "testimony")
    except ratelimit.RateLimited as refusal:
        form.add_error(None, refusal.message)
        return hearing_detail(request, pk, forms={"testimony": form}, status=429)
    try:
        item = testimony.testimony_submit(
            user=request.user,
            hearing=hearing,
            body=form.cleaned_data["body"],
            upload=form.cleaned_data["upload"],
        )
    except ValidationError as error:
        add_service_error(form, error)
        return hearing_detail(request, pk, forms={"testimony": form}, status=400)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return hearing_detail(request, pk, status=403)
    if item.status == LiveQuestion.Status.PENDING:
        messages.info(
            request,
            _("Thank you. Your testimony is published after a moderator reads it."),
        )
    else:
        messages.success(request, _("Thank you. Your testimony is published."))
    return redirect(f"{hearing.get_absolute_url()}#testimony")


def record_detail(request, pk: int):
    hearing = hearing_or_404(request, pk)
    record = Record.objects.filter(hearing=hearing, published_at__isnull=False).first()
    if record is None:
        raise Http404(_("The record of this hearing is not published yet."))
    context = {
        "hearing": hearing,
        "record": record,
        "speakers": selectors.speakers(hearing=hearing),
        "questions": selectors.answered_questions(hearing=hearing),
        "testimonies": selectors.testimony_public(hearing=hearing, user=request.user),
    }
    return render(request, "hearings/record_detail.html", context)


def record_download(request, pk: int):
    """The whole record as one Markdown document."""
    hearing = hearing_or_404(request, pk)
    record = Record.objects.filter(hearing=hearing, published_at__isnull=False).first()
    if record is None:
        raise Http404(_("The record of this hearing is not published yet."))
    text = documents.record_markdown(
        hearing=hearing,
        record=record,
        speakers=selectors.speakers(hearing=hearing),
        questions=selectors.answered_questions(hearing=hearing),
        testimonies=selectors.testimony_public(hearing=hearing, user=request.user),
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{hearing.title}.md"
    )
    return response


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=filename
    )
    return response


def hearing_calendar(request, pk: int):
    hearing = hearing_or_404(request, pk)
    return _ics(calendar.calendar_for([hearing], name=hearing.title), "hearing.ics")


def upcoming_calendar(request):
    hearings = selectors.upcoming_hearings(limit=200)
    return _ics(
        calendar.calendar_for(hearings, name=_("Minyi public hearings")), "hearings.ics"
    )
