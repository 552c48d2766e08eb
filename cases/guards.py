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


def _owner_name(action) -> str:
    return action.owner.party.name if action.owner_id else _("the municipality")


def reach_agreement_problems(case) -> list[str]:
    """At least one joint (or group) session was held."""
    from scheduling.models import Session, SessionKind, SessionStatus

    held = Session.objects.filter(
        case=case, status=SessionStatus.HELD, kind__in=[SessionKind.JOINT, SessionKind.GROUP]
    )
    if not held.exists():
        return [_("Hold a joint session with the parties first, and mark it as held.")]
    return []


def start_follow_up_problems(case) -> list[str]:
    """At least one action, and every active party approved the current version."""
    from cases.models import Agreement, ApprovalDecision
    from parties.models import ParticipantRole

    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None:
        return [_("Write the agreement and its actions first.")]
    problems = []
    if not agreement.actions.exists():
        problems.append(_("Add at least one concrete action: what, who and by when."))
    answers = {
        approval.participation_id: approval.decision
        for approval in agreement.approvals.filter(version=agreement.version)
    }
    parties = case.participations.active().filter(role=ParticipantRole.PARTY)
    for participation in parties.select_related("party").order_by("added_at", "id"):
        values = {"name": participation.party.name, "version": agreement.version}
        decision = answers.get(participation.pk)
        if decision is None:
            problems.append(
                _("Record whether %(name)s approves version %(version)d of the agreement.") % values
            )
        elif decision == ApprovalDecision.DECLINED:
            problems.append(_("%(name)s declined version %(version)d of the agreement.") % values)
    return problems


def close_problems(case) -> list[str]:
    """The follow-up review records the status of every action."""
    from cases.models import AgreementAction

    actions = list(
        AgreementAction.objects.filter(agreement__case=case)
        .select_related("owner__party", "review")
        .order_by("due_on", "id")
    )
    if not actions:
        return [_("The agreement has no actions to review.")]
    problems = []
    for number, action in enumerate(actions, start=1):
        if not hasattr(action, "review"):
            problems.append(
                _(
                    "Record the follow-up review of action %(number)d (%(owner)s, due "
                    "%(date)s): done, partly done or not done."
                )
                % {
                    "number": number,
                    "owner": _owner_name(action),
                    "date": action.due_on.strftime("%d-%m-%Y"),
                }
            )
    return problems
