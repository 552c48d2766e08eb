"""The places where `parties` reaches the apps above it (scheduling), all in one list.

- `participation_ended`, run by `participation_remove` before the participant leaves:
  scheduling (off the planned sessions, with a cancellation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cases.models import Case
    from mediation.types import User
    from parties.models import Participation


class ParticipationEnded(Protocol):
    """Runs when a participant leaves a case, before they are taken off it."""

    def __call__(self, *, case: Case, participation: Participation, actor: User) -> object: ...


_participation_ended: list[ParticipationEnded] = []


def register_participation_ended(step: ParticipationEnded) -> None:
    """`step(case=..., participation=..., actor=...)` runs when a participant leaves a case."""
    if step not in _participation_ended:
        _participation_ended.append(step)


def participation_ended(*, participation: Participation, actor: User) -> None:
    for step in _participation_ended:
        step(case=participation.case, participation=participation, actor=actor)
