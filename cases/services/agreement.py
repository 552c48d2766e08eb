"""The agreement of a case: text and actions (versioned), approvals, follow-up, the summary.

Every text (agreement, action descriptions, review comments, referrer summary) is sealed under
the case's data key, bound to its record, as notes are (see notes.py). Plaintext lives only in
memory between the form and `seal`, or between `unseal` and the page; audit details hold ids,
counts and versions only.

Parties approve the current version only: every change of the text or the actions raises the
version, and answers given to an earlier version no longer count (they stay on record).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import (
    ActionReview,
    Agreement,
    AgreementAction,
    AgreementVersion,
    Approval,
    ApprovalDecision,
    ApprovalMethod,
    Case,
    CaseStatus,
    ReferrerSummary,
    ReviewStatus,
    SummaryConsent,
)
from cases.permissions import has_case_permission
from cases.services.notes import NoteCannotBeOpened, _data_key
from mediation import crypto
from mediation.outbox import outbox_enqueue
from parties.models import ParticipantRole, Participation

TEXT_MAX_LENGTH = 20_000
DESCRIPTION_MAX_LENGTH = 1_000
COMMENT_MAX_LENGTH = 2_000
SUMMARY_MAX_LENGTH = 2_000

READ = "cases.view_case_notes"
WRITE = "cases.run_case_transitions"
# The agreement is drafted during the sessions and settled in the agreement phase; from the
# follow-up on it stays as the parties approved it.
DRAFTING = (CaseStatus.SESSIONS, CaseStatus.AGREEMENT)

APPROVAL_SALT = "tafel.cases.agreement-approval.v1"
APPROVAL_LINK_MAX_AGE = timedelta(days=30)
# The follow-up reminder leaves at this hour (Europe/Amsterdam) on the follow-up date.
REMINDER_HOUR = time(8, 0)


class AgreementCannotBeOpened(NoteCannotBeOpened):
    """The case's key is gone or does not fit, or the sealed bytes were changed or moved."""


@dataclass(frozen=True)
class OpenAction:
    action: AgreementAction
    number: int
    description: str
    owner_name: str
    review_comment: str | None


@dataclass(frozen=True)
class OpenAgreement:
    agreement: Agreement
    text: str
    actions: list[OpenAction]


@dataclass(frozen=True)
class PartyApproval:
    """A party of the case and its answer to the current version (None: not yet answered)."""

    participation: Participation
    current: Approval | None
    earlier: Approval | None  # its latest answer to an earlier version, if any


# Helpers


def _check(case: Case, user, perm: str) -> None:
    if not has_case_permission(user, case, perm):
        raise PermissionDenied


def _check_drafting(case: Case, user) -> None:
    _check(case, user, WRITE)
    if case.status not in DRAFTING:
        raise ValidationError(
            _("The agreement can only change during the sessions and the agreement phase.")
        )


def _key(case: Case, *, create: bool = False) -> bytes:
    try:
        return _data_key(case, create=create)
    except NoteCannotBeOpened:
        raise AgreementCannotBeOpened from None


def _open(key: bytes, blob, context: str) -> str:
    try:
        return crypto.unseal(key, blob, context=context)
    except crypto.CannotOpen:
        raise AgreementCannotBeOpened from None


def _clean_text(value: str, *, field: str, limit: int, required: bool, missing: str) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError({field: missing})
    if len(value) > limit:
        raise ValidationError(
            {field: _("The text is too long: at most %(max)d characters.") % {"max": limit}}
        )
    return value


def owner_name(action: AgreementAction) -> str:
    return action.owner.party.name if action.owner_id else _("the municipality")


def party_participations(case: Case):
    """The active parties of the case (role party): the ones whose approval counts."""
    return (
        Participation.objects.filter(case=case, role=ParticipantRole.PARTY)
        .active()
        .select_related("party")
        .order_by("added_at", "id")
    )


def _locked_agreement(case: Case) -> Agreement:
    agreement = Agreement.objects.select_for_update().select_related("case").get(case=case)
    agreement.case = case
    return agreement


