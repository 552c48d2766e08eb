"""The lifecycle's guards that the agreement answers: following up and closing.

Registered with `cases.hooks` by `agreements.hooks.register`. Each returns the list of what is
missing, in words a user understands; an empty list means the transition may go ahead.
"""

from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementAction, ApprovalDecision
from agreements.services import owner_name
from cases.models import Case
from parties.models import ParticipantRole


def start_follow_up_problems(case: Case) -> list[str]:
    """At least one action, and every active party approved the current version."""
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


def close_problems(case: Case) -> list[str]:
    """The follow-up review records the status of every action."""
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
                    "owner": owner_name(action),
                    "date": action.due_on.strftime("%d-%m-%Y"),
                }
            )
    return problems
