"""The admin shows sessions read-only, without places, arrangements or addresses."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.scheduling.conftest import JAN

pytestmark = pytest.mark.django_db


def test_admin_shows_sessions_read_only_without_personal_details(client, case, schedule):
    session = schedule(case, place="Geheime plek 12", accessibility_notes="Lift XQZ")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:scheduling_session_change", args=[session.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Geheime plek" not in content and "XQZ" not in content and JAN not in content
    assert client.get(reverse("admin:scheduling_session_add")).status_code == 403
    delete = reverse("admin:scheduling_session_delete", args=[session.pk])
    assert client.get(delete).status_code == 403


def test_admin_shows_attendance_and_duration_read_only(client, case, schedule, personas):
    session = schedule(case)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    content = client.get(
        reverse("admin:scheduling_session_change", args=[session.pk])
    ).content.decode()

    for label in ("Recorded afterwards", "How it took place", "Duration in minutes", "Attended"):
        assert label in content, label
    assert 'name="duration_minutes"' not in content  # shown, not editable
