"""Suggestions: raise one (searching for similar ones first), read one,
add or take back "me too", and the list of recent suggestions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.models import Area
from config import ratelimit
from demands import selectors, services
from demands.forms import DemandFilterForm, SuggestionForm
from demands.models import Suggestion

SUGGESTIONS_PER_PAGE = 20


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _similar_context(title: str, area: Area | None, user) -> dict:
    suggestions, demands = selectors.similar(text=title, area=area)
    return {
        "similar_suggestions": suggestions,
        "similar_demands": demands,
        "supported": selectors.has_supported(
            user=user, suggestion_ids=[s.pk for s in suggestions]
        ),
        "similar_query": title,
    }


def _area_from(value) -> Area | None:
    try:
        return Area.objects.filter(pk=int(value)).first() if value else None
    except (TypeError, ValueError):
        return None


@login_required
def suggestion_create(request):
    home = request.user.home_area
    if request.method != "POST":
        form = SuggestionForm(home_area=home)
        return _form_page(request, form, home)
    if "narrow" in request.POST or "check" in request.POST:
        # Not sent yet: show the areas inside the chosen one, or the
        # similar suggestions, keeping what was typed.
        data = request.POST.dict()
        area = _area_from(data.get("area"))
        form = SuggestionForm(initial=data, home_area=home, selected_area=area)
        area = area or home
        context = _similar_context(data.get("title", ""), area, request.user)
        return _form_page(request, form, home, context)
    form = SuggestionForm(request.POST, request.FILES, home_area=home)
    if not form.is_valid():
        return _form_page(request, form, home, status=400)
    existing = services.suggestions.suggestion_by_key(
        form_key=form.cleaned_data["form_key"]
    )
    if existing is not None and existing.author_id == request.user.pk:
        return redirect(existing)
    try:
        suggestion = services.suggestion_create(
            author=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            topic=form.cleaned_data["topic"],
            area=form.cleaned_data["area"],
            photo=form.cleaned_data["photo"],
            form_key=form.cleaned_data["form_key"],
            ip=ratelimit.client_ip(request),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, form, home, status=400)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return _form_page(request, form, home, status=403)
    except ratelimit.RateLimited as refusal:
        form.add_error(None, refusal.message)
        response = _form_page(request, form, home, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    if suggestion.status == Suggestion.Status.PENDING:
        messages.info(
            request,
            suggestion.hidden_reason or _("Your suggestion is awaiting moderation."),
        )
    else:
        messages.success(
            request,
            _("Thank you. Your suggestion is published; others can now support it."),
        )
    return redirect(suggestion)


def _form_page(request, form, home, extra=None, status=200):
    context = {
        "form": form,
        "home_area": home,
        "can_suggest": request.user.has_perm("demands.add_suggestion"),
        **(extra or {}),
    }
    return render(request, "demands/suggestion_form.html", context, status=status)


def similar(request):
    """The fragment of similar suggestions and demands shown while a title
    is typed (fetched by demands.js; GET, nothing stored)."""
    title = request.GET.get("title", "")[:200]
    area = _area_from(request.GET.get("area"))
    if area is None and request.user.is_authenticated:
        area = request.user.home_area
    return render(
        request,
        "demands/_similar.html",
        _similar_context(title, area, request.user),
    )


def suggestion_detail(request, pk: int):
    suggestion = selectors.suggestion_for(pk=pk, user=request.user)
    if suggestion is None:
        raise Http404(_("This suggestion does not exist or is not public."))
    demand, response = selectors.demand_fed_by(suggestion)
    user = request.user
    return render(
        request,
        "demands/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "demand": demand,
            "response": response,
            "is_author": user.is_authenticated and suggestion.author_id == user.pk,
            "supported": selectors.has_supported(
                user=user, suggestion_ids=[suggestion.pk]
            ),
            "can_support": user.has_perm("demands.support_suggestion", suggestion),
        },
    )


def suggestion_list(request):
    form = DemandFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"area": None, "topic": None}
    suggestions = selectors.suggestion_list(
        area=filters["area"], topic=filters["topic"]
    )
    page = Paginator(suggestions, SUGGESTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "demands/suggestion_list.html",
        {
            "form": form,
            "page": page,
            "supported": selectors.has_supported(
                user=request.user, suggestion_ids=[s.pk for s in page.object_list]
            ),
            "query_string": params.urlencode(),
        },
    )


def _back(request, suggestion: Suggestion) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return suggestion.get_absolute_url()


def _suggestion_or_404(request, pk: int) -> Suggestion:
    suggestion = selectors.suggestion_for(pk=pk, user=request.user)
    if suggestion is None:
        raise Http404(_("This suggestion does not exist or is not public."))
    return suggestion


@require_POST
@login_required
def suggestion_support(request, pk: int):
    suggestion = _suggestion_or_404(request, pk)
    try:
        services.suggestion_support(
            user=request.user, suggestion=suggestion, ip=ratelimit.client_ip(request)
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _text(error))
    except ratelimit.RateLimited as refusal:
        return ratelimit.refused(request, refusal)
    else:
        messages.success(request, _("You added “me too” to this suggestion."))
    return redirect(_back(request, suggestion))


@require_POST
@login_required
def suggestion_unsupport(request, pk: int):
    suggestion = _suggestion_or_404(request, pk)
    if services.suggestion_support_withdraw(user=request.user, suggestion=suggestion):
        messages.success(request, _("You took back your “me too”."))
    else:
        messages.info(request, _("You had not added “me too” to this suggestion."))
    return redirect(_back(request, suggestion))
