"""Suggestions (我有建议): raise one, add "me too", withdraw it, moderate.

A submission stores exactly one suggestion however often it arrives: each
form carries a key (``form_key``), unique in the database.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from civic.models import Area, Topic
from config import ratelimit
from consultations import search
from demands import photos
from demands.models import (
    SUGGESTION_BODY_MAX_LENGTH,
    SUGGESTION_TITLE_MAX_LENGTH,
    DemandSource,
    Suggestion,
    SuggestionSupport,
)
from demands.services import counts
from moderation import screening
from moderation import selectors as moderation_selectors


def _refuse_if_cannot_suggest(user: User) -> None:
    if user.has_perm("demands.add_suggestion"):
        return
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to take part."))
    sanction = moderation_selectors.active_sanction(user=user)
    if sanction is not None:
        if sanction.ends_at:
            raise PermissionDenied(
                _("Your account cannot post until %(date)s: %(reason)s")
                % {
                    "date": timezone.localtime(sanction.ends_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "reason": sanction.reason,
                }
            )
        raise PermissionDenied(
            _("Your account is suspended: %(reason)s") % {"reason": sanction.reason}
        )
    raise PermissionDenied(
        _("Please verify your email address before raising a suggestion.")
    )


def _clean_text(value: str | None) -> str:
    # PostgreSQL text cannot hold NUL; it is never meant in a suggestion.
    return (value or "").replace("\x00", "").strip()


def _lookup(model, value, field: str, message: str):
    """``value`` as a ``model`` row: a row, an id, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    try:
        return model.objects.get(pk=int(value))
    except (TypeError, ValueError, model.DoesNotExist):
        raise ValidationError({field: message}) from None


def _clean(title: str, body: str, topic, area, author: User) -> dict:
    errors = {}
    title, body = _clean_text(title), _clean_text(body)
    if not title:
        errors["title"] = _("Please give your suggestion a short title.")
    elif len(title) > SUGGESTION_TITLE_MAX_LENGTH:
        errors["title"] = _(
            "A title can be at most %(max)d characters; yours has %(n)d."
        ) % {"max": SUGGESTION_TITLE_MAX_LENGTH, "n": len(title)}
    if not body:
        errors["body"] = _("Please describe your suggestion.")
    elif len(body) > SUGGESTION_BODY_MAX_LENGTH:
        errors["body"] = _(
            "A suggestion can be at most %(max)d characters; yours has %(n)d."
        ) % {"max": SUGGESTION_BODY_MAX_LENGTH, "n": len(body)}
    cleaned = {"title": title, "body": body}
    for name, model, value, message in (
        ("topic", Topic, topic, _("This topic does not exist.")),
        ("area", Area, area, _("This area does not exist.")),
    ):
        try:
            cleaned[name] = _lookup(model, value, name, message)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if cleaned["area"] is None:
        cleaned["area"] = author.home_area
    return cleaned


def suggestion_by_key(*, form_key) -> Suggestion | None:
    return Suggestion.objects.filter(form_key=form_key).first()


@transaction.atomic
def suggestion_create(
    *,
    author: User,
    title: str,
    body: str,
    topic=None,
    area=None,
    photo=None,
    form_key=None,
    ip: str | None = None,
) -> Suggestion:
    """Raise a suggestion; a second call with the same ``form_key`` by the
    same author returns the one already stored. ``topic``/``area`` are rows
    or ids (the area defaults to the author's home area); ``photo`` an
    uploaded image. Raises PermissionDenied, ValidationError (per field) or
    ``config.ratelimit.RateLimited``, storing nothing."""
    _refuse_if_cannot_suggest(author)
    form_key = form_key or uuid.uuid4()
    existing = suggestion_by_key(form_key=form_key)
    if existing is not None:
        if existing.author_id != author.pk:
            raise ValidationError(
                _("This form was already used. Please reload the page and try again.")
            )
        return existing
    cleaned = _clean(title, body, topic, area, author)
    held = screening.text_screen(
        user=author, text=f"{cleaned['title']}\n{cleaned['body']}"
    )
    picture = photos.photo_clean(photo) if photo else None
    ratelimit.hit_for("suggestion", user=author, ip=ip or "")
    suggestion = Suggestion(
        author=author,
        status=Suggestion.Status.PENDING if held else Suggestion.Status.VISIBLE,
        hidden_reason=held,
        form_key=form_key,
        **cleaned,
    )
    suggestion.full_clean(exclude=["photo", "form_key"], validate_constraints=False)
    if picture is not None:
        suggestion.photo.save(picture.name, picture, save=False)
    suggestion.search_vector = search.document_vector(
        (suggestion.title, "A"), (suggestion.body, "B")
    )
    try:
        with transaction.atomic():
            suggestion.save()
    except IntegrityError:
        existing = suggestion_by_key(form_key=form_key)
        if existing is None or existing.author_id != author.pk:
            raise ValidationError(
                _("This form was already used. Please reload the page and try again.")
            ) from None
        return existing
    if held:
        screening.content_held(item=suggestion, reason=held)
    return suggestion


