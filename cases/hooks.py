"""The places where the case lifecycle reaches the apps above it, all in one list.

`cases` sits low in the layers (mediation ← audit ← cases ← parties ← scheduling, agreements
← demo) and never imports a higher app. Where a step on a case needs one (a guard asks about
consent, sessions or the agreement; closing a case cancels its sessions; the case page shows
the participants), the higher app registers a function here from its `AppConfig.ready()`:

- `guard(transition)`, asked by `case_transition` and the case page: cases (accept; reopen,
  refused once the dossier was destroyed), parties (start_sessions), scheduling
  (reach_agreement), agreements (start_follow_up, close).
- `after_step(transition)`, run by `case_transition` in its transaction: agreements
  (start_follow_up: the follow-up date and the reminder).
- `after_every_step`, run by `case_transition` in its transaction after the step's own
  after-steps and before the closing ones, whatever the step: zgw (the case's new status,
  and on closing its result, go to the municipality's Zaken API through the HTTP outbox).
- `after_referral`, run by `case_refer` in its transaction, once the case is saved and its
  referrer has their rights (the parties are added after it): zgw (the case is registered as
  a zaak in the municipality's Zaken API).
- `after_closing`, run by `case_transition` when a step closes the case: scheduling (the
  planned sessions are cancelled, invitees told), agreements (the waiting follow-up notices
  are withdrawn), surveys (each party is asked for its satisfaction survey).
- `mediator_removed`, run by `case_assign` before the rights go: scheduling (off the planned
  sessions), agreements (their waiting follow-up notice withdrawn).
- `mediators_changed`, run by `case_assign` last, with everyone who joined or left the case:
  scheduling (their calendar feeds change), agreements (who joined during the follow-up gets
  its notice).
- `conflict_matches`, asked by the assignment and declaration pages: parties (the mediator's
  other cases with these parties).
- `case_section`, shown by the case page: parties, scheduling, agreements, surveys, documents
  (their panels), dossier (the retention of each record class).

Registration is idempotent (the same function twice is kept once), so a test that reloads an
app config does not double a guard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.functional import Promise

if TYPE_CHECKING:
    from cases.models import Case
    from cases.permissions import CaseAccess
    from mediation.types import User

# A guard lists what is missing before a transition may run, in the user's language.
Guard = Callable[["Case"], list[str]]


class AfterStep(Protocol):
    """Finishes a transition in the same transaction (case locked, status saved)."""

    def __call__(self, *, case: Case, actor: User) -> object: ...


class MediatorRemoved(Protocol):
    """Runs when `user` is taken off the case as a mediator, before their rights go."""

    def __call__(self, *, case: Case, user: User, actor: User) -> object: ...


class MediatorsChanged(Protocol):
    """Runs after an assignment, with the ids of the users who joined or left the case."""

    def __call__(self, *, case: Case, user_ids: set[int]) -> object: ...


class ConflictMatcher(Protocol):
    """What the mediator's other cases share with this case's parties, for the conflict check."""

    def __call__(self, *, case: Case, mediator: User) -> list[Any]: ...


class SectionContext(Protocol):
    """The template's context for a panel of the case page, or None to leave it out."""

    def __call__(self, *, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class CaseSection:
    """A panel of the case page that a higher app provides.

    `context(case=..., user=..., access=...)` returns the template's context for the panel, or
    None when the user may not see it (or there is nothing to show). `position` orders the
    panels: below 50 they follow the next steps, from 50 on they follow the referral. `title`
    names the panel in the page's "On this page" list, which links to `#section-<name>`.
    """

    name: str
    template: str
    position: int
    context: SectionContext
    title: str | Promise = ""


_guards: dict[str, list[Guard]] = defaultdict(list)
_after_steps: dict[str, list[AfterStep]] = defaultdict(list)
_after_every_step: list[AfterStep] = []
_after_referral: list[AfterStep] = []
_after_closing: list[AfterStep] = []
_mediator_removed: list[MediatorRemoved] = []
_conflict_matchers: list[ConflictMatcher] = []
_mediators_changed: list[MediatorsChanged] = []
_sections: dict[str, CaseSection] = {}


def _add(registry: list[Any], function: object) -> None:
    if function not in registry:
        registry.append(function)


def register_guard(transition: str, guard: Guard) -> None:
    """`guard(case)` must return [] before `transition` may run."""
    _add(_guards[transition], guard)


def register_after_step(transition: str, step: AfterStep) -> None:
    """`step(case=..., actor=...)` runs after `transition`, in the same transaction."""
    _add(_after_steps[transition], step)


def register_after_every_step(step: AfterStep) -> None:
    """`step(case=..., actor=...)` runs after every transition, in the same transaction."""
    _add(_after_every_step, step)


def register_after_referral(step: AfterStep) -> None:
    """`step(case=..., actor=...)` runs when a case is referred, in the same transaction."""
    _add(_after_referral, step)


def register_after_closing(step: AfterStep) -> None:
    """`step(case=..., actor=...)` runs after any transition that closes the case."""
    _add(_after_closing, step)


def register_mediator_removed(step: MediatorRemoved) -> None:
    """`step(case=..., user=..., actor=...)` runs when a mediator is taken off the case."""
    _add(_mediator_removed, step)


def register_mediators_changed(step: MediatorsChanged) -> None:
    """`step(case=..., user_ids=...)` runs when mediators joined or left the case."""
    _add(_mediators_changed, step)


def register_conflict_matcher(matcher: ConflictMatcher) -> None:
    """`matcher(case=..., mediator=...)` lists the mediator's possible conflicts on the case."""
    _add(_conflict_matchers, matcher)


def register_case_section(section: CaseSection) -> None:
    """Show `section` on the case page (a second registration under its name replaces it)."""
    _sections[section.name] = section


def problems(case: Case, transition: str) -> list[str]:
    """Everything the guards of `transition` find missing on `case`; [] means it may run."""
    found: list[str] = []
    for guard in _guards.get(transition, ()):
        found.extend(guard(case))
    return found


def run_after_step(*, case: Case, transition: str, closed: bool, actor: User) -> None:
    """Run the after-steps of `transition`, then those of every step, then, when it closed
    the case, the closing ones."""
    for step in _after_steps.get(transition, ()):
        step(case=case, actor=actor)
    for step in _after_every_step:
        step(case=case, actor=actor)
    if closed:
        for step in _after_closing:
            step(case=case, actor=actor)


def run_after_referral(*, case: Case, actor: User) -> None:
    """Run what the higher apps do when a case is referred."""
    for step in _after_referral:
        step(case=case, actor=actor)


def mediator_removed(*, case: Case, user: User, actor: User) -> None:
    """Tell the higher apps that `user` is no longer a mediator on `case`."""
    for step in _mediator_removed:
        step(case=case, user=user, actor=actor)


def mediators_changed(*, case: Case, user_ids: set[int]) -> None:
    """Tell the higher apps which users joined or left the case's mediators."""
    for step in _mediators_changed:
        step(case=case, user_ids=user_ids)


def conflict_matches(*, case: Case, mediator: User) -> list[Any]:
    """What each registered matcher finds for `mediator` on `case`."""
    found: list[Any] = []
    for matcher in _conflict_matchers:
        found.extend(matcher(case=case, mediator=mediator))
    return found


@dataclass(frozen=True)
class ShownSection:
    template: str
    position: int
    context: dict[str, Any]
    name: str = ""
    title: str | Promise = ""


def case_sections(*, case: Case, user: User, access: CaseAccess) -> list[ShownSection]:
    """The registered panels this user sees on the case page, in order."""
    shown = []
    for section in _sections.values():
        context = section.context(case=case, user=user, access=access)
        if context is not None:
            shown.append(
                ShownSection(
                    section.template, section.position, context, section.name, section.title
                )
            )
    return sorted(shown, key=lambda section: section.position)
