"""The settings page: each signed-in user chooses their own notices and email language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from mediation.models import NoticeKind, UserSettings, user_settings_for

pytestmark = pytest.mark.django_db

URL = "/accounts/settings/"


def test_the_page_lives_at_its_url_name():
    assert reverse("account_settings") == URL


def test_someone_not_signed_in_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(URL, {"email_language": "en"}).status_code == 302
    assert not UserSettings.objects.exists()


@pytest.mark.parametrize("persona", ["mediator", "coordinator", "supervisor"])
def test_every_role_sees_every_notice_ticked_by_default_in_a_labelled_group(
    client, personas, persona
):
    client.force_login(getattr(personas, persona))

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>\s*Email me when", page)
    for kind in NoticeKind:
        box = re.search(rf'<input type="checkbox" name="notices" value="{kind.value}"[^>]*>', page)
        assert box is not None and "checked" in box.group(0)
        assert str(kind.label) in page
    assert re.search(r'<input type="radio" name="email_language" value="nl"[^>]*checked', page)
    assert not UserSettings.objects.exists()  # looking writes nothing


def test_saving_keeps_the_choices_says_so_and_is_audited(client, personas):
    client.force_login(personas.mediator)

    response = client.post(
        URL,
        {"notices": [NoticeKind.ASSIGNED, NoticeKind.FOLLOW_UP_DUE], "email_language": "en"},
        follow=True,
    )

    assert response.redirect_chain == [(URL, 302)]
    assert "Your settings were saved." in response.content.decode()
    saved = UserSettings.objects.get(user=personas.mediator)
    assert saved.email_language == "en"
    assert sorted(saved.notices_off) == sorted(
        [
            NoticeKind.PARTY_DECLINED,
            NoticeKind.PARTY_APPROVED,
            NoticeKind.ALL_APPROVED,
            NoticeKind.DETAILS_CORRECTED,
        ]
    )
    assert saved.wants(NoticeKind.ASSIGNED) and not saved.wants(NoticeKind.ALL_APPROVED)
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGED)
    assert event.actor == personas.mediator
    assert event.details["changed"] == ["email_language", "notices_off"]
    assert event.case_id is None
    page = response.content.decode()
    unticked = re.search(r'<input type="checkbox" name="notices" value="all_approved"[^>]*>', page)
    assert "checked" not in unticked.group(0)


def test_turning_every_notice_off_is_allowed(client, personas):
    client.force_login(personas.comediator)

    client.post(URL, {"email_language": "nl"})

    assert set(user_settings_for(personas.comediator).notices_off) == set(NoticeKind.values)


def test_a_user_changes_only_their_own_settings(client, personas):
    client.force_login(personas.outsider)

    client.post(
        URL,
        {"notices": [], "email_language": "en", "user": personas.mediator.pk},
    )

    assert list(UserSettings.objects.values_list("user", flat=True)) == [personas.outsider.pk]
    assert user_settings_for(personas.mediator).wants(NoticeKind.ASSIGNED)


def test_an_unknown_choice_is_refused_with_a_message_and_nothing_is_saved(client, personas):
    client.force_login(personas.mediator)

    response = client.post(URL, {"notices": ["everything"], "email_language": "fr"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. everything is not one of the available choices." in page
    assert "Select a valid choice. fr is not one of the available choices." in page
    assert not UserSettings.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGED).exists()


def test_the_page_speaks_dutch_by_default(personas):
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl")
    dutch.force_login(personas.mediator)

    page = dutch.get(URL).content.decode()

    assert "Mijn instellingen" in page
    assert "Mail me als" in page