def _snapshot(agreement: Agreement, key: bytes, actor) -> None:
    """Keep the current version (text and actions) sealed, then raise the version."""
    text = _open(key, agreement.sealed_text, agreement.context("text"))
    actions = [
        {
            "description": _open(key, action.sealed_description, action.context("description")),
            "owner": action.owner_id,
            "due_on": action.due_on.isoformat(),
        }
        for action in _actions(agreement)
    ]
    version = AgreementVersion(agreement=agreement, version=agreement.version, replaced_by=actor)
    version.sealed_text = crypto.seal(key, text, context=version.context("text"))
    version.sealed_actions = crypto.seal(
        key, json.dumps(actions, ensure_ascii=False), context=version.context("actions")
    )
    version.save()
    agreement.version += 1
    agreement.save(update_fields=["version", "updated_at"])


def _actions(agreement: Agreement) -> list[AgreementAction]:
    actions = list(
        agreement.actions.select_related("owner__party", "review").order_by("due_on", "id")
    )
    for action in actions:
        action.agreement = agreement
    return actions


def _check_owner(case: Case, owner: Participation | None) -> None:
    if owner is None:
        return
    if owner.case_id != case.pk or owner.role != ParticipantRole.PARTY or owner.removed_at:
        raise ValidationError({"owner": _("Choose a party of this case, or the municipality.")})


# The agreement and its actions


