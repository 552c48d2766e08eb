"""XSS: a payload typed into every free-text field of a case, a party, a session, a note, the
agreement and the referral is shown escaped on every page that shows it (issue 17, point 9).

The payloads go in through the services, as a user's typing would; the sweep then visits every
page each persona reaches, plus the pages opened by a party's links.
"""

from django.test import Client

from tests.security.conftest import RAW, escaped

PERSONAS = ("mediator", "comediator", "supervisor", "coordinator")


def test_every_planted_payload_is_escaped_on_every_page_of_every_persona(planted, crawl_as):
    shown = set()
    for persona in PERSONAS:
        visits = crawl_as(persona)
        assert len(visits) >= 8, persona
        for visit in visits:
            assert not [raw for raw in RAW if raw in visit.html], (persona, visit.path)
            shown |= {name for name in planted.fields if escaped(name) in visit.html}

    # The sweep saw them: each payload is shown (escaped) on at least one page.
    assert sorted(set(planted.fields) - shown) == []


def test_the_pages_of_a_partys_links_escape_the_payloads(planted):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for name, path in planted.public_paths.items():
        response = client.get(path)

        assert response.status_code == 200, name
        html = response.content.decode()
        assert not [raw for raw in RAW if raw in html], name
        assert "&lt;script&gt;xss(" in html, name
