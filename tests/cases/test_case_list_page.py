"""The case list shows plain lines and hand-written filter fields (for speed, see
`cases.selectors.case_list_rows`): they must show exactly what the models and Django's form
renderer show."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from cases.forms import CaseFilterForm
from cases.models import Case, CaseKind, CaseStatus
from mediation.roles import Role
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def various_cases(personas, kind):
    """Cases with every kind of line: each status, both kinds, a lead mediator with and without
    a name, no lead mediator, and a title that must be escaped."""
    nameless = UserFactory(username="nameless", first_name="", last_name="", roles=[Role.MEDIATOR])
    leads = [personas.mediator, nameless, None]
    cases = []
    for number, status in enumerate(CaseStatus):
        lead = leads[number % len(leads)]
        cases.append(
            CaseFactory(
                referred_by=personas.coordinator,
                mediators=[lead] if lead else [],
                kind=kind if number % 2 else CaseKind.objects.get(code="inter_group"),
                status=status,
                referred_on=date(2026, 3 + number, 5 + number),
                title=f"<b>\"Ruzie\" & 'co'</b> {number}" if number == 0 else f"Zaak {number}",
            )
        )
    return cases


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_line_shows_what_the_case_itself_shows(client, personas, various_cases, language):
    client.force_login(personas.supervisor)

    response = client.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE=language)

    rows = {row.id: row for row in response.context["page"].rows}
    assert set(rows) == {case.pk for case in various_cases}
    with translation.override(language):
        for case in Case.objects.filter(pk__in=rows).select_related("kind", "lead_mediator"):
            row = rows[case.pk]
            lead = case.lead_mediator
            assert row.url == reverse("cases:detail", args=[case.pk])
            assert row.reference == case.reference
            assert row.title == case.title
            assert row.kind == str(case.kind)
            assert row.status == case.status
            assert row.status_label == case.get_status_display()
            assert row.referred_on == date_format(case.referred_on, "j M Y")
            assert row.lead_mediator == (
                (lead.get_full_name() or lead.get_username()) if lead else ""
            )


def test_the_lines_are_escaped_linked_and_badged_as_elsewhere(client, personas, various_cases):
    client.force_login(personas.supervisor)

    page = client.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<b>" not in page
    assert "&lt;b&gt;&quot;Ruzie&quot; &amp; &#x27;co&#x27;&lt;/b&gt; 0" in page
    assert page.count('<span class="muted">not yet assigned</span>') == 2
    with translation.override("en"):
        for case in various_cases:
            link = f'<a href="{reverse("cases:detail", args=[case.pk])}">{case.reference}</a>'
            assertInHTML(link, page)
            # The list writes out the badge partial: both must stay the same.
            assertInHTML(
                render_to_string("cases/partials/_status_badge.html", {"case": case}), page
            )


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": "", "status": "", "kind": ""},
        {"q": "  MED-2026 ", "page": "2"},
        {"q": "<b>\"buren\" & 'co'</b>"},
        {"status": CaseStatus.CLOSED},
        {"kind": "citizen_government", "status": CaseStatus.FOLLOW_UP, "q": "park"},
    ],
)
def test_the_written_out_filters_match_djangos_form_rendering(kind, data, language):
    with translation.override(language):
        form = CaseFilterForm(data)
        assert not form.errors

        written_out = render_to_string("cases/partials/_case_filters.html", {"form": form})
        by_django = render_to_string("partials/_form_fields.html", {"form": form})

    assertHTMLEqual(written_out, by_django)


def test_filters_with_errors_are_shown_by_djangos_form_rendering(client, personas, various_cases):
    client.force_login(personas.supervisor)

    response = client.get(reverse("cases:list"), {"status": "bogus"}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_status_error"' in page
    assert "Select a valid choice. bogus is not one of the available choices." in page
    # The filters do not apply, as before: every case is listed.
    assert len(response.context["page"].rows) == len(various_cases)