@transaction.atomic
def agreement_write(*, case: Case, text: str, actor) -> Agreement:
    """Write the agreement's text, or change it (a new version; the earlier one stays sealed)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_drafting(case, actor)
    text = _clean_text(
        text,
        field="text",
        limit=TEXT_MAX_LENGTH,
        required=True,
        missing=_("Write what the parties agreed."),
    )
    key = _key(case, create=True)
    agreement = Agreement.objects.select_for_update().filter(case=case).first()
    if agreement is None:
        agreement = Agreement(case=case, created_by=actor)
    else:
        agreement.case = case
        if _open(key, agreement.sealed_text, agreement.context("text")) == text:
            return agreement  # nothing changed: no new version
        _snapshot(agreement, key, actor)
    agreement.sealed_text = crypto.seal(key, text, context=agreement.context("text"))
    agreement.save()
    audit_record(
        action=AuditAction.AGREEMENT_WRITTEN,
        actor=actor,
        target=agreement,
        case_id=case.pk,
        details={"version": agreement.version},
    )
    return agreement


def _action_fields(case, description: str, owner, due_on: date) -> str:
    _check_owner(case, owner)
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date by which the action is done.")})
    return _clean_text(
        description,
        field="description",
        limit=DESCRIPTION_MAX_LENGTH,
        required=True,
        missing=_("Describe what will be done."),
    )


@transaction.atomic
def action_add(
    *, agreement: Agreement, description: str, owner: Participation | None, due_on: date, actor
) -> AgreementAction:
    """Add an action (what, who, by when); the agreement gets a new version."""
    case = Case.objects.select_for_update().get(pk=agreement.case_id)
    _check_drafting(case, actor)
    description = _action_fields(case, description, owner, due_on)
    agreement = _locked_agreement(case)
    key = _key(case)
    _snapshot(agreement, key, actor)
    action = AgreementAction(agreement=agreement, owner=owner, due_on=due_on)
    action.sealed_description = crypto.seal(key, description, context=action.context("description"))
    action.save()
    audit_record(
        action=AuditAction.ACTION_ADDED,
        actor=actor,
        target=action,
        case_id=case.pk,
        details={"version": agreement.version, "owner": owner.pk if owner else None},
    )
    return action


@transaction.atomic
def action_change(
    *, action: AgreementAction, description: str, owner: Participation | None, due_on: date, actor
) -> AgreementAction:
    """Change an action; the agreement gets a new version."""
    case = Case.objects.select_for_update().get(pk=action.agreement.case_id)
    _check_drafting(case, actor)
    description = _action_fields(case, description, owner, due_on)
    agreement = _locked_agreement(case)
    key = _key(case)
    action = AgreementAction.objects.get(pk=action.pk, agreement=agreement)
    action.agreement = agreement
    unchanged = (
        _open(key, action.sealed_description, action.context("description")) == description
        and action.owner_id == (owner.pk if owner else None)
        and action.due_on == due_on
    )
    if unchanged:
        return action
    _snapshot(agreement, key, actor)
    action.owner, action.due_on = owner, due_on
    action.sealed_description = crypto.seal(key, description, context=action.context("description"))
    action.save()
    audit_record(
        action=AuditAction.ACTION_CHANGED,
        actor=actor,
        target=action,
        case_id=case.pk,
        details={"version": agreement.version, "owner": owner.pk if owner else None},
    )
    return action


@transaction.atomic
def action_remove(*, action: AgreementAction, actor) -> None:
    """Remove an action; the agreement gets a new version (the earlier one keeps it)."""
    case = Case.objects.select_for_update().get(pk=action.agreement.case_id)
    _check_drafting(case, actor)
    agreement = _locked_agreement(case)
    _snapshot(agreement, _key(case), actor)
    audit_record(
        action=AuditAction.ACTION_REMOVED,
        actor=actor,
        target=action,
        case_id=case.pk,
        details={"version": agreement.version, "action": str(action.uid)},
    )
    AgreementAction.objects.filter(pk=action.pk, agreement=agreement).delete()


def agreement_read(*, agreement: Agreement, reader) -> OpenAgreement:
    """Open the agreement, its actions and their review comments; the read is recorded."""
    case = agreement.case
    _check(case, reader, READ)
    return _read(agreement, reader=reader)


def _read(agreement: Agreement, *, reader) -> OpenAgreement:
    case = agreement.case
    try:
        key = _key(case)
        text = _open(key, agreement.sealed_text, agreement.context("text"))
        actions = []
        for number, action in enumerate(_actions(agreement), start=1):
            comment = None
            if _has_review(action):
                review = action.review
                review.action = action
                comment = _open(key, review.sealed_comment, review.context("comment"))
            description = _open(key, action.sealed_description, action.context("description"))
            actions.append(OpenAction(action, number, description, owner_name(action), comment))
    except AgreementCannotBeOpened:
        audit_record(
            action=AuditAction.AGREEMENT_OPEN_FAILED,
            actor=reader,
            target=agreement,
            case_id=case.pk,
        )
        raise
    audit_record(
        action=AuditAction.AGREEMENT_READ,
        actor=reader,
        target=agreement,
        case_id=case.pk,
        details={"version": agreement.version},
        **({"actor_label": "party"} if reader is None else {}),
    )
    return OpenAgreement(agreement, text, actions)


def _has_review(action: AgreementAction) -> bool:
    try:
        action.review  # noqa: B018 - loads the review, or raises
    except ActionReview.DoesNotExist:
        return False
    return True


def agreement_versions(*, agreement: Agreement, reader) -> list[tuple[int, str | None, list]]:
    """Earlier versions (number, text, actions), newest first; opening them is recorded."""
    _check(agreement.case, reader, READ)
    key = _key(agreement.case)
    opened = []
    for version in agreement.versions.all():
        version.agreement = agreement
        try:
            text = crypto.unseal(key, version.sealed_text, context=version.context("text"))
            actions = json.loads(
                crypto.unseal(key, version.sealed_actions, context=version.context("actions"))
            )
        except crypto.CannotOpen:
            text, actions = None, []
        opened.append((version.version, text, actions))
    if opened:
        audit_record(
            action=AuditAction.AGREEMENT_READ,
            actor=reader,
            target=agreement,
            case_id=agreement.case_id,
            details={"versions": len(opened)},
        )
    return opened


# Approvals


def approval_overview(*, agreement: Agreement) -> list[PartyApproval]:
    """Each active party with its answer to the current version, and any earlier answer."""
    latest: dict[int, Approval] = {}
    earlier: dict[int, Approval] = {}
    for approval in agreement.approvals.order_by("version", "recorded_at"):
        if approval.version == agreement.version:
            latest[approval.participation_id] = approval
        else:
            earlier[approval.participation_id] = approval
    return [
        PartyApproval(p, latest.get(p.pk), earlier.get(p.pk))
        for p in party_participations(agreement.case)
    ]


def outdated_approvals(*, agreement: Agreement) -> int:
    """How many approvals were given to an earlier version (they no longer count)."""
    return agreement.approvals.filter(
        version__lt=agreement.version, decision=ApprovalDecision.APPROVED
    ).count()


def _record(agreement, participation, *, version, decision, method, decided_on, actor):
    if decision not in ApprovalDecision.values:
        raise ValidationError({"decision": _("Choose approved or declined.")})
    if method not in ApprovalMethod.values:
        raise ValidationError({"method": _("Choose how the party answered.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    approval, _created = Approval.objects.update_or_create(
        agreement=agreement,
        participation=participation,
        version=version,
        defaults={
            "decision": decision,
            "method": method,
            "decided_on": decided_on,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        action=AuditAction.APPROVAL_RECORDED,
        actor=actor,
        target=approval,
        case_id=agreement.case_id,
        details={
            "participation": participation.pk,
            "version": version,
            "decision": decision,
            "method": method,
        },
        **({"actor_label": "party"} if actor is None else {}),
    )
    return approval


def _check_party(agreement: Agreement, participation: Participation) -> None:
    if (
        participation.case_id != agreement.case_id
        or participation.role != ParticipantRole.PARTY
        or participation.removed_at is not None
    ):
        raise ValidationError(_("Only an active party of the case approves the agreement."))


@transaction.atomic
def approval_record(
    *,
    agreement: Agreement,
    participation: Participation,
    decision: str,
    method: str,
    decided_on: date,
    actor,
) -> Approval:
    """A mediator records a party's answer to the current version (on paper, by email)."""
    case = Case.objects.select_for_update().get(pk=agreement.case_id)
    _check_drafting(case, actor)
    agreement = _locked_agreement(case)
    _check_party(agreement, participation)
    if method == ApprovalMethod.LINK:
        raise ValidationError({"method": _("Answers by link are recorded by the link itself.")})
    return _record(
        agreement,
        participation,
        version=agreement.version,
        decision=decision,
        method=method,
        decided_on=decided_on,
        actor=actor,
    )


