"""The guards of the lifecycle that `cases` answers itself: accepting and reopening a case.

The other guards live with the app that knows the answer and are registered in `cases.hooks`
(parties: consent; scheduling: a joint session held; agreements: approvals and the review).
Each returns the list of what is missing, in words a user understands.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case
from mediation.types import User


def person_name(user: User) -> str:
    """How the product names a staff user: full name, else user name."""
    return user.get_full_name() or user.get_username()


def accept_problems(case: Case) -> list[str]:
    """A lead mediator is assigned, and every mediator on the case is cleared of conflicts."""
    if case.lead_mediator is None:
        return [_("Assign a lead mediator first.")]
    declarations = {d.mediator_id: d for d in case.declarations.all()}
    problems = []
    for mediator in [case.lead_mediator, *case.co_mediators.all()]:
        declaration = declarations.get(mediator.pk)
        if declaration is None:
            problems.append(
                _("%(name)s has not yet declared whether they have a conflict of interest.")
                % {"name": person_name(mediator)}
            )
        elif not declaration.clears_mediator:
            problems.append(
                _(
                    "%(name)s disclosed a conflict of interest: record first that the parties "
                    "accepted it."
                )
                % {"name": person_name(mediator)}
            )
    return problems


def reopen_problems(case: Case) -> list[str]:
    """A case whose dossier was destroyed stays closed: there is nothing left to work with."""
    if case.dossier_destroyed_on is None:
        return []
    return [
        _("The dossier of this case was destroyed on %(date)s: it cannot be reopened.")
        % {"date": date_format(case.dossier_destroyed_on, "j F Y")}
    ]
