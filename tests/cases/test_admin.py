import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case, Note, NoteVersion
from cases.services import user_settings_update
from mediation.models import DataKey, UserSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_admin_shows_a_case_but_cannot_change_it(admin_client_, assigned):
    url = reverse("admin:cases_case_change", args=[assigned.pk])
    page = admin_client_.get(url)

    response = admin_client_.post(
        url,
        {
            "title": "Nieuwe titel",
            "status": "closed",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    assert page.status_code == 200 and assigned.reference in page.content.decode()
    assert response.status_code == 403
    case = Case.objects.get(pk=assigned.pk)
    assert case.title == assigned.title and case.status == "referred"


def test_admin_cannot_add_or_delete_cases(admin_client_, assigned):
    assert admin_client_.get(reverse("admin:cases_case_add")).status_code == 403
    assert (
        admin_client_.get(reverse("admin:cases_case_delete", args=[assigned.pk])).status_code == 403
    )


def test_admin_shows_no_contact_details_of_parties(admin_client_, assigned):
    party = assigned.participations.get(party__name="Jan de Vries").party

    content = admin_client_.get(
        reverse("admin:parties_party_change", args=[party.pk])
    ).content.decode()

    assert "Jan de Vries" in content
    assert "jan.devries@example.nl" not in content


def test_notes_and_data_keys_are_not_in_the_admin():
    assert not any(admin.site.is_registered(model) for model in (Note, NoteVersion, DataKey))


def test_admin_shows_users_settings_but_cannot_change_them(admin_client_, personas):
    user_settings_update(user=personas.mediator, email_language="en", notices_off=["assigned"])
    settings_row = UserSettings.objects.get(user=personas.mediator)

    listing = admin_client_.get(reverse("admin:mediation_usersettings_changelist"))
    change = admin_client_.post(
        reverse("admin:mediation_usersettings_change", args=[settings_row.pk]),
        {"email_language": "nl", "notices_off": "[]"},
    )

    assert listing.status_code == 200 and "mediator" in listing.content.decode()
    assert change.status_code == 403
    settings_row.refresh_from_db()
    assert settings_row.email_language == "en" and settings_row.notices_off == ["assigned"]
