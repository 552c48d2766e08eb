"""Validators for text that people type: names, titles and free text."""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Characters that reorder text on screen (bidirectional overrides and isolates): they can make
# a name look like another. Right-to-left scripts themselves are welcome.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _refused(text: str, allowed: set[str]) -> bool:
    return any(
        (unicodedata.category(char) == "Cc" and char not in allowed) or char in _BIDI_CONTROLS
        for char in text
    )


def validate_single_line(value: str) -> None:
    """Refuse line breaks, tabs and other control characters in names and titles."""
    if _refused(value, allowed=set()):
        raise ValidationError(
            _("Use one line of ordinary text: line breaks and control characters are not allowed."),
            code="control_characters",
        )


def validate_free_text(value: str) -> None:
    """Allow line breaks and tabs in longer text, refuse other control characters."""
    if _refused(value, allowed={"\n", "\r", "\t"}):
        raise ValidationError(
            _("The text holds control characters that cannot be stored. Remove them."),
            code="control_characters",
        )


NOT_IN_FUTURE = _("The date cannot be in the future.")


def date_not_in_future(value: date, *, field: str | None = None) -> None:
    """Refuse a date after today (Europe/Amsterdam): something recorded cannot happen later.

    With `field`, the error belongs to that field of the form that sent it.
    """
    if value > timezone.localdate():
        raise ValidationError({field: NOT_IN_FUTURE} if field else NOT_IN_FUTURE, code="future")


EMAIL_ONE_LINE = _(
    "An email address is one line: remove the line break from it. (A line break in an "
    "address could add other recipients to a message.)"
)


def validate_email_one_line(value: str) -> None:
    """Refuse an email address that holds a line break or another control character.

    Stored, such an address would break every message to it (and could smuggle in headers):
    it is refused where it is stored (users, parties), as well as by Django's own check.
    """
    if _refused(str(value), allowed=set()):
        raise ValidationError(EMAIL_ONE_LINE, code="email_line_break")


def validate_email_address(value: str) -> None:
    """An email address on one line, and well-formed (Django's `validate_email`)."""
    validate_email_one_line(value)
    validate_email(value)