def approval_token(*, agreement: Agreement, participation: Participation) -> str:
    """A signed link token for one party and the agreement's current version."""
    payload = {"g": agreement.pk, "p": participation.pk, "v": agreement.version}
    return signing.dumps(payload, salt=APPROVAL_SALT)


def approval_url(*, agreement: Agreement, participation: Participation) -> str:
    token = approval_token(agreement=agreement, participation=participation)
    return settings.TAFEL_BASE_URL + reverse("cases:agreement_answer", args=[token])


def party_language(participation: Participation) -> str:
    """The party page and email speak English to a party who prefers it, Dutch otherwise."""
    return "en" if (participation.party.preferred_language or "").startswith("en") else "nl"


@transaction.atomic
def approval_link_make(*, agreement: Agreement, participation: Participation, actor) -> str:
    """The approval link of one party, for the mediator to copy; making it is recorded."""
    _check_drafting(agreement.case, actor)
    _check_party(agreement, participation)
    audit_record(
        action=AuditAction.APPROVAL_LINK_MADE,
        actor=actor,
        target=agreement,
        case_id=agreement.case_id,
        details={"participation": participation.pk, "version": agreement.version},
    )
    return approval_url(agreement=agreement, participation=participation)


@transaction.atomic
def approval_link_send(*, agreement: Agreement, participation: Participation, actor) -> None:
    """Email one party its own approval link, through the outbox, in the party's language.

    The message goes to that party's address only and holds no content of the agreement.
    """
    _check_drafting(agreement.case, actor)
    _check_party(agreement, participation)
    address = participation.party.email
    if not address:
        raise ValidationError(
            _("%(name)s has no email address: copy the link and pass it on another way.")
            % {"name": participation.party.name}
        )
    url = approval_url(agreement=agreement, participation=participation)
    expires = timezone.localdate() + APPROVAL_LINK_MAX_AGE
    with translation.override(party_language(participation)):
        subject = _("Tafel: please approve or decline the agreement (%(reference)s)") % {
            "reference": agreement.case.reference
        }
        body = render_to_string(
            "cases/agreement/email/approval_link.txt",
            {"link": url, "expires": expires, "party": participation.party},
        )
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
    outbox_enqueue(
        message=message,
        purpose="agreement_approval",
        group=f"agreement-approval:{agreement.pk}",
        case_id=agreement.case_id,
    )
    audit_record(
        action=AuditAction.APPROVAL_LINK_SENT,
        actor=actor,
        target=agreement,
        case_id=agreement.case_id,
        details={"participation": participation.pk, "version": agreement.version},
    )


