"""Fixtures of the cases tests: cases with an agreement, in the agreement and follow-up states."""

from tests.cases.agreement_helpers import drafted, in_agreement, in_follow_up  # noqa: F401
