"""Secrets stay out of output: error pages, `diffsettings` and logs (issue 17).

Django's `SafeExceptionReporterFilter` hides the settings whose names look secret (KEY,
SECRET, PASS, TOKEN...) on the technical error page and in error reports. Tafel adds the
names of its own secrets that the pattern might miss (master keys, the database and cache
addresses, which may hold a password), and `diffsettings` (mediation's override of the
command) prints every setting through the same filter.
"""

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter


class SecretHidingFilter(SafeExceptionReporterFilter):
    """Django's filter, with Tafel's secret settings hidden too (the project's
    DEFAULT_EXCEPTION_REPORTER_FILTER)."""

    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern
        + "|MASTER|DATABASE_URL|CACHE_URL|CREDENTIAL|PRIVATE|DSN",
        flags=re.IGNORECASE,
    )


def cleansed_setting(name: str, value: Any) -> Any:
    """The value of setting `name` as output may show it: secrets replaced by stars."""
    return SecretHidingFilter().cleanse_setting(name, value)
