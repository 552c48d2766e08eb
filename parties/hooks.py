"""The places where `parties` reaches the apps above it (scheduling), all in one list.

- `participation_ended`, run by `participation_remove` before the participant leaves:
  scheduling (off the planned sessions, with a cancellation).
- `participant_links`, asked by the consent page: documents (the documents about the
  participant, such as their scanned signed mediation agreement).
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


class ParticipantLinks(Protocol):
    """Links (label, URL) to a higher app's records about a participant, for the consent page."""

    def __call__(self, *, participation: Participation) -> list[tuple[str, str]]: ...


_participation_ended: list[ParticipationEnded] = []
_participant_links: list[ParticipantLinks] = []


def register_participation_ended(step: ParticipationEnded) -> None:
    """`step(case=..., participation=..., actor=...)` runs when a participant leaves a case."""
    if step not in _participation_ended:
        _participation_ended.append(step)


def participation_ended(*, participation: Participation, actor: User) -> None:
    for step in _participation_ended:
        step(case=participation.case, participation=participation, actor=actor)


def register_participant_links(links: ParticipantLinks) -> None:
    """`links(participation=...)` lists (label, URL) pairs shown on the consent page."""
    if links not in _participant_links:
        _participant_links.append(links)


def participant_links(*, participation: Participation) -> list[tuple[str, str]]:
    """Every registered app's links about `participation`, in registration order."""
    found: list[tuple[str, str]] = []
    for links in _participant_links:
        found.extend(links(participation=participation))
    return found
