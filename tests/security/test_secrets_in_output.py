"""Secrets stay out of output: `diffsettings`, error pages and logs (issue 17, point 8)."""

import logging
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.views.debug import technical_500_response

from mediation.secrets import SecretHidingFilter

MASTER_KEY = "u3Wq9jYB7xR0m2kZp5vT8nC1hL4sD6fG0aE3iO7yQ2w="
SECRET_KEY = "a-secret-key-that-must-never-be-printed-0123456789"
CACHE_URL = "redis://:cache-password-never-printed@cache.internal:6379/0"
EMAIL_PASSWORD = "mail-password-never-printed"
SECRETS = (MASTER_KEY, SECRET_KEY, "cache-password-never-printed", EMAIL_PASSWORD)


@pytest.fixture
def secrets(settings):
    settings.TAFEL_MASTER_KEYS = MASTER_KEY
    settings.SECRET_KEY = SECRET_KEY
    settings.TAFEL_CACHE_URL = CACHE_URL
    settings.EMAIL_HOST_PASSWORD = EMAIL_PASSWORD
    return settings


@pytest.mark.parametrize("arguments", [[], ["--all"], ["--output", "unified"]])
def test_diffsettings_shows_no_secret(secrets, arguments):
    out = StringIO()

    call_command("diffsettings", *arguments, stdout=out)

    printed = out.getvalue()
    for secret in SECRETS:
        assert secret not in printed
    # The settings themselves are listed, with their values hidden.
    assert "TAFEL_MASTER_KEYS = '********************'" in printed
    assert "SECRET_KEY = '" not in printed or "SECRET_KEY = '********************'" in printed
    assert "TAFEL_CACHE_URL = '********************'" in printed
    assert "TIME_ZONE = 'Europe/Amsterdam'" in printed


def test_django_s_own_command_would_have_printed_them(secrets):
    """The check above can fail: Django's command prints the values as they are."""
    from django.core.management.commands.diffsettings import Command  # noqa: PLC0415

    printed = Command().handle(all=False, default=None, output="hash")

    assert MASTER_KEY in printed and SECRET_KEY in printed


def test_the_technical_error_page_shows_no_secret(secrets, db):
    secrets.DEBUG = True
    request = RequestFactory().get("/cases/1/")
    try:
        raise RuntimeError("something broke")
    except RuntimeError:
        response = technical_500_response(request, *sys.exc_info())

    page = response.content.decode()
    assert "something broke" in page
    assert "TAFEL_MASTER_KEYS" in page and "TAFEL_CACHE_URL" in page
    for secret in SECRETS:
        assert secret not in page


def test_the_filter_hides_tafels_own_secret_settings():
    hide = SecretHidingFilter().cleanse_setting

    assert hide("TAFEL_MASTER_KEYS", MASTER_KEY) == "********************"
    assert hide("DATABASE_URL", "postgres://u:p@h/db") == "********************"
    assert hide("TAFEL_CACHE_URL", CACHE_URL) == "********************"
    assert hide("TIME_ZONE", "Europe/Amsterdam") == "Europe/Amsterdam"


def test_a_server_error_logs_no_secret(secrets, client, personas, caplog):
    """A 500 is logged (django.request) with the request line only: no settings, no keys."""
    secrets.DEBUG = False
    client.raise_request_exception = False
    client.force_login(personas.supervisor)
    secrets.ROOT_URLCONF = "tests.security.broken_urls"

    with caplog.at_level(logging.INFO):
        response = client.get("/broken/")

    assert response.status_code == 500
    logged = "\n".join(
        [record.getMessage() for record in caplog.records]
        + [str(record.exc_info) for record in caplog.records if record.exc_info]
    )
    assert "/broken/" in logged
    for secret in SECRETS:
        assert secret not in logged
