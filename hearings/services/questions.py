"""Live questions: post, upvote, and their moderation (approve, hide,
merge duplicates, "answering now", "answered").

Questions wait for a moderator before anyone else sees them. Every change
bumps the hearing's ``qa_version``, which is the ETag of the polled list.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.services.errors import PermissionDenied, ValidationError, require
from hearings.models import (
    QUESTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Hearing,
    LiveQuestion,
    QuestionUpvote,
)
from hearings.services.schedule import bump_questions
from moderation import audit, screening
from moderation import content as moderation_content
from moderation import selectors as moderation_selectors

Status = LiveQuestion.Status
Answer = LiveQuestion.Answer


def _refuse_if_cannot_ask(user: User, hearing: Hearing) -> None:
    if user.has_perm("hearings.ask_question", hearing):
        return
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to ask a question."))
    if hearing.status != Hearing.State.LIVE:
        raise PermissionDenied(_("Questions are taken during the live session."))
    sanction = moderation_selectors.active_sanction(user=user)
    if sanction is not None:
        raise PermissionDenied(
            _("Your account cannot take part: %(reason)s") % {"reason": sanction.reason}
        )
    raise PermissionDenied(_("Please verify your email address before asking."))


@transaction.atomic
def question_post(
    *, user: User, hearing: Hearing, body: str, idempotency_key: uuid.UUID
) -> tuple[LiveQuestion, bool]:
    """Send a question to the moderators; one per form, however often the
    form arrives. Return it and whether it is new."""
    _refuse_if_cannot_ask(user, hearing)
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError({"body": _("Please write your question.")})
    if len(body) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A question can be at most %(max)d characters.")
                % {"max": QUESTION_MAX_LENGTH}
            }
        )
    # Every question waits for the chair; what the filters hold also goes
    # to the moderation queue with the reason.
    held = screening.text_screen(user=user, text=body)
    question = LiveQuestion(
        hearing=hearing,
        author=user,
        author_area=user.home_area,
        body=body,
        hidden_reason=held,
        idempotency_key=idempotency_key,
    )
    question.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError:
        existing = LiveQuestion.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None or existing.author_id != user.pk:
            raise ValidationError(
                _("This form was already used. Please reload the page.")
            ) from None
        return existing, False
    if held:
        screening.content_held(item=question, reason=held)
    bump_questions(hearing.pk)
    return question, True


@transaction.atomic
def question_upvote(*, user: User, question: LiveQuestion) -> bool:
    """Upvote a visible question, or take the upvote back; return whether
    the resident now upvotes it. One upvote per resident."""
    question = LiveQuestion.objects.select_related("hearing__consultation").get(
        pk=question.pk
    )
    if not user.has_perm("hearings.upvote_question", question):
        if not user.is_authenticated:
            raise PermissionDenied(_("Please log in to upvote."))
        if question.author_id == user.pk:
            raise ValidationError(_("You cannot upvote your own question."))
        if question.status != Status.VISIBLE:
            raise ValidationError(
                _("This question is not shown, so it cannot be upvoted.")
            )
        if question.answer_state == Answer.ANSWERED:
            raise ValidationError(_("This question has been answered."))
        _refuse_if_cannot_ask(user, question.hearing)
        raise PermissionDenied(_("You cannot upvote this question."))
    deleted, _unused = QuestionUpvote.objects.filter(
        question=question, user=user
    ).delete()
    if deleted:
        LiveQuestion.objects.filter(pk=question.pk).update(
            upvote_count=F("upvote_count") - 1
        )
        bump_questions(question.hearing_id)
        return False
    _upvote, created = QuestionUpvote.objects.get_or_create(
        question=question, user=user
    )
    if created:
        LiveQuestion.objects.filter(pk=question.pk).update(
            upvote_count=F("upvote_count") + 1
        )
        bump_questions(question.hearing_id)
    return True


def _moderate(user: User, question: LiveQuestion) -> LiveQuestion:
    require(
        user,
        "hearings.moderate_hearing",
        question.hearing,
        _("You do not moderate this hearing."),
    )
    return LiveQuestion.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def question_approve(*, moderator: User, question: LiveQuestion) -> LiveQuestion:
    question = _moderate(moderator, question)
    if question.status == Status.REMOVED:
        raise ValidationError(_("The author removed this question."))
    snapshot = moderation_content.snapshot(question)
    question.status = Status.VISIBLE
    question.hidden_reason = ""
    question.merged_into = None
    question.save(update_fields=["status", "hidden_reason", "merged_into"])
    audit.action_record(
        kind="approve", actor=moderator, target=question, snapshot=snapshot
    )
    bump_questions(question.hearing_id)
    return question


@transaction.atomic
def question_hide(
    *, moderator: User, question: LiveQuestion, reason: str
) -> LiveQuestion:
    question = _moderate(moderator, question)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a public reason for hiding it.")})
    snapshot = moderation_content.snapshot(question)
    question.status = Status.HIDDEN
    question.hidden_reason = reason[:300]
    question.save(update_fields=["status", "hidden_reason"])
    audit.action_record(
        kind="hide",
        actor=moderator,
        target=question,
        reason=question.hidden_reason,
        snapshot=snapshot,
    )
    bump_questions(question.hearing_id)
    return question


@transaction.atomic
def question_merge(
    *, moderator: User, question: LiveQuestion, into: LiveQuestion
) -> LiveQuestion:
    """Fold a duplicate into another question: it is hidden with a pointer,
    and its author and upvoters upvote the one it joins."""
    question = _moderate(moderator, question)
    if into.hearing_id != question.hearing_id or into.pk == question.pk:
        raise ValidationError(_("Choose another question of the same hearing."))
    if into.status != Status.VISIBLE:
        raise ValidationError(_("A question can only join a visible question."))
    voters = set(
        QuestionUpvote.objects.filter(question=question).values_list(
            "user_id", flat=True
        )
    )
    if question.author_id:
        voters.add(question.author_id)
    voters.discard(into.author_id)
    QuestionUpvote.objects.bulk_create(
        [QuestionUpvote(question=into, user_id=uid) for uid in voters],
        ignore_conflicts=True,
    )
    LiveQuestion.objects.filter(pk=into.pk).update(
        upvote_count=QuestionUpvote.objects.filter(question=into).count()
    )
    question.status = Status.HIDDEN
    question.merged_into = into
    question.hidden_reason = _("Merged with a similar question.")
    question.save(update_fields=["status", "merged_into", "hidden_reason"])
    bump_questions(question.hearing_id)
    return question


@transaction.atomic
def question_answer(
    *, moderator: User, question: LiveQuestion, state: str, answer: str = ""
) -> LiveQuestion:
    """Mark a visible question "answering now", "answered" (with a short
    written answer for the record), or back to open."""
    question = _moderate(moderator, question)
    if state not in Answer.values:
        raise ValidationError(_("Choose how far the question has been answered."))
    if question.status not in (Status.VISIBLE, Status.PENDING):
        raise ValidationError(_("Only a shown question can be answered."))
    answer = (answer or "").replace("\x00", "").strip()
    if len(answer) > TEXT_MAX_LENGTH:
        raise ValidationError({"answer": _("The answer is too long.")})
    question.status = Status.VISIBLE
    question.answer_state = state
    if answer:
        question.answer = answer
    question.save(update_fields=["status", "answer_state", "answer"])
    bump_questions(question.hearing_id)
    return question
