"""Every write to cases: referral, assignment, declarations and the lifecycle."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from audit.models import AuditAction
from audit.services import audit_record
from cases import permissions
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
from cases.notifications import referrer_status_notify
from cases.selectors import mediator_ids
from cases.services.notes import case_key_create
from mediation.roles import Role, roles_of
from parties.models import ParticipantRole
from parties.services import participation_add, party_create


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
    referred_by,
    kind: CaseKind,
    title: str,
    referring_organisation: str,
    referral_reason: str,
    urgency: str,
    safety_concern: bool,
    woo_note: str = "",
    parties: list[dict],
) -> Case:
    """A coordinator refers a conflict, naming its parties; they may follow its status."""
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
    for fields in parties:
        party = party_create(actor=referred_by, **fields)
        participation_add(case=case, party=party, role=ParticipantRole.PARTY, actor=referred_by)
    return case


def _grant(case: Case, user, *, referrer: bool, actor) -> None:
    if referrer:
        permissions.grant_referrer(case, user)
        granted = list(permissions.REFERRER_PERMISSIONS)
    else:
        permissions.grant_mediator(case, user)
        granted = list(permissions.MEDIATOR_PERMISSIONS)
    audit_record(
        action=AuditAction.CASE_PERMISSION_GRANTED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={"user": user.pk, "permissions": granted},
    )


def _revoke(case: Case, user, *, actor) -> None:
    permissions.revoke_mediator(case, user)
    audit_record(
        action=AuditAction.CASE_PERMISSION_REVOKED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={"user": user.pk, "permissions": list(permissions.MEDIATOR_PERMISSIONS)},
    )


@transaction.atomic
def case_assign(*, case: Case, lead, co_mediators: list, actor) -> Case:
    """A supervisor sets the lead mediator and co-mediators; rights follow the assignment."""
    if not permissions.is_supervisor(actor):
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be assigned."))
    co_mediators = [user for user in co_mediators if user.pk != lead.pk]
    for user in [lead, *co_mediators]:
        if Role.MEDIATOR not in roles_of(user) or not user.is_active:
            raise ValidationError(
                _("%(name)s is not an active mediator.") % {"name": user.get_username()}
            )
    before = {case.lead_mediator_id, *case.co_mediators.values_list("pk", flat=True)} - {None}
    after = {lead.pk, *(user.pk for user in co_mediators)}
    case.lead_mediator = lead
    case.save(update_fields=["lead_mediator", "updated_at"])
    case.co_mediators.set(co_mediators)
    for user in [lead, *co_mediators]:
        if user.pk not in before:
            _grant(case, user, referrer=False, actor=actor)
    for user in type(lead).objects.filter(pk__in=before - after):
        # Off the case's planned sessions first (they get a cancellation), then no more rights.
        from scheduling.services import attendances_end

        attendances_end(case=case, user=user, actor=actor)
        _revoke(case, user, actor=actor)
    audit_record(
        action=AuditAction.CASE_ASSIGNED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={"lead": lead.pk, "co_mediators": sorted(user.pk for user in co_mediators)},
    )
    # The calendar feeds of whoever joined or left show the case's sessions, or no longer do.
    # Last, after the audit events (scheduling.services.feeds says why).
    from scheduling.services import feed_stamps_move

    feed_stamps_move(user_ids=before ^ after)
    return case


@transaction.atomic
def conflict_declare(
    *, case: Case, mediator, declaration: str, disclosure: str = "", matches_shown: int = 0
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
    *, declaration: ConflictOfInterestDeclaration, accepted_on: date, actor
) -> ConflictOfInterestDeclaration:
    """Record that every party accepted a disclosed conflict of interest."""
    if not permissions.may_run_transitions(declaration.case, actor):
        raise PermissionDenied
    if declaration.declaration != Declaration.DISCLOSED:
        raise ValidationError(
            _("Only a disclosed conflict of interest needs the parties' consent.")
        )
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": _("The date cannot be in the future.")})
    declaration.parties_accepted_on = accepted_on
    declaration.save(update_fields=["parties_accepted_on"])
    audit_record(
        action=AuditAction.CONFLICT_ACCEPTED,
        actor=actor,
        target=declaration,
        case_id=declaration.case_id,
    )
    return declaration


def transition_meta(case: Case, name: str):
    """The django-fsm transition `name` that leaves the case's current status, or None."""
    for candidate in case.get_all_status_transitions():
        if candidate.name == name and candidate.source in (case.status, "*"):
            return candidate
    return None


def available_transitions(case: Case, user) -> list:
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
    actor,
    reason: str = "",
    expected_status: str | None = None,
    outcome: str | None = None,
) -> Case:
    """Run transition `name` under a row lock, record it, audit it, notify the referrer.

    `expected_status` is the status the user saw: if someone changed the case since, the
    user gets a conflict message instead of acting on a case they have not seen. `outcome`
    is the mediator's choice for a transition that offers outcomes (`custom["outcomes"]`, e.g.
    close); a transition's `custom["after"]` names a function (dotted path) that finishes the
    step in the same transaction, e.g. queueing the follow-up reminder.
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
    problems = meta.custom.get("problems", lambda case: [])(locked)
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
    if after := meta.custom.get("after"):
        import_string(after)(case=locked, actor=actor)
    if locked.status == CaseStatus.CLOSED:
        # A closed case meets no more: its planned sessions are cancelled, and invitees told.
        from scheduling.services import case_sessions_cancel

        case_sessions_cancel(case=locked, actor=actor)
    referrer_status_notify(case=locked)
    return locked


def _outcome_argument(meta, outcome: str | None) -> dict:
    """The outcome to pass to the transition: one it offers, or none when it offers none."""
    offered = meta.custom.get("outcomes")
    if not offered:
        if outcome:
            raise TransitionRefused(_("This step does not take an outcome."))
        return {}
    if outcome not in offered:
        raise TransitionRefused(
            _("Choose the outcome of the case: %(choices)s.")
            % {"choices": ", ".join(str(Outcome(value).label) for value in offered)}
        )
    return {"outcome": outcome}
