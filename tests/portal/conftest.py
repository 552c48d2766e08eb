"""The scheduling tests' case (three people with an email address) and session planner."""

from tests.scheduling.conftest import case, schedule  # noqa: F401 - fixtures
