"""Where a resident's personal data lives: every model with a foreign key to
the user model, discovered from the app registry (so models added later are
covered without a change here), and what export and deletion do with each.

Only the exceptions are named below; everything else follows the foreign
key's own rule: rows that cascade with the account are the resident's own
and are deleted, a nullable reference is cleared.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Link:
    """One foreign key from ``model`` to the user model."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def name(self) -> str:
        return self.field.name


# Public contributions: kept attributed to a former resident, or removed,
# as the resident chooses. Value: the fields that hold what they wrote,
# and the files they attached.
PUBLIC_CONTRIBUTIONS: dict[str, dict] = {
    "consultations.Comment.author": {"text": ["body"], "files": []},
    "hearings.Testimony.author": {"text": ["body"], "files": ["file"]},
    "hearings.LiveQuestion.author": {"text": ["body"], "files": []},
    "demands.Suggestion.author": {"text": ["title", "body"], "files": ["photo"]},
}

# A copy of a contribution made for the demand lists: follows the choice
# made for the contribution itself.
CONTRIBUTION_COPIES: dict[str, list[str]] = {
    "demands.DemandSource.author": ["text", "tokens"],
}

# Rows kept, still pointing at the emptied account, with the reason. They
# hold nothing about the person once the account row is emptied.
KEPT: dict[str, str] = {
    "consultations.Support.user": (
        "an anonymous support: the public count stays true; the row holds "
        "only the link to the emptied account"
    ),
    "hearings.QuestionUpvote.user": (
        "an anonymous upvote: the question's count stays true"
    ),
    "demands.SuggestionSupport.user": (
        "an anonymous 'me too': the suggestion's count stays true"
    ),
    "hearings.Registration.user": (
        "a hearing's attendance count stays true; the topic the person "
        "wanted to address is erased"
    ),
    "moderation.ModerationAction.actor": (
        "the audit log is append-only (a database trigger refuses changes) "
        "and must show who decided what; it references the account by "
        "number only"
    ),
    "moderation.ModerationAction.subject": (
        "the audit log is append-only and must keep moderation decisions "
        "(PIPL art. 47: retention required by law); by number only"
    ),
}

# Free text the resident wrote in rows that are kept.
KEPT_TEXT: dict[str, list[str]] = {
    "hearings.Registration.user": ["topic"],
}

# Reached only because the resident acted on someone else's record (a
# moderator's decision on another person's appeal, a sanction they
# imposed): not the resident's data, so not exported; the reference is
# cleared when the account is deleted.
ACTOR_ONLY = {
    "moderation.Appeal.decided_by",
    "moderation.Sanction.created_by",
    "moderation.ModerationAction.actor",
}

# Secrets never put in an export.
SECRET_FIELDS = {
    "accounts.User": {"password"},
    "mfa.Authenticator": {"data"},
    "usersessions.UserSession": {"session_key"},
    "api.ApiKey": {"key_hash", "hashed_key", "secret", "key"},
}

# Free text in child rows of a contribution that stays anonymous (a survey
# response is unlinked from the account and still counted): erased when
# the resident chooses to remove what they said.
CHILD_TEXT: dict[str, list[tuple[str, str, list[str]]]] = {
    "surveys.Response.user": [("surveys.Answer", "response", ["text"])],
}

# Child rows the resident created under their own rows (a survey
# response's answers): exported with them.
CHILDREN: dict[str, list[tuple[str, str]]] = {
    "surveys.Response.user": [("surveys.Answer", "response")],
}


def user_links() -> list[Link]:
    """Every foreign key (or one-to-one) to the user model, in every
    installed app, in a stable order."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    links = []
    for model in apps.get_models():
        if model is user_model:
            continue
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is user_model
            ):
                links.append(Link(model=model, field=field))
    return sorted(links, key=lambda link: link.label)


def exportable_fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields an export shows (no secrets, no binary or
    search-index columns)."""
    secret = SECRET_FIELDS.get(model._meta.label, set())
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in secret:
            continue
        if field.get_internal_type() in {"BinaryField", "SearchVectorField"}:
            continue
        fields.append(field)
    return fields
