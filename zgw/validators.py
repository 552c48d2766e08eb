"""Checks of the configuration's values."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RSIN_INVALID = _("An RSIN has 9 digits and passes the eleven test (elfproef).")


def rsin_valid(value: str) -> bool:
    """Whether `value` is an RSIN: 9 digits whose weighted sum (9..2, and -1 for the last
    digit) is a multiple of 11, the same test as a BSN's."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    digits = [int(digit) for digit in value]
    total = sum(digit * weight for digit, weight in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= digits[8]
    return total % 11 == 0 and value != "000000000"


def validate_rsin(value: str) -> None:
    if not rsin_valid(value):
        raise ValidationError(RSIN_INVALID, code="rsin")
