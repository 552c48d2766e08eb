"""The referral form names as many parties as the conflict has (issue 15, part 8)."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.cases.test_views import referral

pytestmark = pytest.mark.django_db


def rows(count: int) -> dict:
    data = {"party-TOTAL_FORMS": str(count)}
    for index in range(count):
        data |= {
            f"party-{index}-kind": "person",
            f"party-{index}-name": f"Bewoner {index + 1}",
            f"party-{index}-organisation": "",
            f"party-{index}-email": "",
        }
    return data


def test_add_another_party_keeps_what_was_typed_and_adds_an_empty_row(client, personas, kind):
    client.force_login(personas.coordinator)

    response = client.post(
        reverse("parties:refer"), referral(kind, add_party="1"), HTTP_ACCEPT_LANGUAGE="en"
    )

    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert 'name="party-TOTAL_FORMS" value="4"' in page
    assert 'name="party-3-name"' in page and "Party 4" in page
    assert (
        'value="Bewonersgroep De Hoef"' in page and 'value="Onrust rond de opvanglocatie"' in page
    )
    assert 'value="Team Opvang"' in page
    assert "errorlist" not in page  # adding a row is not sending: nothing is checked yet
    assert 'name="add_party"' in page


def test_a_referral_with_five_parties_is_sent_with_all_five(client, personas, kind):
    client.force_login(personas.coordinator)
    data = referral(kind, **rows(5))
    data = {k: v for k, v in data.items() if not k.startswith("party-") or k in rows(5)}
    data |= {"party-INITIAL_FORMS": "0", "party-MIN_NUM_FORMS": "0", "party-MAX_NUM_FORMS": "12"}

    response = client.post(reverse("parties:refer"), data)

    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.participations.count() == 5


def test_carried_over_empty_rows_may_stay_empty(client, personas, kind):
    client.force_login(personas.coordinator)
    data = referral(kind, **{"party-TOTAL_FORMS": "4", "party-INITIAL_FORMS": "0"})
    data |= {"party-3-kind": "person", "party-3-name": "", "party-3-organisation": ""}
    data |= {"party-3-email": ""}

    response = client.post(reverse("parties:refer"), data)

    assert response.status_code == 302
    assert Case.objects.get().participations.count() == 2


def test_at_twelve_parties_the_form_says_so_and_offers_no_more_rows(client, personas, kind):
    client.force_login(personas.coordinator)

    response = client.post(
        reverse("parties:refer"),
        referral(kind, add_party="1", **rows(12)),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert 'name="party-TOTAL_FORMS" value="12"' in page
    assert "A referral names at most 12 parties." in page
    assert 'name="add_party"' not in page


def test_more_than_twelve_parties_are_refused_with_a_clear_message(client, personas, kind):
    client.force_login(personas.coordinator)

    response = client.post(
        reverse("parties:refer"), referral(kind, **rows(13)), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200 and not Case.objects.exists()
    assert "A referral names at most 12 parties." in response.content.decode()


def test_enter_in_a_field_sends_the_referral_not_adds_a_row(client, personas, kind):
    client.force_login(personas.coordinator)

    page = client.get(reverse("parties:refer"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    form = page.split('<form method="post"', 1)[1]
    first_submit = form.split('type="submit"', 1)[1].split(">", 1)[0]
    assert 'name="add_party"' not in first_submit
    assert 'name="party-TOTAL_FORMS" value="3"' in page
