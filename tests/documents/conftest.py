"""The dossier's closed case and clock, for the documents' retention tests."""

from tests.dossier.conftest import (  # noqa: F401 - fixtures
    clock,
    closed,
    drafted,
    in_agreement,
    in_follow_up,
)
