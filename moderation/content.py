"""The kinds of content moderators decide on: consultation comments (and
replies), written testimony and live questions of hearings, and residents'
suggestions. Each kind shares the moderation states (visible, pending,
hidden, removed) and ``hidden_reason``; this module says, per kind, where
its department and consultation are, how to load it for the queue, and what
it looked like (the audit log's snapshot)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consultations.models import Comment
from demands.models import Suggestion
from hearings.models import LiveQuestion, Testimony

VISIBLE, PENDING, HIDDEN, REMOVED = "visible", "pending", "hidden", "removed"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    # Lookups from the content to its department and consultation; None:
    # the kind has none (suggestions: only site-wide moderators decide).
    department: str | None
    consultation: str | None
    related: tuple[str, ...]

    @property
    def content_type(self) -> ContentType:
        # All kinds' types in one query the first time, none after.
        return ContentType.objects.get_for_models(*BY_MODEL)[self.model]


KINDS = {
    "comment": Kind(
        "comment",
        _("Comment"),
        Comment,
        "consultation__department_id",
        "consultation_id",
        ("consultation", "consultation__department", "author", "section", "parent"),
    ),
    "testimony": Kind(
        "testimony",
        _("Written testimony"),
        Testimony,
        "hearing__consultation__department_id",
        "hearing__consultation_id",
        (
            "hearing",
            "hearing__consultation",
            "hearing__consultation__department",
            "author",
        ),
    ),
    "question": Kind(
        "question",
        _("Live question"),
        LiveQuestion,
        "hearing__consultation__department_id",
        "hearing__consultation_id",
        (
            "hearing",
            "hearing__consultation",
            "hearing__consultation__department",
            "author",
        ),
    ),
    "suggestion": Kind(
        "suggestion",
        _("Suggestion"),
        Suggestion,
        None,
        None,
        ("area", "topic", "author"),
    ),
}
BY_MODEL = {kind.model: kind for kind in KINDS.values()}


def by_content_type() -> dict[int, Kind]:
    """Every kind by its content type's id (one query the first time in a
    process, none after: Django caches content types)."""
    types = ContentType.objects.get_for_models(*BY_MODEL)
    return {types[model].pk: kind for model, kind in BY_MODEL.items()}


def kind_of(content) -> Kind:
    return BY_MODEL[type(content)]


def is_content(obj) -> bool:
    return type(obj) in BY_MODEL


def consultation_of(content):
    """The consultation the content belongs to (None for a suggestion)."""
    if isinstance(content, Comment):
        return content.consultation
    if isinstance(content, Testimony | LiveQuestion):
        return content.hearing.consultation
    return None


def department_id(content) -> int | None:
    consultation = consultation_of(content)
    return consultation.department_id if consultation is not None else None


def public_url(content) -> str:
    """Where the content is shown (its thread, hearing or suggestion)."""
    if isinstance(content, Comment):
        return content.get_absolute_url()
    if isinstance(content, Testimony):
        return f"{content.hearing.get_absolute_url()}#testimony-{content.pk}"
    if isinstance(content, LiveQuestion):
        live = reverse("hearings:live", args=[content.hearing_id])
        return f"{live}#question-{content.pk}"
    return content.get_absolute_url()


def load(kind_key: str, pk: int):
    """The content of kind ``kind_key`` with primary key ``pk``, or None."""
    kind = KINDS.get(kind_key)
    if kind is None:
        return None
    return kind.model.objects.select_related(*kind.related).filter(pk=pk).first()


def locked(content):
    """``content`` again, locked for this transaction, with its relations."""
    kind = kind_of(content)
    return (
        kind.model.objects.select_for_update(of=("self",))
        .select_related(*kind.related)
        .get(pk=content.pk)
    )


def snapshot(content) -> dict:
    """What the content was when a decision was taken."""
    data = {
        "kind": kind_of(content).key,
        "body": content.body,
        "status": content.status,
        "hidden_reason": content.hidden_reason,
        "author_id": content.author_id,
        "created_at": content.created_at.isoformat(),
    }
    if isinstance(content, Comment):
        data.update(
            consultation_id=content.consultation_id, parent_id=content.parent_id
        )
    elif isinstance(content, Testimony | LiveQuestion):
        data["hearing_id"] = content.hearing_id
    else:
        data["title"] = content.title
    return data