class LinkProblem(Exception):
    """The approval link cannot be used; `message` says why, in plain words."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


LINK_BROKEN = gettext_lazy(
    "This link is not complete or was changed. Open it again from the email, or copy the whole "
    "link into your browser."
)
LINK_EXPIRED = gettext_lazy(
    "This link has expired. Ask your mediator for a new link to the agreement."
)
LINK_OUTDATED = gettext_lazy(
    "The agreement was changed after this link was made. Your mediator will send you a link "
    "to the new version; your answer counts only for that one."
)
LINK_USED = gettext_lazy(
    "Your answer to this version of the agreement has already been recorded. The link works "
    "only once. If you want to change your answer, please contact your mediator."
)
LINK_GONE = gettext_lazy(
    "This link no longer belongs to a party of this mediation. Please contact your mediator."
)
LINK_CLOSED = gettext_lazy(
    "The parties' approval of this agreement is closed. Please contact your mediator."
)


@dataclass(frozen=True)
class ApprovalLink:
    agreement: Agreement
    participation: Participation
    version: int

    @property
    def language(self) -> str:
        return party_language(self.participation)


def approval_link_open(token: str) -> ApprovalLink:
    """Check a link token: its party and version, unused and not expired; or LinkProblem."""
    try:
        payload = signing.loads(
            token, salt=APPROVAL_SALT, max_age=APPROVAL_LINK_MAX_AGE.total_seconds()
        )
        agreement_id, participation_id, version = (payload[k] for k in ("g", "p", "v"))
    except signing.SignatureExpired:
        raise LinkProblem(LINK_EXPIRED, status=410) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkProblem(LINK_BROKEN) from None
    agreement = Agreement.objects.select_related("case").filter(pk=agreement_id).first()
    participation = (
        Participation.objects.select_related("party")
        .filter(pk=participation_id, case_id=getattr(agreement, "case_id", None))
        .first()
    )
    if agreement is None or participation is None:
        raise LinkProblem(LINK_GONE, status=404)
    if participation.removed_at is not None or participation.role != ParticipantRole.PARTY:
        raise LinkProblem(LINK_GONE, status=410)
    if version != agreement.version:
        raise LinkProblem(LINK_OUTDATED, status=410)
    if agreement.approvals.filter(participation=participation, version=version).exists():
        raise LinkProblem(LINK_USED, status=410)
    if agreement.case.status not in DRAFTING:
        raise LinkProblem(LINK_CLOSED, status=410)
    return ApprovalLink(agreement, participation, version)


def approval_link_show(*, link: ApprovalLink) -> OpenAgreement:
    """Open the agreement for the party of a valid link; recorded as opened by that party."""
    audit_record(
        action=AuditAction.APPROVAL_LINK_OPENED,
        actor=None,
        actor_label="party",
        target=link.agreement,
        case_id=link.agreement.case_id,
        details={"participation": link.participation.pk, "version": link.version},
    )
    return _read(link.agreement, reader=None)


@transaction.atomic
def approval_by_link(*, token: str, decision: str) -> Approval:
    """The party answers through its link: once, for its version only."""
    link = approval_link_open(token)
    # Check again under the lock: two clicks at once, or a change of the agreement meanwhile.
    Case.objects.select_for_update().get(pk=link.agreement.case_id)
    link = approval_link_open(token)
    return _record(
        link.agreement,
        link.participation,
        version=link.version,
        decision=decision,
        method=ApprovalMethod.LINK,
        decided_on=timezone.localdate(),
        actor=None,
    )


# Follow-up


def follow_up_default(agreement: Agreement) -> date:
    """Six weeks (TAFEL_FOLLOW_UP_DAYS) after the last approval of the current version."""
    last = agreement.approvals.filter(
        version=agreement.version, decision=ApprovalDecision.APPROVED
    ).aggregate(last=Max("decided_on"))["last"]
    return (last or timezone.localdate()) + timedelta(days=settings.TAFEL_FOLLOW_UP_DAYS)


@transaction.atomic
def follow_up_date_set(*, agreement: Agreement, follow_up_on: date, actor) -> Agreement:
    """Choose the follow-up date before the follow-up starts (its reminder is queued then)."""
    case = Case.objects.select_for_update().get(pk=agreement.case_id)
    _check_drafting(case, actor)
    if follow_up_on <= timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose a date after today.")})
    agreement = _locked_agreement(case)
    agreement.follow_up_on = follow_up_on
    agreement.save(update_fields=["follow_up_on", "updated_at"])
    audit_record(
        action=AuditAction.FOLLOW_UP_DATE_SET,
        actor=actor,
        target=agreement,
        case_id=case.pk,
        details={"follow_up_on": follow_up_on.isoformat()},
    )
    return agreement


def follow_up_schedule(*, case: Case, actor) -> None:
    """After `start_follow_up`: fix the follow-up date and queue the lead mediator's reminder.

    Runs inside case_transition's transaction. The reminder leaves on the follow-up date
    (outbox `send_after`), in its own group, so it holds back no other message.
    """
    agreement = _locked_agreement(case)
    if agreement.follow_up_on is None:
        agreement.follow_up_on = follow_up_default(agreement)
    lead = case.lead_mediator
    if lead is not None and lead.email:
        send_after = timezone.make_aware(datetime.combine(agreement.follow_up_on, REMINDER_HOUR))
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Tafel: follow-up of case %(reference)s is due") % {
                "reference": case.reference
            }
            body = render_to_string(
                "cases/agreement/email/follow_up_reminder.txt",
                {
                    "case": case,
                    "date": agreement.follow_up_on,
                    "link": settings.TAFEL_BASE_URL + reverse("cases:agreement", args=[case.pk]),
                },
            )
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[lead.email]
        )
        agreement.reminder = outbox_enqueue(
            message=message,
            purpose="follow_up_reminder",
            group=f"follow-up:{agreement.pk}",
            case_id=case.pk,
            send_after=send_after,
        )
    agreement.save(update_fields=["follow_up_on", "reminder", "updated_at"])
    audit_record(
        action=AuditAction.FOLLOW_UP_SCHEDULED,
        actor=actor,
        target=agreement,
        case_id=case.pk,
        details={
            "follow_up_on": agreement.follow_up_on.isoformat(),
            "reminder": agreement.reminder_id is not None,
        },
    )


@transaction.atomic
def action_review(*, action: AgreementAction, status: str, comment: str, actor) -> ActionReview:
    """Record at follow-up whether an action was done, partly done or not done (comment sealed)."""
    case = Case.objects.select_for_update().get(pk=action.agreement.case_id)
    _check(case, actor, WRITE)
    if case.status != CaseStatus.FOLLOW_UP:
        raise ValidationError(_("Actions are reviewed during the follow-up."))
    if status not in ReviewStatus.values:
        raise ValidationError({"status": _("Choose done, partly done or not done.")})
    comment = _clean_text(
        comment, field="comment", limit=COMMENT_MAX_LENGTH, required=False, missing=""
    )
    action = AgreementAction.objects.select_related("agreement").get(pk=action.pk)
    action.agreement.case = case
    review = ActionReview.objects.filter(action=action).first() or ActionReview(action=action)
    review.action = action
    review.status, review.reviewed_by, review.reviewed_on = status, actor, timezone.localdate()
    review.sealed_comment = crypto.seal(_key(case), comment, context=review.context("comment"))
    review.save()
    audit_record(
        action=AuditAction.ACTION_REVIEWED,
        actor=actor,
        target=review,
        case_id=case.pk,
        details={"action": str(action.uid), "status": status},
    )
    return review


# The summary for the referring coordinator


@transaction.atomic
def summary_write(*, case: Case, text: str, actor) -> ReferrerSummary:
    """Write or change the summary; a change asks every party's consent again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check(case, actor, WRITE)
    text = _clean_text(
        text,
        field="text",
        limit=SUMMARY_MAX_LENGTH,
        required=True,
        missing=_("Write the summary the parties may share."),
    )
    key = _key(case, create=True)
    summary = ReferrerSummary.objects.filter(case=case).first()
    if summary is None:
        summary = ReferrerSummary(case=case, written_by=actor)
    else:
        if _open(key, summary.sealed_text, summary.context("text")) == text:
            return summary
        summary.version += 1
        summary.written_by = actor
    summary.sealed_text = crypto.seal(key, text, context=summary.context("text"))
    summary.save()
    audit_record(
        action=AuditAction.SUMMARY_WRITTEN,
        actor=actor,
        target=summary,
        case_id=case.pk,
        details={"version": summary.version},
    )
    return summary


