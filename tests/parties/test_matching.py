"""Recognising the same person or organisation under a slightly different name."""

import pytest

from parties.matching import names_match, normalise, search_key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("J. de Vries", "Jan de Vries"),
        ("Jan de Vries", "J. de Vries"),
        ("jan DE vries", "Jan de Vries"),
        ("Stichting Buurtkracht", "Stichting BuurtKracht Noord"),
        ("Zoë d\u2019Hondt", "Zoe d'Hondt"),
        ("Gemeente Utrecht", "Gemeente  Utrecht."),
    ],
)
def test_these_names_match(first, second):
    assert names_match(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Piet de Vries", "J. de Vries"),
        ("Piet de Vries", "Jan de Vries"),
        ("Jan de Vries", "Jan Jansen"),
        ("Stichting Buurtkracht", "Stichting Wijkbelang"),
        ("", "Jan de Vries"),
        ("   ", "   "),
    ],
)
def test_these_names_do_not_match(first, second):
    assert not names_match(first, second)


def test_normalise_drops_case_accents_and_punctuation():
    assert normalise("Zoë  d\u2019Hondt-Li") == "zoe d hondt li"


def test_the_search_key_is_the_longest_word_that_is_not_a_particle():
    assert search_key("Jan van der Buurtkracht") == "buurtkracht"
    assert search_key("van der") == "van"
    assert search_key("") == ""
