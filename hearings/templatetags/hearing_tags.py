from django import template

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss, for the speaker countdown."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
