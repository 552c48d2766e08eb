"""Template helpers for sessions: durations and contact hours in words."""

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def minutes_text(minutes: int | str | None) -> str:
    """90 -> "1 h 30 min"; 45 -> "45 min"; 120 -> "2 h" (in the interface language)."""
    try:
        total = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 60)
    if not hours:
        return ngettext("%(minutes)d min", "%(minutes)d min", rest) % {"minutes": rest}
    if not rest:
        return ngettext("%(hours)d h", "%(hours)d h", hours) % {"hours": hours}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
