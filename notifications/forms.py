"""Forms of the follows and preferences page: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic import selectors as civic_selectors
from civic.models import Area
from notifications import preferences
from notifications.models import FOLLOW_TARGETS, Notification


class FollowForm(forms.Form):
    """Follow or unfollow one thing, named by its type and id."""

    target = forms.ChoiceField(choices=[(t, t) for t in FOLLOW_TARGETS])
    target_id = forms.IntegerField(min_value=1)


class FollowAddForm(forms.Form):
    """Start following a district, topic or department from the page."""

    area = forms.ModelChoiceField(
        label=_("District or county"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Choose a district"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=civic_selectors.topic_list(),
        required=False,
        empty_label=_("Choose a topic"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=civic_selectors.department_list(),
        required=False,
        empty_label=_("Choose a department"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = civic_selectors.area_children(parent=None)

    def clean(self):
        data = super().clean()
        chosen = {k: v for k, v in data.items() if v is not None}
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("Choose one district, topic or department to follow.")
            )
        data["target"] = chosen
        return data


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(preferences.Channel.choices)
        # The kinds residents choose for; others (a moderator's queue
        # alerts) keep their default.
        for kind in (kind for _heading, kinds in preferences.GROUPS for kind in kinds):
            self.fields[kind] = forms.ChoiceField(
                label=Notification.Kind(kind).label,
                choices=[(c, labels[c]) for c in preferences.allowed_channels(kind)],
                initial=current[kind],
            )

    def groups(self):
        """The fields in the page's groups, as (heading, [bound fields])."""
        return [
            (heading, [self[kind] for kind in kinds])
            for heading, kinds in preferences.GROUPS
        ]
