"""Comment actions: post, reply, edit, delete, support and report.

A submission loses nothing: every form carries an idempotency key, so a
double click or a browser retry redirects to the one stored comment; a
refused one re-renders the form with the typed text kept and the reason at
the top.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config import ratelimit
from consultations import selectors
from consultations.forms import CommentEditForm, CommentForm, ReplyForm, ReportForm
from consultations.models import Comment, Consultation
from consultations.services import comments as comment_services
from consultations.views.public import (
    comment_thread,
    consultation_or_404,
    participation,
)


def _comment_or_404(request, pk: int, comment_pk: int) -> Comment:
    comment = selectors.comment_for(pk=comment_pk, user=request.user)
    if comment is None or comment.consultation_id != pk:
        raise Http404(_("This comment does not exist or was deleted."))
    return comment


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _back(request, comment: Comment) -> str:
    """Where to return after an action on ``comment``: the page it was
    taken from if that is on this site, else the comment's own page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return f"{target.split('#')[0]}#comment-{comment.pk}"
    return comment.get_absolute_url()


def _existing(request, form) -> Comment | None:
    """The comment already stored with this form's key (a double click or
    a retry), or None. A key someone else used gets a fresh one."""
    key = form.cleaned_data["idempotency_key"]
    existing = selectors.comment_by_key(idempotency_key=key)
    if existing is None or existing.author_id == request.user.pk:
        return existing
    form.data = form.data.copy()
    form.data["idempotency_key"] = str(uuid.uuid4())
    form.add_error(None, _("This form had already been sent. Please send it again."))
    return None


def _within_rate(request, form, action: str) -> bool:
    try:
        ratelimit.hit(request, action)
    except ratelimit.RateLimited as refusal:
        form.add_error(None, f"{refusal.message} {_('Your text is kept below.')}")
        return False
    return True


def _submit(
    request, form, service, arguments, action: str = "comment"
) -> tuple[Comment | None, int]:
    """Validate ``form``, then store through ``service`` with
    ``arguments(cleaned_data)``: the comment (new, or the one this key
    already stored) or None with the status to answer with; refusals are
    put on ``form``.

    A double click or a retry costs no look-up of its own: the service's
    insert finds the comment its key stored. Only a refused post looks for
    it, so a retry of a post that went through is never refused.
    """
    if not form.is_valid():
        return None, 400
    if not _within_rate(request, form, action):
        return _stored_or(request, form, 429)
    try:
        comment, _created = service(**arguments(form.cleaned_data))
    except comment_services.KeyTaken:
        _existing(request, form)  # a fresh key, and why
        return None, 400
    except ValidationError as error:
        form.add_error(None, error)
        return _stored_or(request, form, 400)
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return _stored_or(request, form, 403)
    except IntegrityError:
        # A row it refers to went away meanwhile (a section, a parent).
        form.add_error(None, _("This form had already been sent. Please reload."))
        return None, 400
    return comment, 200


def _stored_or(request, form, status: int) -> tuple[Comment | None, int]:
    """The comment this form's key already stored for the user (a retry of
    a post that went through), else None and ``status``."""
    existing = _existing(request, form)
    return (existing, 200) if existing is not None else (None, status)


def _posted(request, comment: Comment):
    if comment.status == Comment.Status.PENDING and comment.hidden_reason:
        # Held by the automatic filters: say why.
        messages.info(request, comment.hidden_reason)
    elif comment.status == Comment.Status.PENDING:
        messages.info(
            request,
            _(
                "Thank you. Your comment is awaiting moderation: only you can "
                "see it until a moderator approves it."
            ),
        )
    else:
        messages.success(request, _("Thank you. Your comment is published."))
    if comment.parent_id:
        return redirect(comment.get_absolute_url())
    if comment.section_id:
        page = reverse(
            "consultations:section",
            args=[comment.consultation_id, comment.section.anchor],
        )
    else:
        page = reverse("consultations:detail", args=[comment.consultation_id])
    return redirect(f"{page}#comment-{comment.pk}")


def _form_page(request, consultation: Consultation, form, status: int = 200):
    anchor = form.data.get("section") if form.is_bound else form.initial.get("section")
    section = (
        selectors.section_for(consultation=consultation, anchor=str(anchor))
        if anchor
        else None
    )
    context = participation(request.user, consultation)
    context.update(consultation=consultation, form=form, section=section)
    return render(request, "consultations/comment_form.html", context, status=status)


