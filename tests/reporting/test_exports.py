"""The report's CSV downloads (suppressed, formula-safe, audited) and the annual overview."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.reporting.figures import make_case, other_coordinators_cases, planted_cases

pytestmark = pytest.mark.django_db

EN = {"headers": {"accept-language": "en"}}


@pytest.fixture
def planted(personas):
    cases = planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()
    return cases


def download(client, **query):
    response = client.get(reverse("reporting:export_csv"), query, **EN)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_table_downloads_with_the_same_suppression(client, personas, planted):
    client.force_login(personas.coordinator)
    assert download(client, table="outcome") == [
        ["Outcome", "Number"],
        ["Full agreement", "6"],
        ["Partial agreement", "< 5"],
        ["No agreement", "< 5"],
        ["Withdrawn", "0"],
        ["Declined", "0"],
        ["Referred elsewhere", "0"],
        ["Total", "12"],
    ]
    assert download(client, table="follow_up")[1:] == [
        ["Done", "5"],
        ["Partly done", "< 5"],
        ["Not done", "< 5"],
        ["Total", "10"],
    ]
    for table in ("kind", "status", "organisation"):
        assert download(client, table=table)[-1] == ["Total", "16"]


def test_the_download_takes_the_pages_filters(client, personas, planted):
    client.force_login(personas.supervisor)
    rows = download(client, table="organisation", organisation="Gemeente Zeist")
    assert rows[1:] == [["Gemeente Zeist", "5"], ["Total", "5"]]


def test_a_cell_that_starts_like_a_formula_is_made_harmless(client, personas):
    for _ in range(5):
        make_case(personas.coordinator, referring_organisation="=HYPERLINK(1)")
    client.force_login(personas.coordinator)
    assert download(client, table="organisation")[1] == ["'=HYPERLINK(1)", "5"]


def test_each_download_is_an_audit_event_without_figures(client, personas, planted):
    client.force_login(personas.coordinator)
    download(client, table="kind", start="2026-01-01", end="2026-06-30")
    event = AuditEvent.objects.get(action=AuditAction.REPORT_EXPORTED)
    assert event.actor == personas.coordinator
    assert event.details == {
        "table": "kind",
        "start": "2026-01-01",
        "end": "2026-06-30",
        "kind": "",
        "organisation": "",
    }


@pytest.mark.parametrize("query", [{"table": "nonsense"}, {}, {"table": "kind", "end": "x"}])
def test_a_bad_download_is_a_400_and_not_audited(client, personas, query):
    client.force_login(personas.coordinator)
    response = client.get(reverse("reporting:export_csv"), query, **EN)
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.REPORT_EXPORTED).exists()


def test_the_annual_overview_tells_the_year_in_sentences(client, personas, planted):
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("reporting:annual"), {"year": "2026", "organisation": "Gemeente Utrecht"}, **EN
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mediation in 2026: Gemeente Utrecht" in page
    assert "16 conflicts were referred for mediation." in page
    assert "12 of them have been closed." in page
    assert "ended in full or partial agreement" not in page  # it would give the 1 back
    assert "Half of the cases were closed within 36 days of referral." in page
    assert "7 sessions were held. Together they took 10 hours." in page
    assert "At the follow-up, 50% of the agreed actions had been carried out." in page
    assert "&lt; 5" in page
    assert "export.csv" not in page  # a page for print, without download links
    for case in planted:
        assert case.reference not in page


def test_the_annual_overview_of_another_year_or_organisation(client, personas, planted):
    client.force_login(personas.coordinator)
    response = client.get(reverse("reporting:annual"), {"year": "2025"}, **EN)
    assert response.status_code == 200
    assert "&lt; 5 conflicts were referred for mediation." in response.content.decode()
    for query in ({"year": "twenty"}, {"year": "1999"}, {"organisation": "Gemeente Zeist"}):
        assert client.get(reverse("reporting:annual"), query, **EN).status_code == 400
