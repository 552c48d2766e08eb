from io import StringIO

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from cases.models import Case, CaseStatus, Note
from cases.services import note_titles
from demo.data import DEMO_ACCOUNTS
from demo.registration import PAST_MEDIATIONS
from letters.models import Letter
from parties.models import PortalLink
from reporting.models import ReportStale
from scheduling.models import Session
from surveys.models import SurveyInvitation, SurveyResponse
from surveys.services import SURVEY_MINIMUM
from tests.reporting.figures import counted_from_cases, stored


def authenticate(**credentials):
    """Sign in as the login page does: with the request (the sign-in throttle needs it)."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


pytestmark = pytest.mark.django_db


def test_demo_data_creates_every_account_once_and_can_run_again(capsys):
    call_command("demo_data")
    call_command("demo_data")

    users = get_user_model().objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    assert users.count() == 5
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.username, password="demo")
        assert user is not None
        assert list(user.groups.values_list("name", flat=True)) == [account.role.value]
    assert "Log in at http://127.0.0.1:8000/" in capsys.readouterr().out


def test_demo_data_adds_the_administrator_admin_in_development(settings, capsys):
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")

    admin = authenticate(username="admin", password="demo")
    assert admin is not None and admin.is_superuser and admin.is_staff
    assert not admin.groups.exists()
    assert "admin" in capsys.readouterr().out


def test_demo_data_adds_no_administrator_without_debug(settings):
    settings.DEBUG = False
    call_command("demo_data")

    assert not get_user_model().objects.filter(username="admin").exists()


def test_demo_data_resets_a_changed_demo_password():
    call_command("demo_data")
    user = get_user_model().objects.get(username="mediator")
    user.set_password("something-else-entirely")
    user.save()

    call_command("demo_data")

    assert authenticate(username="mediator", password="demo") is not None


def test_demo_data_refuses_to_run_in_production_mode(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="refuses to run in production mode"):
        call_command("demo_data")
    assert not get_user_model().objects.filter(username="mediator").exists()


def test_demo_data_creates_cases_in_every_state_the_lifecycle_reaches_and_a_sound_trail():
    call_command("demo_data")
    call_command("demo_data")

    statuses = sorted(Case.objects.values_list("status", flat=True))
    # Three closed cases, and the nine past mediations of the registration report.
    assert statuses == [
        "agreement",
        *["closed"] * (3 + len(PAST_MEDIATIONS) + 1),
        "follow_up",
        "intake",
        "referred",
        "referred",
        "sessions",
    ]
    sessions = Case.objects.get(status=CaseStatus.SESSIONS)
    assert Note.objects.count() == 3
    # Three agreements, one in sessions, and two in each past mediation.
    assert Session.objects.filter(status="held").count() == 4 + 2 * (len(PAST_MEDIATIONS) + 1)
    assert Session.objects.filter(status="planned").count() == 2
    assert all(title.title for title in note_titles(case=sessions, reader=sessions.lead_mediator))
    # Rachid Amrani hears from us by post: tomorrow's invitation is a letter to print.
    [letter] = Letter.objects.all()
    assert (letter.case, letter.purpose, letter.status) == (sessions, "invite", "to_print")
    assert letter.participation.party.name == "Rachid Amrani"
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit chain intact" in out.getvalue()


def test_demo_data_answers_surveys_once_and_the_report_shows_them(client):
    call_command("demo_data", stdout=StringIO())
    answered = SurveyResponse.objects.count()
    call_command("demo_data", stdout=StringIO())

    assert answered >= SURVEY_MINIMUM
    assert SurveyResponse.objects.count() == answered
    assert SurveyInvitation.objects.filter(answered=True).count() == answered
    client.force_login(get_user_model().objects.get(username="supervisor"))
    today = timezone.localdate()
    period = f"start={today.replace(year=today.year - 9)}&end={today}"
    page = client.get(f"/reports/?{period}", HTTP_ACCEPT_LANGUAGE="en")
    assert f"From {answered} anonymous answers" in page.content.decode()


def test_demo_data_prints_a_working_personal_page(client):
    out = StringIO()
    call_command("demo_data", stdout=out)
    call_command("demo_data", stdout=StringIO())

    line = next(line for line in out.getvalue().splitlines() if "personal page" in line)
    url = line.rsplit(" ", 1)[-1]
    page = client.get(url.removeprefix("http://127.0.0.1:8000"))

    assert page.status_code == 200
    assert "Buurthuis De Boog, Utrecht" in page.content.decode()
    assert PortalLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_demos_report_counts_every_case_as_the_cases_say():
    call_command("demo_data", stdout=StringIO())

    assert stored() == counted_from_cases()
    assert not ReportStale.objects.exists()