def comment_create(request, pk: int):
    """A top-level comment on the whole draft or one section."""
    if request.method != "POST":
        # The form page shows none of the consultation's areas, topics,
        # attachments or extensions, so they are not loaded.
        consultation = consultation_or_404(request, pk, related=False)
        initial = {"section": request.GET.get("section") or None}
        form = CommentForm(consultation=consultation, initial=initial)
        return _form_page(request, consultation, form)
    # Posting reads only the consultation's status, department and
    # moderation mode: one small query (the page is loaded in full only to
    # show the form again).
    consultation = selectors.consultation_to_post(pk=pk, user=request.user)
    if consultation is None:
        raise Http404(_("There is no such consultation."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = CommentForm(request.POST, consultation=consultation)
    comment, status = _submit(
        request,
        form,
        comment_services.comment_post,
        lambda data: {
            "user": request.user,
            "consultation": consultation,
            "body": data["body"],
            "stance": data["stance"],
            "section": data["section"],
            "idempotency_key": data["idempotency_key"],
        },
    )
    if comment is not None:
        return _posted(request, comment)
    consultation = consultation_or_404(request, pk, related=False)
    return _form_page(request, consultation, form, status=status)


def comment_reply(request, pk: int, comment_pk: int):
    """A reply under a top-level comment (official, for the department)."""
    thread = reverse("consultations:comment", args=[pk, comment_pk])
    if request.method != "POST":
        return redirect(thread)
    if not request.user.is_authenticated:
        return redirect_to_login(thread)
    parent = _comment_or_404(request, pk, comment_pk)
    if parent.parent_id:
        messages.error(request, _("Replies can only be made to a top-level comment."))
        return redirect(parent.get_absolute_url())
    form = ReplyForm(request.POST)
    reply, status = _submit(
        request,
        form,
        comment_services.comment_reply,
        lambda data: {
            "user": request.user,
            "parent": parent,
            "body": data["body"],
            "official": data["official"],
            "idempotency_key": data["idempotency_key"],
        },
        action="reply",
    )
    if reply is not None:
        return _posted(request, reply)
    return comment_thread(request, pk, comment_pk, reply_form=form, status=status)


@login_required
def comment_edit(request, pk: int, comment_pk: int):
    comment = _comment_or_404(request, pk, comment_pk)
    allowed = request.user.has_perm("consultations.change_comment", comment)
    if not allowed or comment.status == Comment.Status.REMOVED:
        messages.error(
            request,
            _(
                "Comments can only be edited by their author within 15 minutes "
                "of posting, while the consultation is open."
            ),
        )
        return redirect(comment.get_absolute_url())
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment_services.comment_edit(
                user=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _text(error))
        else:
            messages.success(request, _("Your comment was updated."))
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "consultations/comment_edit.html",
        {"comment": comment, "consultation": comment.consultation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def comment_delete(request, pk: int, comment_pk: int):
    comment = _comment_or_404(request, pk, comment_pk)
    if not request.user.has_perm("consultations.delete_comment", comment):
        messages.error(request, _("You can only delete your own comments."))
        return redirect(comment.get_absolute_url())
    if request.method != "POST":
        context = {"comment": comment, "consultation": comment.consultation}
        return render(request, "consultations/comment_confirm_delete.html", context)
    thread = comment.get_absolute_url()
    deleted = comment_services.comment_delete(user=request.user, comment=comment)
    if deleted:
        messages.success(request, _("Your comment was deleted."))
    else:
        messages.success(
            request,
            _("Your comment was deleted. Its replies stay, under a placeholder."),
        )
    # A placeholder goes with its last reply, so its page may be gone too.
    if deleted and (
        not comment.parent_id or comment.parent.status == Comment.Status.REMOVED
    ):
        return redirect(reverse("consultations:detail", args=[pk]) + "#comments")
    return redirect(thread)


@login_required
@require_POST
def comment_support(request, pk: int, comment_pk: int):
    """Support a comment, or withdraw one's support."""
    comment = _comment_or_404(request, pk, comment_pk)
    try:
        supported = comment_services.support_toggle(user=request.user, comment=comment)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _text(error))
    else:
        messages.success(
            request,
            _("You support this comment.")
            if supported
            else _("You no longer support this comment."),
        )
    return redirect(_back(request, comment))


@login_required
def comment_report(request, pk: int, comment_pk: int):
    """Send a comment to the moderators with a reason."""
    comment = _comment_or_404(request, pk, comment_pk)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.hit(request, "report")
            comment_services.comment_report(
                user=request.user, comment=comment, **form.cleaned_data
            )
        except ratelimit.RateLimited as refusal:
            form.add_error(None, refusal.message)
            status = 429
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(comment.get_absolute_url())
        else:
            messages.success(
                request,
                _("Thank you. A moderator will look at this comment."),
            )
            return redirect(comment.get_absolute_url())
    if form.errors and status == 200:
        status = 400
    context = {"comment": comment, "consultation": comment.consultation, "form": form}
    return render(request, "consultations/comment_report.html", context, status=status)
