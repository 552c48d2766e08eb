"""Every write to cases: referral, assignment, declarations and the lifecycle."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, Transition

from audit.models import AuditAction
from audit.services import audit_record
from cases import hooks, permissions
from cases.activity import case_activity_open_set
from cases.keys import case_key_create
from cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    ConflictOfInterestDeclaration,
    Declaration,
    Outcome,
    ReferenceCounter,
)
from cases.notices import notice_send_many
from cases.notifications import referrer_status_notify
from cases.selectors import mediator_ids
from cases.services.roles import case_assignment_check
from mediation.models import NoticeKind, OutboxMessage
from mediation.outbox import outbox_retry
from mediation.roles import Role, roles_of
from mediation.types import AnyUser, User
from mediation.validators import date_not_in_future


class CaseActionError(Exception):
    """An action on a case that cannot go ahead; `messages` say why, in the user's language."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


class TransitionNotAllowed(CaseActionError):
    """The transition does not exist from this status, or the user may not run it."""


class TransitionRefused(CaseActionError):
    """A guard refused: something is missing, and the messages name it."""


class CaseConflict(CaseActionError):
    """Someone else changed the case between loading the page and acting on it."""


def _next_reference(year: int) -> str:
    # The UPDATE locks the year's counter row until this transaction ends, so two referrals
    # made at once get different numbers. A rolled-back referral gives its number back.
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = ReferenceCounter.objects.values_list("last_number", flat=True).get(year=year)
    return f"MED-{year}-{number:04d}"


@transaction.atomic
def case_refer(
    *,
    referred_by: User,
    kind: CaseKind,
    title: str,
    referring_organisation: str,
    referral_reason: str,
    urgency: str,
    safety_concern: bool,
    woo_note: str = "",
) -> Case:
    """A coordinator refers a conflict; they may follow its status.

    The parties named in the referral are added by `parties.services.referral_make`, which
    calls this in its transaction.
    """
    if Role.COORDINATOR not in roles_of(referred_by):
        raise PermissionDenied
    if not kind.active:
        raise ValidationError({"kind": _("This kind of case can no longer be chosen.")})
    case = Case(
        kind=kind,
        title=title.strip(),
        referred_by=referred_by,
        referring_organisation=referring_organisation.strip(),
        referral_reason=referral_reason.strip(),
        urgency=urgency,
        safety_concern=safety_concern,
        woo_note=woo_note.strip(),
    )
    case.full_clean(exclude=["reference", "status"])
    case.reference = _next_reference(case.referred_on.year)
    case.save()
    case_key_create(case)
    audit_record(
        action=AuditAction.CASE_REFERRED,
        actor=referred_by,
        target=case,
        case_id=case.pk,
        details={"kind": kind.code, "urgency": urgency, "safety_concern": safety_concern},
    )
    _grant(case, referred_by, referrer=True, actor=referred_by)
    hooks.run_after_referral(case=case, actor=referred_by)
    return case


def _grant(case: Case, user: User, *, referrer: bool, actor: User) -> None:
    if referrer:
        permissions.grant_referrer(case, user)
        granted = [str(p) for p in permissions.REFERRER_PERMISSIONS]
    else:
        permissions.grant_mediator(case, user)
        granted = [str(p) for p in permissions.MEDIATOR_PERMISSIONS]
    audit_record(
        action=AuditAction.CASE_PERMISSION_GRANTED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={"user": user.pk, "permissions": granted},
    )


def _revoke(case: Case, user: User, *, actor: User) -> None:
    permissions.revoke_mediator(case, user)
    audit_record(
        action=AuditAction.CASE_PERMISSION_REVOKED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={
            "user": user.pk,
            "permissions": [str(p) for p in permissions.MEDIATOR_PERMISSIONS],
        },
    )


def case_assign(*, case: Case, lead: User, co_mediators: list[User], actor: User) -> Case:
    """A supervisor sets the lead mediator and co-mediators; rights follow the assignment.

    An administrator account is refused with a message, and the attempt is recorded before
    the assignment's own transaction, so the refusal stays in the trail.
    """
    if not permissions.is_supervisor(actor):
        raise PermissionDenied
    case_assignment_check(case=case, users=[lead, *co_mediators], actor=actor, via="service")
    return _case_assign(case=case, lead=lead, co_mediators=co_mediators, actor=actor)


