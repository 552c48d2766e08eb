"""The case page's summary and "On this page" list, and breadcrumbs on the pages below it."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_on_this_page_links_to_every_section_of_the_case_page(client, personas, in_sessions):
    client.force_login(personas.mediator)

    content = client.get(
        reverse("cases:detail", args=[in_sessions.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    toc = content[
        content.index('<nav class="case-toc"') : content.index(
            "</nav>", content.index('<nav class="case-toc"')
        )
    ]
    targets = re.findall(r'href="#([\w-]+)"', toc)
    assert {"facts-heading", "section-participants", "section-sessions", "notes-heading"} <= set(
        targets
    )
    for target in targets:
        assert f'id="{target}"' in content, target


def test_the_case_page_sums_up_reference_status_kind_lead_and_next_step(
    client, personas, in_sessions
):
    client.force_login(personas.mediator)

    content = client.get(
        reverse("cases:detail", args=[in_sessions.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    summary = content[
        content.index('<header class="case-summary">') : content.index(
            "</header>", content.index('<header class="case-summary">')
        )
    ]
    for label in ("Reference", "Status", "Kind", "Lead mediator", "Next step"):
        assert f"<dt>{label}</dt>" in summary
    assert in_sessions.reference in summary


def test_the_coordinator_sees_no_mediators_or_notes_in_the_page_list(client, personas, in_sessions):
    client.force_login(personas.coordinator)

    content = client.get(
        reverse("cases:detail", args=[in_sessions.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert 'href="#notes-heading"' not in content
    assert "<dt>Lead mediator</dt>" not in content


@pytest.mark.parametrize("name", ["cases:assign", "cases:trail", "cases:notes", "parties:add"])
def test_a_page_below_the_case_has_breadcrumbs_ending_on_itself(
    client, personas, in_sessions, name
):
    user = personas.supervisor if name == "cases:assign" else personas.mediator
    client.force_login(user)
    url = reverse(name, args=[in_sessions.pk])

    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    crumbs = content[content.index('<nav class="breadcrumbs" aria-label="Breadcrumb">') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert [*re.findall(r'<a href="([^"]+)"', crumbs)] == [
        "/",
        reverse("cases:list"),
        reverse("cases:detail", args=[in_sessions.pk]),
        url,
    ]
    assert crumbs.count('aria-current="page"') == 1
    assert f'<a href="{url}" aria-current="page">' in crumbs
