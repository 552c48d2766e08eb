"""Finding the same person or organisation under a slightly different name.

Used for duplicate suggestions when adding a party and for the conflict-of-interest check
("J. de Vries" is "Jan de Vries"; "Stichting Buurtkracht" is "Stichting BuurtKracht Noord").
"""

import re
import unicodedata
from difflib import SequenceMatcher

_NOT_WORD = re.compile(r"[^\w]+")
# Dutch name particles (tussenvoegsels): "J. de Vries" and "Jan Vries" are not the same surname
# test, but the particles themselves carry no identity.
_PARTICLES = {"de", "den", "der", "van", "het", "ten", "ter", "te", "op", "in", "t", "vd"}
SIMILARITY_THRESHOLD = 0.88


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces ("Zoë d'Hondt" -> "zoe d hondt")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


def normalise_email(email: str) -> str:
    return (email or "").strip().casefold()


def _core(tokens: list[str]) -> list[str]:
    return [token for token in tokens if token not in _PARTICLES]


def names_match(first: str, second: str) -> bool:
    """True when two names (normalised or not) probably name the same person or organisation."""
    a, b = normalise(first), normalise(second)
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = _core(a.split()), _core(b.split())
    if not ta or not tb:
        return False
    # Same surname, and the given names agree where both are written (initials allowed).
    if len(ta) >= 2 and len(tb) >= 2 and ta[-1] == tb[-1]:
        given_a, given_b = ta[:-1], tb[:-1]
        if all(x.startswith(y) or y.startswith(x) for x, y in zip(given_a, given_b, strict=False)):
            return True
    # One name holds every word of the other: "stichting buurtkracht" in "... buurtkracht noord".
    shorter, longer = sorted((set(ta), set(tb)), key=len)
    if len(shorter) >= 2 and shorter <= longer:
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILARITY_THRESHOLD


def search_key(name: str) -> str:
    """The longest word of the name: a cheap database prefilter before `names_match`."""
    words = _core(normalise(name).split()) or normalise(name).split()
    return max(words, key=len) if words else ""
