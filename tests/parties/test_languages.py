"""The language lists: CLDR names in the interface language, sorted, covering the languages
municipalities meet; stored as codes and validated (issue 15, part 7)."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from parties.languages import language_choices, language_name, validate_language
from parties.models import Party
from tests.parties.conftest import add_data

pytestmark = pytest.mark.django_db
MET_BY_MUNICIPALITIES = ["ti", "so", "prs", "ps", "zgh", "tzm", "uk", "pl", "tr", "ar"]


def sort_key(name: str) -> str:
    """A reader's order: Māori between Manx and Marathi, Oekraïens where Oekraiens would be."""
    decomposed = unicodedata.normalize("NFD", name.casefold())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_list_is_sorted_by_name_in_the_interface_language(language):
    with translation.override(language):
        names = [name for _code, name in language_choices()]

    assert names == sorted(names, key=sort_key)
    assert len(names) > 180  # every ISO 639-1 language, and more


def test_the_names_follow_the_interface_language():
    with translation.override("nl"):
        dutch = dict(language_choices())
    with translation.override("en"):
        english = dict(language_choices())

    assert (dutch["uk"], english["uk"]) == ("Oekraïens", "Ukrainian")
    assert (dutch["de"], english["de"]) == ("Duits", "German")
    assert english["prs"] == "Dari" and english["ti"] == "Tigrinya"
    with translation.override("nl"):
        assert language_name("tr") == "Turks"


def test_the_languages_municipalities_meet_are_all_there():
    codes = dict(language_choices())

    for code in MET_BY_MUNICIPALITIES:
        assert code in codes, code


def test_a_code_outside_the_list_is_refused_and_an_earlier_django_code_stays_valid():
    with pytest.raises(ValidationError):
        validate_language("xx")
    with pytest.raises(ValidationError):
        validate_language("klingon")
    validate_language("pt-br")  # recorded before the list came from CLDR
    validate_language("ti")
    validate_language("")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_add_form_offers_the_sorted_list_in_the_interface_language(
    client, personas, case, language
):
    client.force_login(personas.mediator)

    page = client.get(reverse("parties:add", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language)

    select = page.content.decode().split('name="interpreter_language"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options[0][0] == ""  # no interpreter needed
    names = [name for _code, name in options[1:]]
    assert names == sorted(names, key=sort_key)
    assert {"ti", "so", "ps", "prs", "tzm"} <= {code for code, _name in options}


def test_a_party_with_an_interpreter_for_tigrinya_is_stored_by_code(client, personas, case):
    client.force_login(personas.mediator)

    client.post(
        reverse("parties:add", args=[case.pk]),
        add_data(interpreter_language="ti", preferred_language="so"),
    )

    party = Party.objects.get(name="Fatima el Amrani")
    assert (party.interpreter_language, party.preferred_language) == ("ti", "so")


def test_a_made_up_language_is_refused_by_the_form(client, personas, case):
    client.force_login(personas.mediator)

    response = client.post(
        reverse("parties:add", args=[case.pk]),
        add_data(interpreter_language="xx"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert not Party.objects.filter(name="Fatima el Amrani").exists()
