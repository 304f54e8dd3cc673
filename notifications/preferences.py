"""Which notifications a resident wants, and how: per kind of event, here
and by mail at once, here and in a daily or weekly digest, here only, or
not at all. A kind without a stored choice uses its default."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from notifications.models import Notification, Preference

Kind = Notification.Kind
Channel = Preference.Channel

# Everything about what the resident did or registered for is mailed at
# once; news from what they follow (possibly many a day) goes in a digest.
DEFAULTS: dict[str, str] = dict.fromkeys(Kind.values, Channel.IMMEDIATE)
DEFAULTS[Kind.NEW_CONSULTATION] = Channel.DAILY

# Decisions about the resident's own content, account or place at a
# hearing are always shown on the site; only their mail can be turned off.
ESSENTIAL = frozenset(
    {
        Kind.CONTENT_HIDDEN,
        Kind.CONTENT_RESTORED,
        Kind.EDIT_REQUESTED,
        Kind.SANCTIONED,
        Kind.APPEAL_DECIDED,
        Kind.HEARING_REGISTERED,
        Kind.HEARING_WAITING,
        Kind.HEARING_PROMOTED,
        Kind.HEARING_SPEAKER,
        Kind.HEARING_CHANGED,
    }
)

# The preferences page, grouped as a resident thinks of them.
GROUPS = [
    (
        _("What you wrote"),
        [Kind.REPLY, Kind.OFFICIAL_REPLY, Kind.OUTCOME, Kind.DEMAND_UPDATE],
    ),
    (
        _("What you follow"),
        [Kind.NEW_CONSULTATION, Kind.EXTENDED, Kind.CLOSED],
    ),
    (
        _("Public hearings"),
        [
            Kind.HEARING_REGISTERED,
            Kind.HEARING_WAITING,
            Kind.HEARING_PROMOTED,
            Kind.HEARING_SPEAKER,
            Kind.HEARING_REMINDER,
            Kind.HEARING_CHANGED,
            Kind.HEARING_RECORD,
        ],
    ),
    (
        _("Moderation"),
        [
            Kind.CONTENT_HIDDEN,
            Kind.CONTENT_RESTORED,
            Kind.EDIT_REQUESTED,
            Kind.SANCTIONED,
            Kind.APPEAL_DECIDED,
        ],
    ),
]

MAIL_FOR_CHANNEL = {
    Channel.IMMEDIATE: Notification.Mail.IMMEDIATE,
    Channel.DAILY: Notification.Mail.DAILY,
    Channel.WEEKLY: Notification.Mail.WEEKLY,
    Channel.IN_APP: Notification.Mail.NONE,
}


def allowed_channels(kind: str) -> list[str]:
    if kind in ESSENTIAL:
        return [c for c in Channel.values if c != Channel.OFF]
    return list(Channel.values)


def channels_for(*, user_ids, kind: str) -> dict[int, str]:
    """Each resident's channel for ``kind`` (one query for the lot)."""
    chosen = dict(
        Preference.objects.filter(user_id__in=list(user_ids), kind=kind).values_list(
            "user_id", "channel"
        )
    )
    default = DEFAULTS.get(kind, Channel.IMMEDIATE)
    return {uid: chosen.get(uid, default) for uid in user_ids}


def preferences_of(*, user: User) -> dict[str, str]:
    """Every kind's channel for ``user``, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in Kind.values}


@transaction.atomic
def preferences_set(*, user: User, choices: dict[str, str]) -> int:
    """Store ``user``'s channel per kind; refuse what a kind does not allow.
    Return how many kinds changed."""
    current = preferences_of(user=user)
    changed = 0
    for kind, channel in choices.items():
        if kind not in Kind.values or channel not in allowed_channels(kind):
            continue
        if current[kind] == channel:
            continue
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )
        changed += 1
    return changed


@transaction.atomic
def mail_off(*, user: User, kinds: list[str]) -> list[str]:
    """Stop mail of ``kinds`` for ``user`` (notifications stay on the site,
    or stay off if they were off); return the kinds that changed."""
    current = preferences_of(user=user)
    changed = []
    for kind in kinds:
        if current.get(kind) in (Channel.IN_APP, Channel.OFF, None):
            continue
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": Channel.IN_APP}
        )
        changed.append(kind)
    return changed
