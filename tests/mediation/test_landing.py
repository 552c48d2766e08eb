import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECTIONS = {
    "coordinator": ["Your referrals"],
    "mediator": ["Your cases", "Upcoming sessions"],
    "supervisor": ["New referrals to assign", "Caseload per mediator"],
}
ALL_SECTIONS = {title for titles in SECTIONS.values() for title in titles}


@pytest.mark.parametrize("persona", ["coordinator", "mediator", "supervisor"])
def test_each_role_sees_only_its_own_work_on_the_overview(client, personas, persona):
    client.force_login(getattr(personas, persona))

    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for title in SECTIONS[persona]:
        assert f">{title}</h2>" in content
    for title in ALL_SECTIONS - set(SECTIONS[persona]):
        assert f">{title}</h2>" not in content
    assert "No role yet" not in content


def test_overview_shows_empty_states_in_dutch(client, personas):
    client.force_login(personas.mediator)

    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Er zijn nog geen zaken aan u toegewezen." in content
    assert "Er staan de komende zeven dagen geen gesprekken gepland." in content


def test_user_without_a_role_is_told_to_ask_for_one(client):
    client.force_login(UserFactory(username="newcomer"))

    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No role yet" in content
    assert not any(f">{title}</h2>" in content for title in ALL_SECTIONS)
    assert reverse("admin:index") not in content


def test_superuser_without_a_role_gets_a_link_to_the_administration(client):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert reverse("admin:index") in content


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("supervisor", True), ("mediator", False), ("coordinator", False), ("outsider", False)],
)
def test_only_supervisors_get_the_audit_trail_in_the_navigation(client, personas, persona, shown):
    client.force_login(getattr(personas, persona))

    content = client.get(reverse("home")).content.decode()

    assert (f'href="{reverse("audit:trail")}"' in content) is shown


@pytest.mark.parametrize(("lang", "heading"), [("en", "Accessibility statement")])
def test_the_accessibility_statement_is_open_to_everyone_and_says_how_to_report(
    client, settings, lang, heading
):
    settings.TAFEL_ACCESSIBILITY_CONTACT = "toegankelijkheid@gemeente.example"

    content = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()

    assert f"<h1>{heading}</h1>" in content
    assert "WCAG" in content and "mailto:toegankelijkheid@gemeente.example" in content
    assert reverse("accessibility") in client.get(reverse("login")).content.decode()