@transaction.atomic
def _case_assign(*, case: Case, lead: User, co_mediators: list[User], actor: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be assigned."))
    co_mediators = [user for user in co_mediators if user.pk != lead.pk]
    for user in [lead, *co_mediators]:
        if Role.MEDIATOR not in roles_of(user) or not user.is_active:
            raise ValidationError(
                _("%(name)s is not an active mediator.") % {"name": user.get_username()}
            )
    before = set(case.co_mediators.values_list("pk", flat=True))
    previous_lead = case.lead_mediator_id
    if case.lead_mediator_id is not None:
        before.add(case.lead_mediator_id)
    after = {lead.pk, *(user.pk for user in co_mediators)}
    case.lead_mediator = lead
    case.save(update_fields=["lead_mediator", "updated_at"])
    case.co_mediators.set(co_mediators)
    for user in [lead, *co_mediators]:
        if user.pk not in before:
            _grant(case, user, referrer=False, actor=actor)
    for user in type(lead).objects.filter(pk__in=before - after):
        # Off the case's planned sessions first (they get a cancellation), then no more rights.
        hooks.mediator_removed(case=case, user=user, actor=actor)
        _revoke(case, user, actor=actor)
    audit_record(
        action=AuditAction.CASE_ASSIGNED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={"lead": lead.pk, "co_mediators": sorted(user.pk for user in co_mediators)},
    )
    # Who joined is told, and a co-mediator who became the lead; not who stays as they were.
    # A supervisor who assigns themselves knows already (the actor is left out).
    notice_send_many(
        users=[
            user
            for user in [lead, *co_mediators]
            if user.pk not in before or (user.pk == lead.pk and lead.pk != previous_lead)
        ],
        kind=NoticeKind.ASSIGNED,
        case=case,
        link_path=reverse("cases:detail", args=[case.pk]),
        actor=actor,
    )
    # Whoever joined or left: their calendar feeds show the case's sessions, or no longer do.
    # Last, after the audit events (scheduling.services.feeds says why).
    hooks.mediators_changed(case=case, user_ids=before ^ after)
    return case


@transaction.atomic
def conflict_declare(
    *,
    case: Case,
    mediator: User,
    declaration: str,
    disclosure: str = "",
    matches_shown: int = 0,
) -> ConflictOfInterestDeclaration:
    """A mediator on the case declares no conflict of interest, or discloses one."""
    # Read the assignment afresh: the caller's object may predate a change of mediators.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if mediator.pk not in mediator_ids(case=case):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    disclosure = disclosure.strip()
    if declaration == Declaration.DISCLOSED and not disclosure:
        raise ValidationError({"disclosure": _("Describe the conflict of interest you disclose.")})
    record, _created = ConflictOfInterestDeclaration.objects.update_or_create(
        case=case,
        mediator=mediator,
        defaults={
            "declaration": declaration,
            "disclosure": disclosure if declaration == Declaration.DISCLOSED else "",
            "parties_accepted_on": None,
            "matches_shown": matches_shown,
            "declared_at": timezone.now(),
        },
    )
    record.full_clean()
    audit_record(
        action=AuditAction.CONFLICT_DECLARED,
        actor=mediator,
        target=record,
        case_id=case.pk,
        details={"declaration": declaration, "matches_shown": matches_shown},
    )
    return record


@transaction.atomic
def conflict_acceptance_record(
    *, declaration: ConflictOfInterestDeclaration, accepted_on: date, actor: User
) -> ConflictOfInterestDeclaration:
    """Record that every party accepted a disclosed conflict of interest."""
    if not permissions.may_run_transitions(declaration.case, actor):
        raise PermissionDenied
    if declaration.declaration != Declaration.DISCLOSED:
        raise ValidationError(
            _("Only a disclosed conflict of interest needs the parties' consent.")
        )
    date_not_in_future(accepted_on, field="accepted_on")
    declaration.parties_accepted_on = accepted_on
    declaration.save(update_fields=["parties_accepted_on"])
    audit_record(
        action=AuditAction.CONFLICT_ACCEPTED,
        actor=actor,
        target=declaration,
        case_id=declaration.case_id,
    )
    return declaration


def transition_meta(case: Case, name: str) -> Transition | None:
    """The django-fsm transition `name` that leaves the case's current status, or None."""
    for candidate in case.get_all_status_transitions():
        if candidate.name == name and candidate.source in (case.status, "*"):
            return candidate
    return None


def available_transitions(case: Case, user: AnyUser) -> list[Transition]:
    """Transitions from the case's status that the user may run (guards may still refuse)."""
    return [
        meta
        for meta in case.get_all_status_transitions()
        if meta.source in (case.status, "*") and meta.has_perm(case, user)
    ]


@transaction.atomic
def case_transition(
    *,
    case: Case,
    name: str,
    actor: User,
    reason: str = "",
    expected_status: str | None = None,
    outcome: str | None = None,
) -> Case:
    """Run transition `name` under a row lock, record it, audit it, notify the referrer.

    `expected_status` is the status the user saw: if someone changed the case since, the
    user gets a conflict message instead of acting on a case they have not seen. `outcome`
    is the mediator's choice for a transition that offers outcomes (`custom["outcomes"]`, e.g.
    close). The guards and the after-steps (e.g. queueing the follow-up reminder, cancelling
    the sessions of a closed case) are the ones registered in `cases.hooks`, run once each.
    """
    # Lock the row: two mediators may act on the same case at once.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_status and locked.status != expected_status:
        raise CaseConflict(
            _(
                "Someone else changed this case in the meantime: it is now '%(status)s'. "
                "Nothing was saved; check the case and try again."
            )
            % {"status": CaseStatus(locked.status).label}
        )
    meta = transition_meta(locked, name)
    if meta is None or not meta.has_perm(locked, actor):
        raise TransitionNotAllowed(
            _("This step is not possible for you on a case that is '%(status)s'.")
            % {"status": CaseStatus(locked.status).label}
        )
    problems = hooks.problems(locked, name)
    if problems:
        raise TransitionRefused(problems)
    reason = reason.strip()
    if meta.custom.get("reason_required") and not reason:
        raise TransitionRefused(_("Give a reason for this step."))
    arguments = {"reason": reason, **_outcome_argument(meta, outcome)}
    from_status = locked.status
    getattr(locked, name)(**arguments)
    # "status" is left out: full_clean would assign it, which the protected field refuses.
    locked.full_clean(exclude=["reference", "status"])
    try:
        locked.save()
    except ConcurrentTransition:
        raise CaseConflict(
            _("Someone else changed this case in the meantime. Nothing was saved; try again.")
        ) from None
    CaseStatusChange.objects.create(
        case=locked,
        transition=name,
        from_status=from_status,
        to_status=locked.status,
        actor=actor,
        reason=reason,
    )
    audit_record(
        action=AuditAction.CASE_TRANSITION,
        actor=actor,
        target=locked,
        case_id=locked.pk,
        details={
            "transition": name,
            "from": from_status,
            "to": locked.status,
            **({"outcome": arguments["outcome"]} if "outcome" in arguments else {}),
        },
    )
    # After the audit event: its activity record exists and the chain lock is held.
    case_activity_open_set(case_id=locked.pk, status=locked.status)
    hooks.run_after_step(
        case=locked, transition=name, closed=locked.status == CaseStatus.CLOSED, actor=actor
    )
    referrer_status_notify(case=locked)
    return locked


def _outcome_argument(meta: Transition, outcome: str | None) -> dict[str, str]:
    """The outcome to pass to the transition: one it offers, or none when it offers none."""
    offered = meta.custom.get("outcomes")
    if not offered:
        if outcome:
            raise TransitionRefused(_("This step does not take an outcome."))
        return {}
    if outcome is None or outcome not in offered:
        raise TransitionRefused(
            _("Choose the outcome of the case: %(choices)s.")
            % {"choices": ", ".join(str(Outcome(value).label) for value in offered)}
        )
    return {"outcome": outcome}


@transaction.atomic
def outbox_message_resend(*, case: Case, message_id: int, actor: User) -> OutboxMessage:
    """A supervisor sends a message about the case again that failed for good (after the mail
    server or an address was put right); the worker sends it at once, with fresh tries."""
    if not permissions.is_supervisor(actor):
        raise PermissionDenied
    message = OutboxMessage.objects.filter(case_id=case.pk, pk=message_id).first()
    if message is None:
        raise ValidationError(_("This message does not belong to this case."))
    if not outbox_retry(message=message):
        raise ValidationError(_("Only a message that could not be sent can be sent again."))
    audit_record(
        action=AuditAction.OUTBOX_RESENT,
        actor=actor,
        target=message,
        case_id=case.pk,
        details={"purpose": message.purpose},
    )
    return message