def summary_text(*, summary: ReferrerSummary, reader) -> str:
    """The summary, for the case's mediators."""
    _check(summary.case, reader, READ)
    return _open(_key(summary.case), summary.sealed_text, summary.context("text"))


@transaction.atomic
def summary_consent_record(
    *, summary: ReferrerSummary, participation: Participation, agreed_on: date, actor
) -> SummaryConsent:
    """Record that a party agreed to share the current version of the summary."""
    _check(summary.case, actor, WRITE)
    if (
        participation.case_id != summary.case_id
        or participation.role != ParticipantRole.PARTY
        or participation.removed_at is not None
    ):
        raise ValidationError(_("Only an active party of the case agrees to share the summary."))
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("The date cannot be in the future.")})
    consent, _created = SummaryConsent.objects.update_or_create(
        summary=summary,
        participation=participation,
        version=summary.version,
        defaults={"agreed_on": agreed_on, "recorded_by": actor},
    )
    audit_record(
        action=AuditAction.SUMMARY_CONSENT_RECORDED,
        actor=actor,
        target=consent,
        case_id=summary.case_id,
        details={"participation": participation.pk, "version": summary.version},
    )
    return consent


@transaction.atomic
def summary_consent_withdraw(
    *, summary: ReferrerSummary, participation: Participation, actor
) -> None:
    """A party no longer agrees to share the summary: the referrer stops seeing it."""
    _check(summary.case, actor, WRITE)
    deleted, _rows = SummaryConsent.objects.filter(
        summary=summary, participation=participation
    ).delete()
    if deleted:
        audit_record(
            action=AuditAction.SUMMARY_CONSENT_WITHDRAWN,
            actor=actor,
            target=summary,
            case_id=summary.case_id,
            details={"participation": participation.pk, "version": summary.version},
        )


