"""Each scope guards its calls, and each client sees only the referrals it made."""

import pytest

from api.models import ApiScope
from cases.models import Case
from tests.api.conftest import REFERRALS, link, referral_body, referral_url

pytestmark = pytest.mark.django_db


def test_a_client_without_referrals_write_gets_403_and_nothing_is_made(make_caller, kind):
    reader = make_caller(scopes=[ApiScope.CASES_READ])

    response = reader.post(REFERRALS, referral_body(kind))

    assert response.status_code == 403
    assert "referrals:write" in response.json()["detail"]
    assert not Case.objects.exists()


def test_a_client_without_cases_read_gets_403_on_the_list_and_on_its_own_referral(
    make_caller, kind
):
    writer = make_caller(scopes=[ApiScope.REFERRALS_WRITE])
    made = writer.post(REFERRALS, referral_body(kind))

    assert made.status_code == 201
    for path in (REFERRALS, referral_url(made.json()["id"])):
        response = writer.get(path)
        assert response.status_code == 403
        assert "cases:read" in response.json()["detail"]


def test_a_client_without_scopes_may_do_nothing(make_caller, kind):
    idle = make_caller(scopes=[])

    assert idle.get(REFERRALS).status_code == 403
    assert idle.post(REFERRALS, referral_body(kind)).status_code == 403


def test_another_municipalitys_client_gets_404_and_an_empty_list(caller, elsewhere, kind):
    case_id = caller.post(REFERRALS, referral_body(kind)).json()["id"]

    assert elsewhere.get(referral_url(case_id)).status_code == 404
    assert elsewhere.get(REFERRALS).json()["results"] == []
    assert caller.get(referral_url(case_id)).status_code == 200


def test_a_second_client_of_the_same_coordinator_sees_only_its_own(make_caller, kind):
    first = make_caller(name="Zaaksysteem")
    second = make_caller(name="Meldingensysteem")
    one = first.post(REFERRALS, referral_body(kind)).json()["id"]
    two = second.post(REFERRALS, referral_body(kind)).json()["id"]

    assert second.get(referral_url(one)).status_code == 404
    assert first.get(referral_url(two)).status_code == 404
    assert [r["id"] for r in first.get(REFERRALS).json()["results"]] == [one]
    assert [r["id"] for r in second.get(REFERRALS).json()["results"]] == [two]


def test_a_form_referral_of_the_same_coordinator_is_not_the_clients(caller, refer):
    case = refer()  # by the coordinator the client acts as, in the web interface

    assert caller.get(referral_url(case.pk)).status_code == 404
    assert caller.get(REFERRALS).json()["results"] == []


def test_a_referral_its_coordinator_can_no_longer_see_is_gone(caller, refer, personas):
    case = refer()
    link(case, caller)
    case.caseuserobjectpermission_set.filter(user=personas.coordinator).delete()

    assert caller.get(referral_url(case.pk)).status_code == 404


@pytest.mark.parametrize("case_id", ["999999", "0", "abc", "1.5", "-1"])
def test_an_unknown_referral_is_a_404_in_json(caller, case_id):
    response = caller.get(f"{REFERRALS}{case_id}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
