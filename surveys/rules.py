"""Who may do what with surveys: the whole picture in one file.

Predicates take (user, survey). Whether a particular person may still
answer (one response each, area limits) is decided by
``surveys.services.answering``, which the views ask for the reason.
"""

import rules

from consultations import rules as consultation_rules
from surveys.models import Survey

Status = Survey.Status


@rules.predicate
def is_department_official(user, survey) -> bool:
    if not user.is_authenticated or survey is None:
        return False
    return user.memberships.filter(department_id=survey.department_id).exists()


@rules.predicate
def is_official(user) -> bool:
    return user.is_authenticated and user.memberships.exists()


@rules.predicate
def is_published(user, survey) -> bool:
    return survey is not None and survey.published_at is not None


@rules.predicate
def is_draft(user, survey) -> bool:
    return survey.published_at is None


@rules.predicate
def is_open(user, survey) -> bool:
    return survey.status == Status.OPEN


@rules.predicate
def has_published_results(user, survey) -> bool:
    return survey.results_published_at is not None


@rules.predicate
def is_anonymous_mode(user, survey) -> bool:
    return survey.mode == Survey.Mode.ANONYMOUS


@rules.predicate
def may_answer_verified(user) -> bool:
    return consultation_rules.may_participate(user)


rules.add_perm("surveys.view_survey", is_published | is_department_official)
rules.add_perm("surveys.add_survey", is_official)
rules.add_perm("surveys.manage_survey", is_department_official)
rules.add_perm("surveys.change_survey", is_department_official & is_draft)
rules.add_perm("surveys.publish_survey", is_department_official & is_draft)
rules.add_perm(
    "surveys.answer_survey",
    is_published & is_open & (is_anonymous_mode | may_answer_verified),
)
rules.add_perm(
    "surveys.view_results",
    is_department_official | (is_published & has_published_results),
)
rules.add_perm("surveys.publish_results", is_department_official & is_published)
rules.add_perm("surveys.export_responses", is_department_official)
