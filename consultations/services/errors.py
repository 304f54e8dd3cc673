from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "require"]


def require(user, permission: str, obj, message: str) -> None:
    """Re-check a permission inside a service; refuse with ``message``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(message)
