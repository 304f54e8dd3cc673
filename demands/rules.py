"""Who may do what with suggestions and demands: the whole picture in one
file.

- Residents (verified, not sanctioned) raise suggestions and add "me too"
  to other residents' visible suggestions.
- Officials of the department a demand is assigned to triage it (rename,
  merge, split, priority, reassign) and answer it (status with a public
  text, responses, progress updates).
- A new demand nobody has taken yet may be accepted, assigned, renamed,
  merged or split by any official: someone has to pick it up.
- Any official (with a second factor, like every console) may run the
  analysis and read how inputs were grouped.
"""

import rules

from consultations.rules import may_participate
from demands.models import Demand, Suggestion
from moderation.rules import is_site_wide_moderator


@rules.predicate
def is_official(user) -> bool:
    return user.is_authenticated and user.memberships.exists()


@rules.predicate
def is_assigned_official(user, demand: Demand) -> bool:
    if not user.is_authenticated or demand is None or demand.department_id is None:
        return False
    return user.memberships.filter(department_id=demand.department_id).exists()


@rules.predicate
def is_unassigned_new(user, demand: Demand) -> bool:
    return (
        demand is not None
        and demand.department_id is None
        and demand.status in (Demand.Status.NEW, Demand.Status.ACCEPTED)
    )


@rules.predicate
def is_open_demand(user, demand: Demand) -> bool:
    return demand is not None and demand.status != Demand.Status.MERGED


@rules.predicate
def is_suggestion_author(user, suggestion: Suggestion) -> bool:
    return user.is_authenticated and suggestion.author_id == user.pk


@rules.predicate
def is_visible_suggestion(user, suggestion: Suggestion) -> bool:
    return suggestion.status == Suggestion.Status.VISIBLE


@rules.predicate
def is_hidden_suggestion(user, suggestion: Suggestion) -> bool:
    """Hidden by a moderator: everyone sees the reason, not the text."""
    return suggestion.status == Suggestion.Status.HIDDEN


may_triage = is_open_demand & (is_assigned_official | (is_official & is_unassigned_new))

rules.add_perm("demands.add_suggestion", may_participate)
rules.add_perm("demands.view_suggestion", is_visible_suggestion | is_suggestion_author)
rules.add_perm(
    "demands.support_suggestion",
    may_participate & is_visible_suggestion & ~is_suggestion_author,
)
rules.add_perm("demands.moderate_suggestion", is_site_wide_moderator)
rules.add_perm("demands.view_console", is_official)
rules.add_perm("demands.run_analysis", is_official)
rules.add_perm("demands.triage_demand", may_triage)
rules.add_perm("demands.answer_demand", is_open_demand & is_assigned_official)
