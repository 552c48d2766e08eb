"""The languages a party may speak or need an interpreter for: every ISO 639-1 language plus the
ones municipalities meet that have no two-letter code, named by CLDR (Babel) in the interface
language and sorted by that name. Stored values are language codes.
"""

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Languages without an ISO 639-1 code that Dutch municipalities meet, with the CLDR locale that
# names them: Dari (CLDR names it as Persian of Afghanistan), Tamazight (Moroccan standard and
# Central Atlas), Tarifit, Papiamento, Sranan Tongo, Sorani Kurdish.
EXTRA_LANGUAGES = {
    "prs": "fa_AF",
    "zgh": "zgh",
    "tzm": "tzm",
    "rif": "rif",
    "pap": "pap",
    "srn": "srn",
    "ckb": "ckb",
}
_DJANGO_CODES = frozenset(code for code, _name in global_settings.LANGUAGES)
INVALID_LANGUAGE = _("Choose a language from the list.")


def _cldr_code(code: str) -> str:
    return EXTRA_LANGUAGES.get(code, code.replace("-", "_"))


@cache
def _names(locale: str) -> dict[str, str]:
    """Code -> name in `locale` for every language in the list."""
    try:
        cldr = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        cldr = Locale.parse("nl")
    english = Locale.parse("en")
    names: dict[str, str] = {}
    codes = [
        code
        for code in english.languages
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
    ]
    for code in [*codes, *EXTRA_LANGUAGES]:
        name = cldr.languages.get(_cldr_code(code)) or english.languages.get(_cldr_code(code))
        if name:
            names[code] = name[:1].upper() + name[1:]
    return names


def _sort_key(name: str) -> str:
    """Sort as a reader expects: accents and case do not change the order (Ĳ, É, Ö)."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _interface_locale() -> str:
    return (get_language() or "nl").split("-")[0]


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for every language, sorted by name in the interface language."""
    names = _names(_interface_locale())
    return sorted(names.items(), key=lambda item: _sort_key(item[1]))


def language_name(code: str) -> str:
    """The language's name in the interface language; a code outside the list (recorded before
    the list changed, e.g. "pt-br") is named by CLDR when it can, else shown as it is."""
    if not code:
        return ""
    name = _names(_interface_locale()).get(code)
    if name:
        return name
    try:
        return Locale.parse(_cldr_code(code)).get_display_name(_interface_locale()) or code
    except (UnknownLocaleError, ValueError):
        return code


def is_known_language(code: str) -> bool:
    """In the list, or one of Django's language codes that the list before it offered (so a
    value recorded then stays valid)."""
    return code in _names("en") or code in _DJANGO_CODES


def validate_language(code: str) -> None:
    """Model validator: a language code from the list."""
    if code and not is_known_language(code):
        raise ValidationError(INVALID_LANGUAGE, code="invalid_language")