def summary_consents(*, summary: ReferrerSummary) -> list[tuple[Participation, SummaryConsent]]:
    """Each active party with its consent to the current version (None: not given)."""
    given = {
        consent.participation_id: consent
        for consent in summary.consents.filter(version=summary.version)
    }
    return [(p, given.get(p.pk)) for p in party_participations(summary.case)]


def summary_shared(*, case: Case) -> bool:
    """True when a summary exists and every active party agreed to share its current version."""
    summary = ReferrerSummary.objects.filter(case=case).first()
    if summary is None:
        return False
    consents = summary_consents(summary=summary)
    return bool(consents) and all(consent is not None for _p, consent in consents)


def summary_for_referrer(*, case: Case, reader) -> str | None:
    """The summary for the referring coordinator, only when every party agreed; else None.

    Reading it is recorded. The case's mediators read it through `summary_text`.
    """
    if reader.pk != case.referred_by_id or not has_case_permission(reader, case, "view_case"):
        return None
    if not summary_shared(case=case):
        return None
    summary = case.referrer_summary
    try:
        text = _open(_key(case), summary.sealed_text, summary.context("text"))
    except AgreementCannotBeOpened:
        return None
    audit_record(
        action=AuditAction.SUMMARY_READ,
        actor=reader,
        target=summary,
        case_id=case.pk,
        details={"version": summary.version},
    )
    return text
