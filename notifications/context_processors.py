from django.utils.functional import SimpleLazyObject

from notifications import selectors


def unread_notifications(request):
    """The header's unread count, counted only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.unread_count(user=user)
        )
    }
