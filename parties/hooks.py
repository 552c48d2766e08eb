"""The places where `parties` reaches the apps above it (scheduling), all in one list.

- `participation_ended`, run by `participation_remove` before the participant leaves:
  scheduling (off the planned sessions, with a cancellation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediation.types import User
    from parties.models import Participation

_participation_ended: list[Callable[..., object]] = []


def register_participation_ended(step: Callable[..., object]) -> None:
    """`step(case=..., participation=..., actor=...)` runs when a participant leaves a case."""
    if step not in _participation_ended:
        _participation_ended.append(step)


def participation_ended(*, participation: Participation, actor: User) -> None:
    for step in _participation_ended:
        step(case=participation.case, participation=participation, actor=actor)
