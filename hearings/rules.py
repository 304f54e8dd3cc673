"""Who may do what with hearings: the whole picture in one file.

Predicates take (user, hearing), (user, consultation), (user, registration)
or (user, question). Services re-check the same permissions before writing.
"""

import rules
from django.utils import timezone

from consultations import rules as consultation_rules
from consultations.models import Consultation
from hearings.models import Hearing, LiveQuestion, Registration
from moderation import rules as moderation_rules

State = Hearing.State
# A hearing belongs to a consultation that is still taking input.
TAKING_INPUT = {Consultation.Status.SCHEDULED, Consultation.Status.OPEN}


@rules.predicate
def is_hearing_official(user, hearing: Hearing) -> bool:
    return hearing is not None and bool(
        consultation_rules.is_department_official(user, hearing.consultation)
    )


@rules.predicate
def moderates_hearing(user, hearing: Hearing) -> bool:
    """Moderators of the consultation, and the department's officials, who
    chair the session."""
    if hearing is None:
        return False
    return bool(
        moderation_rules.moderates_consultation(user, hearing.consultation)
    ) or bool(is_hearing_official(user, hearing))


@rules.predicate
def consultation_taking_input(user, consultation: Consultation) -> bool:
    return consultation is not None and consultation.status in TAKING_INPUT


@rules.predicate
def hearing_public(user, hearing: Hearing) -> bool:
    return hearing.consultation.published_at is not None


@rules.predicate
def registration_open(user, hearing: Hearing) -> bool:
    return (
        hearing.status == State.SCHEDULED
        and timezone.now() <= hearing.registration_deadline
        and hearing.consultation.status in TAKING_INPUT
    )


@rules.predicate
def testimony_open(user, hearing: Hearing) -> bool:
    return (
        hearing.status != State.RECORD_PUBLISHED
        and timezone.now() <= hearing.testimony_deadline
        and hearing.consultation.published_at is not None
    )


@rules.predicate
def is_live(user, hearing: Hearing) -> bool:
    return hearing.status == State.LIVE


@rules.predicate
def record_publishable(user, hearing: Hearing) -> bool:
    return hearing.status in {State.ENDED, State.RECORD_PUBLISHED}


@rules.predicate
def is_own_registration(user, registration: Registration) -> bool:
    return user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def registration_cancellable(user, registration: Registration) -> bool:
    return (
        registration.status != Registration.Status.CANCELLED
        and registration.hearing.status == State.SCHEDULED
    )


@rules.predicate
def question_upvotable(user, question: LiveQuestion) -> bool:
    return (
        question.status == LiveQuestion.Status.VISIBLE
        and question.answer_state != LiveQuestion.Answer.ANSWERED
        and question.hearing.status == State.LIVE
        and question.author_id != user.pk
    )


may_participate = consultation_rules.may_participate

rules.add_perm("hearings.view_hearing", hearing_public | is_hearing_official)
rules.add_perm(
    "hearings.add_hearing",
    consultation_rules.is_department_official & consultation_taking_input,
)
rules.add_perm("hearings.manage_hearing", is_hearing_official)
rules.add_perm("hearings.publish_record", is_hearing_official & record_publishable)
rules.add_perm("hearings.moderate_hearing", moderates_hearing)
rules.add_perm("hearings.register", may_participate & registration_open)
rules.add_perm(
    "hearings.cancel_registration", is_own_registration & registration_cancellable
)
rules.add_perm("hearings.add_testimony", may_participate & testimony_open)
rules.add_perm("hearings.ask_question", may_participate & is_live)
rules.add_perm("hearings.upvote_question", may_participate & question_upvotable)
