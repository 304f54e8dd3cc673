"""Writes of the demands app, one function per use case.

``suggestions``: raise, support, moderate; ``triage``: the officials' work
on demands; ``counts``: a demand's figures and score; ``notices``: telling
the residents behind a demand about each public update.
"""

from demands.services.counts import demand_recount, demand_score
from demands.services.suggestions import (
    suggestion_create,
    suggestion_moderate,
    suggestion_remove,
    suggestion_support,
    suggestion_support_withdraw,
)
from demands.services.triage import (
    demand_accept,
    demand_assign,
    demand_create,
    demand_merge,
    demand_rename,
    demand_respond,
    demand_set_priority,
    demand_set_status,
    demand_split,
    update_record,
)

__all__ = [
    "demand_accept",
    "demand_assign",
    "demand_create",
    "demand_merge",
    "demand_recount",
    "demand_rename",
    "demand_respond",
    "demand_score",
    "demand_set_priority",
    "demand_set_status",
    "demand_split",
    "suggestion_create",
    "suggestion_moderate",
    "suggestion_remove",
    "suggestion_support",
    "suggestion_support_withdraw",
    "update_record",
]