def _support_refusal(user: User, suggestion: Suggestion) -> str:
    if suggestion.author_id == user.pk:
        return _("This is your own suggestion: you cannot add “me too” to it.")
    if suggestion.status != Suggestion.Status.VISIBLE:
        return _("This suggestion is not public, so it cannot be supported.")
    return ""


@transaction.atomic
def suggestion_support(
    *, user: User, suggestion: Suggestion, ip: str | None = None
) -> SuggestionSupport:
    """Add ``user``'s "me too" to someone else's visible suggestion, once.
    Raises PermissionDenied or ValidationError (own suggestion, twice),
    storing nothing."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to take part."))
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    refusal = _support_refusal(user, suggestion)
    if refusal:
        raise ValidationError(refusal)
    if SuggestionSupport.objects.filter(suggestion=suggestion, user=user).exists():
        raise ValidationError(_("You have already added “me too” to this suggestion."))
    if not user.has_perm("demands.support_suggestion", suggestion):
        _refuse_if_cannot_suggest(user)
        raise PermissionDenied(_("You cannot support this suggestion."))
    ratelimit.hit_for("metoo", user=user, ip=ip or "")
    support = SuggestionSupport.objects.create(suggestion=suggestion, user=user)
    Suggestion.objects.filter(pk=suggestion.pk).update(
        support_count=F("support_count") + 1
    )
    _demand_counts_changed(suggestion)
    return support


@transaction.atomic
def suggestion_support_withdraw(*, user: User, suggestion: Suggestion) -> bool:
    """Take back ``user``'s "me too"; return whether there was one."""
    Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    deleted, _kinds = SuggestionSupport.objects.filter(
        suggestion=suggestion, user=user
    ).delete()
    if deleted:
        Suggestion.objects.filter(pk=suggestion.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        _demand_counts_changed(suggestion)
    return bool(deleted)


def _demand_counts_changed(suggestion: Suggestion) -> None:
    demand_ids = list(
        DemandSource.objects.filter(
            kind=DemandSource.Kind.SUGGESTION,
            object_id=suggestion.pk,
            demand__isnull=False,
        ).values_list("demand_id", flat=True)
    )
    if demand_ids:
        counts.demand_recount(demand_ids=demand_ids)


@transaction.atomic
def suggestion_moderate(
    *, moderator: User, suggestion: Suggestion, status: str, reason: str = ""
) -> Suggestion:
    """A moderator approves (visible) or hides (with a public reason) a
    suggestion."""
    if not moderator.has_perm("demands.moderate_suggestion", suggestion):
        raise PermissionDenied(_("Only moderators can decide on suggestions."))
    if status not in (Suggestion.Status.VISIBLE, Suggestion.Status.HIDDEN):
        raise ValidationError(_("Choose to approve or to hide the suggestion."))
    reason = _clean_text(reason)
    if status == Suggestion.Status.HIDDEN and not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding it.")})
    suggestion.status = status
    suggestion.hidden_reason = reason if status == Suggestion.Status.HIDDEN else ""
    suggestion.save(update_fields=["status", "hidden_reason", "updated_at"])
    return suggestion


@transaction.atomic
def suggestion_remove(*, user: User, suggestion: Suggestion) -> None:
    """The author takes their suggestion down; it stays as a placeholder so
    the demand it fed still counts it."""
    if suggestion.author_id != user.pk:
        raise PermissionDenied(_("Only its author can remove a suggestion."))
    suggestion.status = Suggestion.Status.REMOVED
    suggestion.save(update_fields=["status", "updated_at"])
    Suggestion.objects.filter(pk=suggestion.pk).update(search_vector=None)
