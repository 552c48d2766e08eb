"""A person's rights over their data (AVG): what Tafel holds about them (art. 15) and its
erasure (art. 17), for a supervisor handling their request. Corrections (art. 16) go through
the case's party pages, which audit them.

The export holds only what is about the person: their party record, their participations and
roles, consents, the sessions they were invited to with their answers and attendance, their
answers to agreements, and the documents linked to them (kind and date: the files themselves
are handed over on request by the case's mediators, who may read them). Other people are left
out entirely: no other party, no representative's or mediator's name, no notes and no agreement
text (that is the dossier of all parties).
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Approval
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import CaseStatus
from cases.permissions import is_supervisor
from documents.models import Document
from documents.services import party_documents_destroy
from dossier.models import ErasureException, RequestDecision, RequestKind, SubjectRequest
from letters.models import Letter
from letters.services import party_letters_destroy
from mediation import keys
from mediation.outbox import outbox_forget
from mediation.types import User
from parties.matching import normalise, normalise_email
from parties.models import Participation, Party, PortalLink
from scheduling.models import Attendee
from surveys.models import SurveyInvitation

SEARCH_LIMIT = 50


def people_find(*, query: str) -> QuerySet[Party]:
    """Party records whose email is exactly `query` (by the blind index), or whose name or
    organisation contains it."""
    query = query.strip()
    if len(query) < 2:
        return Party.objects.none()
    if "@" in query:
        found = Party.objects.filter(email_index=keys.blind_index(normalise_email(query)))
    else:
        needle = normalise(query)
        found = Party.objects.filter(name_normalised__contains=needle) | Party.objects.filter(
            organisation_normalised__contains=needle
        )
    return found.order_by("name", "id")[:SEARCH_LIMIT]


@dataclass
class PersonExport:
    """Everything held about one person, in plain values (JSON as it is)."""

    person: dict[str, Any]
    cases: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    agreement_answers: list[dict[str, Any]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    letters: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sections(self) -> list[tuple[str, list[list[tuple[str, Any]]]]]:
        """The readable page: (title, rows of (label, value)) per part."""
        return [
            (_("Person"), [labelled(self.person)]),
            (_("Cases"), [labelled(row) for row in self.cases]),
            (_("Sessions"), [labelled(row) for row in self.sessions]),
            (_("Answers to agreements"), [labelled(row) for row in self.agreement_answers]),
            (_("Satisfaction surveys"), [labelled(row) for row in self.surveys]),
            (_("Documents"), [labelled(row) for row in self.documents]),
            (_("Letters"), [labelled(row) for row in self.letters]),
        ]


def _day(value) -> str | None:
    """A date (a moment counts by its day in Dutch time), ISO-written."""
    if not value:
        return None
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.isoformat()


LABELS = {
    "kind": gettext_lazy("Kind"),
    "name": gettext_lazy("Name"),
    "organisation": gettext_lazy("Organisation"),
    "email": gettext_lazy("Email address"),
    "phone": gettext_lazy("Phone number"),
    "postal_address": gettext_lazy("Postal address"),
    "contact_channel": gettext_lazy("How they hear from us"),
    "contact_details_readable": gettext_lazy("Contact details readable"),
    "preferred_language": gettext_lazy("Preferred language"),
    "interpreter_language": gettext_lazy("Interpreter language"),
    "needs_step_free_access": gettext_lazy("Needs step-free access"),
    "other_needs": gettext_lazy("Other needs"),
    "needs_readable": gettext_lazy("Needs readable"),
    "recorded_on": gettext_lazy("Recorded on"),
    "case": gettext_lazy("Case"),
    "status": gettext_lazy("Status"),
    "role": gettext_lazy("Role"),
    "represents_someone": gettext_lazy("Represents someone"),
    "added_on": gettext_lazy("Added on"),
    "removed_on": gettext_lazy("Taken off on"),
    "consent_signed_on": gettext_lazy("Mediation agreement signed on"),
    "consent_signed_by": gettext_lazy("Signed by"),
    "confidentiality_signed_on": gettext_lazy("Confidentiality statement signed on"),
    "consent_withdrawn_on": gettext_lazy("Consent withdrawn on"),
    "starts_at": gettext_lazy("Starts"),
    "ends_at": gettext_lazy("Ends"),
    "invited_on": gettext_lazy("Invited on"),
    "taken_off_on": gettext_lazy("Taken off on"),
    "answer": gettext_lazy("Answer"),
    "answered_at": gettext_lazy("Answered on"),
    "attended": gettext_lazy("Attended"),
    "agreement_version": gettext_lazy("Version of the agreement"),
    "decision": gettext_lazy("Decision"),
    "how": gettext_lazy("How"),
    "decided_on": gettext_lazy("Date"),
    "sent_on": gettext_lazy("Sent on"),
    "answered": gettext_lazy("Answered"),
    "purpose": gettext_lazy("Letter"),
    "made_on": gettext_lazy("Made on"),
}


def labelled(row: dict[str, Any]) -> list[tuple[str, Any]]:
    """A row of the export with its labels in the active language, for the readable page."""
    return [(str(LABELS.get(key, key)), value) for key, value in row.items()]


def person_export(*, party: Party, actor: User, deliver: bool = False) -> PersonExport:
    """What Tafel holds about `party` across all cases (art. 15), audited. `deliver`: the
    export is handed over (the download), and the request is recorded as answered."""
    _require_supervisor(actor)
    contact = party.contact
    export = PersonExport(
        person={
            "kind": party.get_kind_display(),
            "name": party.name,
            "organisation": party.organisation,
            "email": contact.email,
            "phone": contact.phone,
            "postal_address": contact.postal_address,
            "contact_channel": party.get_contact_channel_display(),
            "contact_details_readable": contact.readable,
            "preferred_language": party.preferred_language,
            "interpreter_language": party.interpreter_language,
            "needs_step_free_access": party.needs_step_free_access,
            "other_needs": party.other_needs,
            "needs_readable": party.needs.readable,
            "recorded_on": _day(party.created_at),
        }
    )
    participations = Participation.objects.filter(party=party).select_related("case", "case__kind")
    for participation in participations.order_by("added_at", "id"):
        case = participation.case
        export.cases.append(
            {
                "case": case.reference,
                "kind": str(case.kind),
                "status": case.get_status_display(),
                "role": participation.get_role_display(),
                "represents_someone": participation.represents_id is not None,
                "added_on": _day(participation.added_at),
                "removed_on": _day(participation.removed_at),
                "consent_signed_on": _day(participation.consent_signed_on),
                "consent_signed_by": participation.consent_signed_by,
                "confidentiality_signed_on": _day(participation.confidentiality_signed_on),
                "consent_withdrawn_on": _day(participation.consent_withdrawn_on),
            }
        )
    attendances = Attendee.objects.filter(participation__party=party).select_related(
        "session", "session__case"
    )
    for attendee in attendances.order_by("session__starts_at", "id"):
        session = attendee.session
        export.sessions.append(
            {
                "case": session.case.reference,
                "kind": session.get_kind_display(),
                "starts_at": timezone.localtime(session.starts_at).isoformat(),
                "ends_at": timezone.localtime(session.ends_at).isoformat(),
                "status": session.get_status_display(),
                "invited_on": _day(attendee.added_at),
                "taken_off_on": _day(attendee.removed_at),
                "answer": attendee.get_rsvp_display(),
                "answered_at": _day(attendee.responded_at),
                "attended": attendee.attended,
            }
        )
    approvals = Approval.objects.filter(participation__party=party).select_related(
        "agreement__case"
    )
    for approval in approvals.order_by("recorded_at", "id"):
        export.agreement_answers.append(
            {
                "case": approval.agreement.case.reference,
                "agreement_version": approval.version,
                "decision": approval.get_decision_display(),
                "how": approval.get_method_display(),
                "decided_on": _day(approval.decided_on),
            }
        )
    # The answers themselves are anonymous: Tafel holds only whether the person answered.
    invitations = SurveyInvitation.objects.filter(participation__party=party).select_related("case")
    for invitation in invitations.order_by("id"):
        export.surveys.append(
            {
                "case": invitation.case.reference,
                "sent_on": _day(invitation.sent_on),
                "answered": invitation.answered,
            }
        )
    # Documents about the person: their kind and date, never the name or content of the file.
    documents = Document.objects.filter(participation__party=party).select_related("case")
    for document in documents.order_by("uploaded_at", "id"):
        export.documents.append(
            {
                "case": document.case.reference,
                "kind": document.get_kind_display(),
                "added_on": _day(document.uploaded_at),
            }
        )
    # Letters to them: what each was for, when, and whether it went; the text is in the dossier.
    letters = Letter.objects.filter(participation__party=party).select_related("case")
    for letter in letters.order_by("created_at", "id"):
        export.letters.append(
            {
                "case": letter.case.reference,
                "purpose": letter.get_purpose_display(),
                "made_on": _day(letter.created_at),
                "status": letter.get_status_display(),
                "sent_on": _day(letter.sent_at),
            }
        )
    if deliver:
        SubjectRequest.objects.create(
            party=party, kind=RequestKind.ACCESS, decision=RequestDecision.DONE, handled_by=actor
        )
    audit_record(
        action=AuditAction.SUBJECT_ACCESS_EXPORTED,
        actor=actor,
        target=party,
        details={"cases": len(export.cases), "delivered": deliver},
    )
    return export


def _require_supervisor(actor: User) -> None:
    if not is_supervisor(actor):
        raise PermissionDenied


def erasure_blockers(party: Party) -> list[str]:
    """Why the person cannot be erased now, in words: a case they take part in still runs."""
    running = (
        Participation.objects.filter(party=party)
        .exclude(case__status=CaseStatus.CLOSED)
        .values_list("case__reference", flat=True)
    )
    return [
        _("%(reference)s is still running: close the case or take the person off it first.")
        % {"reference": reference}
        for reference in running
    ]


@dataclass(frozen=True)
class ErasureDeletes:
    """What erasing the person would delete besides their details: counts only."""

    documents: int
    letters: int


def erasure_deletes(party: Party) -> ErasureDeletes:
    """How many documents are linked to the person and how many letters are addressed to them,
    for the erasure page (the supervisor reads neither)."""
    return ErasureDeletes(
        documents=Document.objects.filter(participation__party=party).count(),
        letters=Letter.objects.filter(participation__party=party).count(),
    )


@transaction.atomic
def person_erase(*, party: Party, actor: User, explanation: str = "") -> SubjectRequest:
    """Erase the person (art. 17): their key is destroyed (contact details unreadable for good),
    their name and other identifying fields are replaced by a pseudonym, everywhere Tafel shows
    them (case pages, lists, the trail's display), the documents linked to them (a scanned
    agreement they signed) and the letters addressed to them are deleted, and so are the stored
    emails of their cases. The dossier otherwise keeps its shape; the trail records how many
    documents and letters went."""
    _require_supervisor(actor)
    party = Party.objects.select_for_update(of=("self",)).select_related("key").get(pk=party.pk)
    if problems := erasure_blockers(party):
        raise ValidationError(problems)
    if party.key is not None:
        keys.data_key_destroy(party.key)
    pseudonym = _("Erased person %(number)s") % {"number": party.pk}
    Party.objects.filter(pk=party.pk).update(
        name=pseudonym,
        name_normalised=normalise(pseudonym),
        organisation="",
        organisation_normalised="",
        sealed_contact=None,
        email_index="",
        sealed_needs=None,
        needs_interpreter=False,
        needs_step_free_access=False,
        has_other_needs=False,
    )
    participations = Participation.objects.filter(party=party)
    participations.update(consent_signed_by="")
    # Their personal page links stop: the page would show the pseudonym's meetings.
    PortalLink.objects.filter(participation__party=party, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    # The stored emails of those (closed) cases name the person and their address: they were
    # sent or withdrawn, and go too.
    for case_id in set(participations.values_list("case_id", flat=True)):
        outbox_forget(case_id=case_id)
    # What was filed about them or sent to them names them: the file's bytes and name, the
    # letter's text and the address it went to. Other participants' stay.
    documents = party_documents_destroy(party=party)
    letters = party_letters_destroy(party=party)
    request = SubjectRequest.objects.create(
        party=party,
        kind=RequestKind.ERASURE,
        decision=RequestDecision.DONE,
        explanation=explanation.strip()[:1000],
        handled_by=actor,
    )
    audit_record(
        action=AuditAction.SUBJECT_ERASED,
        actor=actor,
        target=party,
        details={"documents_deleted": documents, "letters_deleted": letters},
    )
    return request


@transaction.atomic
def person_erasure_refuse(
    *, party: Party, actor: User, exception: str, explanation: str
) -> SubjectRequest:
    """Record that an erasure was refused, naming the exception of art. 17(3) that applies."""
    _require_supervisor(actor)
    if exception not in ErasureException.values:
        raise ValidationError(_("Choose the exception that applies."))
    request = SubjectRequest.objects.create(
        party=party,
        kind=RequestKind.ERASURE,
        decision=RequestDecision.REFUSED,
        exception=exception,
        explanation=explanation.strip()[:1000],
        handled_by=actor,
    )
    audit_record(
        action=AuditAction.SUBJECT_ERASURE_REFUSED,
        actor=actor,
        target=party,
        details={"exception": exception},
    )
    return request
