"""The case as a zaak: a referral from a configured municipality reaches its Zaken API (the
fake one, a real HTTP server on localhost) as a zaak with its rol and statuses, and closing
adds the resultaat, the final status and the archiving fields. Status and outcome only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.services import case_transition
from dossier.rules import add_years
from mediation.models import HttpDelivery, OutboxStatus
from tests.cases.agreement_helpers import review_all
from tests.zgw.conftest import ROLTYPE, SECRET, ZAAKTYPE, deliver, resultaattype, statustype
from zgw.models import ZaakLink
from zgw.services import configuration_secret_set

pytestmark = pytest.mark.django_db


def statustypes(zaken) -> list[str]:
    return [call.body["statustype"].rsplit("/", 1)[-1] for call in zaken.of("/statussen")]


def test_a_referral_from_a_configured_municipality_becomes_a_zaak_with_rol_and_status(
    configuration, refer, zaken
):
    case = refer()

    report = deliver()

    assert (report.sent, report.failed, zaken.refused) == (3, 0, [])
    assert zaken.paths() == ["POST /zaken", "POST /rollen", "POST /statussen"]
    zaak = zaken.of("/zaken")[0].body
    assert zaak == {
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "zaaktype": ZAAKTYPE,
        "omschrijving": f"Mediation {case.reference}",
        "registratiedatum": timezone.localdate().isoformat(),
        "startdatum": case.referred_on.isoformat(),
        "vertrouwelijkheidaanduiding": "vertrouwelijk",
        "archiefnominatie": "vernietigen",
    }
    link = ZaakLink.objects.get(case=case)
    zaak_url = next(iter(zaken.zaken))
    assert link.zaak_url == zaak_url and link.registered_at is not None
    rol = zaken.of("/rollen")[0].body
    assert rol["zaak"] == zaak_url and rol["roltype"] == ROLTYPE
    assert rol["betrokkeneType"] == "niet_natuurlijk_persoon"
    assert rol["betrokkeneIdentificatie"] == {"statutaireNaam": "Gemeente Utrecht"}
    status = zaken.of("/statussen")[0].body
    assert status["zaak"] == zaak_url and status["statustype"] == statustype("referred")
    # The ZGW JWT, with the claims of ZGW's auth spec.
    claims = zaken.received[0].claims
    assert claims["client_id"] == claims["iss"] == "tafel-test"
    assert claims["user_id"] and claims["user_representation"]


def test_each_step_adds_a_status_and_closing_adds_resultaat_and_archive_then_final_status(
    configuration, in_follow_up, personas, zaken
):
    case = in_follow_up
    deliver()
    # The agreement state is set directly by the test helper (not through a step): no status.
    assert statustypes(zaken) == ["referred", "intake", "sessions", "follow_up"]

    review_all(case, personas.mediator)
    case = case_transition(
        case=case, name="close", actor=personas.mediator, reason="Af.", outcome="full_agreement"
    )
    deliver()

    assert zaken.paths()[-3:] == ["POST /resultaten", "PATCH /zaken/{uuid}", "POST /statussen"]
    assert zaken.of("/resultaten")[0].body["resultaattype"] == resultaattype("full_agreement")
    assert statustypes(zaken)[-1] == "closed"
    archive = zaken.of("/zaken/{uuid}")[0]
    assert archive.url == ZaakLink.objects.get(case=case).zaak_url
    # The archive action date is the retention rule's: five years after the end.
    assert archive.body == {
        "archiefnominatie": "vernietigen",
        "archiefactiedatum": add_years(case.ended_on, 5).isoformat(),
    }
    assert zaken.refused == []


def test_a_declined_referral_gets_its_resultaat_and_final_status(
    configuration, refer, personas, zaken
):
    case = refer()
    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Geen zaak.")

    deliver()

    assert statustypes(zaken) == ["referred", "closed"]
    assert zaken.of("/resultaten")[0].body["resultaattype"] == resultaattype("declined")
    assert zaken.refused == []


def test_a_reopened_case_loses_its_resultaat_and_gets_a_new_one_when_it_closes_again(
    configuration, in_sessions, personas, zaken
):
    case = case_transition(
        case=in_sessions, name="withdraw", actor=personas.mediator, reason="Teruggetrokken."
    )
    deliver()
    case = case_transition(case=case, name="reopen", actor=personas.supervisor, reason="Terug.")
    deliver()
    case = case_transition(
        case=case, name="end_without_agreement", actor=personas.mediator, reason="Niet gelukt."
    )

    deliver()

    assert zaken.refused == []
    assert "DELETE /resultaten/{uuid}" in zaken.paths()
    assert [call.body["resultaattype"] for call in zaken.of("/resultaten")] == [
        resultaattype("withdrawn"),
        resultaattype("no_agreement"),
    ]
    assert statustypes(zaken)[-3:] == ["closed", "sessions", "closed"]
    archives = [call.body["archiefactiedatum"] for call in zaken.of("/zaken/{uuid}")]
    assert archives[1] is None and archives[2] is not None


def test_a_municipality_without_configuration_sends_nothing(configuration, refer, personas):
    case = refer(referring_organisation="Gemeente Amersfoort")
    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Geen zaak.")

    assert not HttpDelivery.objects.exists()
    assert not ZaakLink.objects.filter(case=case).exists()


def test_a_configuration_turned_off_sends_nothing_more(configuration, refer, personas, zaken):
    case = refer()
    deliver()
    configuration.active = False
    configuration.save()

    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Geen zaak.")
    refer()
    deliver()

    assert zaken.paths() == ["POST /zaken", "POST /rollen", "POST /statussen"]


def test_the_organisation_is_matched_ignoring_case_and_spaces(configuration, refer, zaken):
    refer(referring_organisation="  gemeente UTRECHT ")
    deliver()
    assert zaken.paths()[0] == "POST /zaken"


def test_a_zaken_api_that_is_down_gets_every_call_later_in_order(configuration, in_sessions, zaken):
    # Refused connections first.
    zaken.stop()
    report = deliver()
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    first = HttpDelivery.objects.order_by("id").first()
    assert first is not None
    assert (first.attempts, first.last_error, first.status) == (1, "ConnectionError", "pending")
    # The calls behind it in the group wait: nothing was tried out of order.
    assert (
        list(HttpDelivery.objects.filter(attempts=0).values_list("status", flat=True))
        == [OutboxStatus.PENDING] * 4
    )
    # Back, but overloaded: 503 for a while.
    zaken.start()
    zaken.answer_with = 503
    report = deliver(after=timedelta(hours=1))
    assert (report.sent, report.retried) == (0, 1)
    first.refresh_from_db()
    assert (first.attempts, first.last_error, first.response_status) == (2, "HTTP 503", 503)
    assert zaken.received == []

    zaken.answer_with = None
    report = deliver(after=timedelta(hours=2))

    assert (report.sent, report.failed) == (5, 0)
    assert zaken.paths() == ["POST /zaken", "POST /rollen"] + ["POST /statussen"] * 3
    assert statustypes(zaken) == ["referred", "intake", "sessions"]
    assert set(HttpDelivery.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_call_not_delivered_in_time_waits_for_its_backoff(configuration, refer, zaken):
    refer()
    zaken.stop()
    deliver()
    zaken.start()

    assert deliver().handled == 0  # 30 seconds have not passed
    assert deliver(after=timedelta(seconds=31)).sent == 3


def test_a_wrong_secret_is_refused_and_tried_again_once_it_is_put_right(
    configuration, refer, zaken
):
    configuration_secret_set(
        configuration=configuration, secret="not-the-secret-of-the-fake-zaken-api-at-all"
    )
    configuration.save()
    refer()

    report = deliver()

    assert (report.sent, report.retried) == (0, 1)
    assert zaken.refused[0][2] == 403
    configuration_secret_set(configuration=configuration, secret=SECRET)
    configuration.save()
    assert deliver(after=timedelta(minutes=1)).sent == 3


def test_calls_of_a_zaak_that_failed_for_good_fail_without_being_made(configuration, refer, zaken):
    # Not a confidentiality the schema knows: the Zaken API refuses the body (400).
    configuration.vertrouwelijkheidaanduiding = "geheimzinnig"
    configuration.save()
    refer()

    report = deliver()

    assert (report.sent, report.failed) == (0, 3)
    errors = list(HttpDelivery.objects.order_by("id").values_list("last_error", flat=True))
    assert errors == ["HTTP 400", "cannot-prepare no-zaak", "cannot-prepare no-zaak"]
    assert zaken.received == []


def test_a_claim_left_by_a_worker_that_died_is_taken_over(configuration, refer, zaken):
    refer()
    HttpDelivery.objects.filter(purpose="zgw.zaak").update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now()
    )
    assert deliver().handled == 0

    assert deliver(after=timedelta(minutes=11)).sent == 3
    assert zaken.paths()[0] == "POST /zaken"
