"""Personas shared by every test: who acts on a case, and an outsider who must see nothing."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation

from audit.triggers import append_only_triggers_install, append_only_triggers_remove
from mediation.roles import Role

# Fixtures shared by every test folder: cases in a given state, and a real SMTP server.
from tests.case_fixtures import assigned, in_intake, in_sessions, kind, refer  # noqa: F401
from tests.factories import UserFactory
from tests.imap import imap_server, mailbox  # noqa: F401
from tests.smtp import smtp_server  # noqa: F401


@dataclass
class Personas:
    coordinator: AbstractUser
    mediator: AbstractUser
    comediator: AbstractUser
    supervisor: AbstractUser
    outsider: AbstractUser


@pytest.fixture
def client():
    """A browser that asks for English unless a test asks otherwise (Dutch is the default)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages raised by services come in English here; pages still follow each request."""
    with translation.override("en"):
        yield


# A fixed master key for tests, so no test depends on the development key file in var/.
TEST_MASTER_KEY = "u3Wq9jYB7xR0m2kZp5vT8nC1hL4sD6fG0aE3iO7yQ2w="


@pytest.fixture(autouse=True)
def _test_master_key(settings):
    settings.TAFEL_MASTER_KEYS = TEST_MASTER_KEY


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing at production strength costs a second per login; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the links' rate limits and the counts of case
    pages not found live there (django-axes keeps sign-in failures in the database, which
    each test's transaction or flush empties)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db) -> Personas:
    """A referring coordinator, a lead and a co-mediator, a supervisor, and an outsider."""
    return Personas(
        coordinator=UserFactory(username="coordinator", roles=[Role.COORDINATOR]),
        mediator=UserFactory(username="mediator", roles=[Role.MEDIATOR]),
        comediator=UserFactory(username="comediator", roles=[Role.MEDIATOR]),
        supervisor=UserFactory(username="supervisor", roles=[Role.SUPERVISOR]),
        # A mediator on no case: every per-case page must be a 404 for them.
        outsider=UserFactory(username="outsider", roles=[Role.MEDIATOR]),
    )


def _on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_report_header(config):
    """Say which database the run uses, so a CI log shows SQLite and PostgreSQL both ran."""
    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    other = "SQLite" if _on_postgresql() else "PostgreSQL"
    note = f"; {other}-only tests are deselected"
    return f"database: {engine} ({database.get('HOST') or 'local'}){note}"


def pytest_collection_modifyitems(config, items):
    """Deselect (not skip) the tests of the other database: PostgreSQL-only tests on SQLite,
    SQLite-only ones (about how SQLite stores values) on PostgreSQL; `.ci/run` runs both."""
    other = "sqlite" if _on_postgresql() else "postgresql"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _audit_table_flushable(request):
    """Let transactional tests end with their flush, which the append-only triggers refuse.

    The triggers are dropped just before the flush (this fixture tears down before
    `transactional_db`). Tests that check the triggers ask for `append_only_triggers`.
    """
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    append_only_triggers_remove(connection)


@pytest.fixture
def append_only_triggers(db):
    """Make sure the append-only triggers exist (a transactional test may have dropped them)."""
    append_only_triggers_install(connection)
