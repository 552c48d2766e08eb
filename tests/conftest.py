"""Personas shared by every test: who acts on a case, and an outsider who must see nothing."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser

from mediation.roles import Role
from tests.factories import UserFactory


@dataclass
class Personas:
    coordinator: AbstractUser
    mediator: AbstractUser
    comediator: AbstractUser
    supervisor: AbstractUser
    outsider: AbstractUser


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing at production strength costs a second per login; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def pytest_report_header(config):
    """Say which database the run uses, so a CI log shows SQLite and PostgreSQL both ran."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database.get('HOST') or 'local'})"
