"""Approvals of the current version: recorded by a mediator, or by a party through a link."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, Approval, ApprovalDecision, ApprovalMethod
from agreements.notices import approval_notify
from agreements.services.common import (
    APPROVAL_LINK_MAX_AGE,
    APPROVAL_SALT,
    DRAFTING,
    OpenAgreement,
    PartyApproval,
    _check_drafting,
    _locked_agreement,
    party_participations,
)
from agreements.services.drafting import _read
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from letters.models import LetterPurpose
from letters.services import by_post, letter_queue
from mediation.outbox import outbox_enqueue
from mediation.types import StrOrPromise, User
from mediation.validators import date_not_in_future
from parties.models import ParticipantRole, Participation

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


def _record(
    agreement: Agreement,
    participation: Participation,
    *,
    version: int,
    decision: str,
    method: str,
    decided_on: date,
    actor: User | None,
) -> Approval:
    if decision not in ApprovalDecision.values:
        raise ValidationError({"decision": _("Choose approved or declined.")})
    if method not in ApprovalMethod.values:
        raise ValidationError({"method": _("Choose how the party answered.")})
    date_not_in_future(decided_on, field="decided_on")
    previous = (
        Approval.objects.filter(agreement=agreement, participation=participation, version=version)
        .values_list("decision", flat=True)
        .first()
    )
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
    approval_notify(approval=approval, previous=previous, actor=actor)
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
    actor: User,
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
    return settings.TAFEL_BASE_URL + reverse("agreements:agreement_answer", args=[token])


@transaction.atomic
def approval_link_make(*, agreement: Agreement, participation: Participation, actor: User) -> str:
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
def approval_link_send(*, agreement: Agreement, participation: Participation, actor: User) -> None:
    """Email one party its own approval link, through the outbox, in the party's language.

    The message goes to that party's address only and holds no content of the agreement.
    """
    _check_drafting(agreement.case, actor)
    _check_party(agreement, participation)
    if by_post(participation):
        _approval_letter(agreement=agreement, participation=participation)
        audit_record(
            action=AuditAction.APPROVAL_LINK_SENT,
            actor=actor,
            target=agreement,
            case_id=agreement.case_id,
            details={
                "participation": participation.pk,
                "version": agreement.version,
                "by": "post",
            },
        )
        return
    address = participation.party.reachable_by_email
    if not participation.party.by_email:
        raise ValidationError(
            _(
                "%(name)s is reached through their representative: copy the link and pass it "
                "on through them."
            )
            % {"name": participation.party.name}
        )
    if not address:
        raise ValidationError(
            _("%(name)s has no email address: copy the link and pass it on another way.")
            % {"name": participation.party.name}
        )
    url = approval_url(agreement=agreement, participation=participation)
    expires = timezone.localdate() + APPROVAL_LINK_MAX_AGE
    with translation.override(participation.page_language):
        subject = _("Tafel: please approve or decline the agreement (%(reference)s)") % {
            "reference": agreement.case.reference
        }
        body = render_to_string(
            "agreements/email/approval_link.txt",
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


def _approval_letter(*, agreement: Agreement, participation: Participation) -> None:
    """For a party who hears from us by post: a letter to print with the agreement enclosed
    (the print page), the link written out, and how to answer on paper or by phone."""
    case = agreement.case
    with translation.override(participation.page_language):
        title = _("Please read the agreement of your mediation (%(reference)s)") % {
            "reference": case.reference
        }
        body = render_to_string(
            "agreements/letters/approval.txt",
            {
                "party": participation.party,
                "link": approval_url(agreement=agreement, participation=participation),
                "expires": timezone.localdate() + APPROVAL_LINK_MAX_AGE,
                "mediator": case.lead_mediator,
            },
        )
    letter_queue(
        participation=participation,
        purpose=LetterPurpose.APPROVAL,
        title=title,
        body=body,
        group=f"agreement-approval:{agreement.pk}",
        answer_path=reverse("agreements:agreement", args=[case.pk]) + "#approvals-heading",
    )


class LinkProblem(Exception):
    """The approval link cannot be used; `message` says why, in plain words."""

    def __init__(self, message: StrOrPromise, *, status: int = 400):
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
        return self.participation.page_language


def approval_link_open(token: str) -> ApprovalLink:
    """Check a link token: its party and version, unused and not expired; or LinkProblem."""
    try:
        payload = signing.loads(token, salt=APPROVAL_SALT, max_age=APPROVAL_LINK_MAX_AGE)
        agreement_id, participation_id, version = (payload[k] for k in ("g", "p", "v"))
    except signing.SignatureExpired:
        raise LinkProblem(LINK_EXPIRED, status=410) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkProblem(LINK_BROKEN) from None
    agreement = Agreement.objects.select_related("case").filter(pk=agreement_id).first()
    participation = (
        Participation.objects.select_related("party__key")
        .filter(pk=participation_id, case_id=agreement.case_id)
        .first()
        if agreement is not None
        else None
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


# The agreement on a participant's personal page (issue 20)


@dataclass(frozen=True)
class PartyAgreement:
    """What a party's personal page says of the agreement: its version, the party's answer to
    it, and the link to answer (empty when the party answered or the approvals are closed)."""

    agreement: Agreement
    party: Participation
    answer: Approval | None
    answer_url: str


def party_spoken_for(participation: Participation) -> Participation | None:
    """The party a participant answers for: itself, or the party a representative represents."""
    if participation.role == ParticipantRole.PARTY:
        return participation
    if participation.role == ParticipantRole.REPRESENTATIVE and participation.represents_id:
        return participation.represents
    return None


def agreement_for_party(*, participation: Participation) -> PartyAgreement | None:
    """The agreement of the participant's case as their page shows it, or None (no agreement
    yet, or a participant who is not a party and represents none). Nothing is opened."""
    party = party_spoken_for(participation)
    agreement = Agreement.objects.filter(case_id=participation.case_id).first()
    if party is None or agreement is None or party.removed_at is not None:
        return None
    answer = agreement.approvals.filter(participation=party, version=agreement.version).first()
    may_answer = answer is None and participation.case.status in DRAFTING
    url = approval_url(agreement=agreement, participation=party) if may_answer else ""
    return PartyAgreement(agreement=agreement, party=party, answer=answer, answer_url=url)


def agreement_read_by_party(
    *, shown: PartyAgreement, participation: Participation
) -> OpenAgreement:
    """Open the agreement for a participant's page; recorded as read by that participant."""
    audit_record(
        action=AuditAction.AGREEMENT_READ,
        actor=None,
        actor_label="participant (personal page)",
        target=shown.agreement,
        case_id=shown.agreement.case_id,
        details={"participation": participation.pk, "version": shown.agreement.version},
    )
    return _read(shown.agreement, reader=None)
