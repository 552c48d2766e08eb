"""Guards of the case lifecycle. Each returns the list of what is missing, in words a user
understands; an empty list means the transition may go ahead."""

from collections.abc import Callable

from django.utils.translation import gettext as _


def no_problems(problems: Callable) -> Callable:
    """Turn a problems function into a django-fsm condition."""

    def condition(case) -> bool:
        return not problems(case)

    condition.__name__ = f"no_{problems.__name__}"
    return condition


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def accept_problems(case) -> list[str]:
    """A lead mediator is assigned, and every mediator on the case is cleared of conflicts."""
    if case.lead_mediator_id is None:
        return [_("Assign a lead mediator first.")]
    declarations = {d.mediator_id: d for d in case.declarations.all()}
    problems = []
    for mediator in [case.lead_mediator, *case.co_mediators.all()]:
        declaration = declarations.get(mediator.pk)
        if declaration is None:
            problems.append(
                _("%(name)s has not yet declared whether they have a conflict of interest.")
                % {"name": _name(mediator)}
            )
        elif not declaration.clears_mediator:
            problems.append(
                _(
                    "%(name)s disclosed a conflict of interest: record first that the parties "
                    "accepted it."
                )
                % {"name": _name(mediator)}
            )
    return problems


def start_sessions_problems(case) -> list[str]:
    """At least two parties, each with consent; everyone else present signed confidentiality."""
    from parties.selectors import consent_problems

    return consent_problems(case=case)
