"""The register of processing (AVG art. 30), generated from the record classes and the
retention rules, so that it says what Tafel does and changes when they change."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Processing:
    name: str
    purpose: str
    persons: str
    data: str
    retention: str
    protection: str


def processing_register() -> list[Processing]:
    """One line per record class, in the active language."""
    years = settings.TAFEL_RETENTION_DOSSIER_YEARS
    days = settings.TAFEL_RETENTION_WORKING_NOTES_DAYS
    sealed = _("Sealed (AES-256-GCM) under the case's own key; crypto-shredded on destruction.")
    return [
        Processing(
            _("Referral and case"),
            _("Running the mediation the municipality referred; accounting for it in counts."),
            _("Parties, their representatives, referring coordinators, mediators."),
            _("Reference, kind, dates, status, outcome; title and reason for referral."),
            _(
                "The dossier's: %(years)s years after the end, then a tombstone (reference, "
                "kind, dates, outcome)."
            )
            % {"years": years},
            _("Visible only to the case's mediators, its referrer (status only) and supervisors."),
        ),
        Processing(
            _("Contact details"),
            _("Inviting people to sessions and asking for their approval."),
            _("Parties, representatives, interpreters, support persons."),
            _("Email address, phone number, postal address, preferred language."),
            _("With the dossier; erased on request when no exception applies."),
            _("Sealed under the person's own key (a person may take part in several cases)."),
        ),
        Processing(
            _("Needs (special categories, AVG art. 9)"),
            _("Making sessions accessible: step-free access, an interpreter, other needs."),
            _("Parties and other participants."),
            _(
                "Whether an interpreter is needed, and for which language; whether step-free "
                "access is needed; other needs as free text."
            ),
            _("With the contact details: with the dossier; erased on request."),
            _(
                "Decided field by field: the interpreter's language (it can reveal origin) and "
                "the other needs (health, disability) are sealed under the person's own key, "
                "like the contact details, and shredded with it. Plain are only the yes/no "
                "flags that lists, invites and warnings need: interpreter needed, step-free "
                "access needed, other needs recorded."
            ),
        ),
        Processing(
            _("Working notes"),
            _("The mediator's own memory of the talks; not part of the dossier."),
            _("Everyone the talks were about."),
            _("Free text."),
            _("%(days)s days after the case closes.") % {"days": days},
            sealed + " " + _("Readable by their author only."),
        ),
        Processing(
            _("Dossier records, agreement and follow-up"),
            _(
                "The dossier of the mediation (civil code art. 7:412): reports, the agreement, "
                "its approvals and reviews."
            ),
            _("Parties and their representatives."),
            _("Free text, actions, decisions and dates."),
            _(
                "%(years)s years after the end (at least 5; past the complaint periods of 12 and "
                "18 months)."
            )
            % {"years": years},
            sealed,
        ),
        Processing(
            _("Documents on the case"),
            _(
                "Files kept with the dossier: the signed mediation agreement, confidentiality "
                "statements, reports, correspondence."
            ),
            _("Parties and their representatives."),
            _("Files (PDF, images, office documents); kind and date."),
            _("With the dossier; those linked to a person are deleted when the person is erased."),
            sealed + " " + _("Readable by the case's mediators only."),
        ),
        Processing(
            _("Letters by post"),
            _(
                "Reaching participants who hear from us by post: invitations, requests to "
                "approve the agreement, closing letters, the agreement to sign."
            ),
            _("Parties and other participants who hear from us by post."),
            _("Title and text of the letter (names, dates, places); purpose, status, dates."),
            _(
                "With the dossier; those addressed to a person are deleted when the person is "
                "erased."
            ),
            sealed + " " + _("Readable by the case's mediators only."),
        ),
        Processing(
            _("Sessions and invitations"),
            _("Planning sessions, inviting people, recording who came and contact hours."),
            _("Parties, other participants, mediators."),
            _("Date, time, place, answers, attendance, duration."),
            _("With the dossier."),
            _("Invites name only their recipient; calendar feeds are private to the mediator."),
        ),
        Processing(
            _("Audit trail"),
            _("Accountability: who did what, when, on which case."),
            _("Users, and parties by id only."),
            _("Ids, actions, times, client addresses; never content."),
            _("At least %(years)s years after the end; kept whole so that the chain verifies.")
            % {"years": settings.TAFEL_RETENTION_AUDIT_YEARS},
            _("Append-only and hash-chained; supervisors and the case's mediators read it."),
        ),
    ]
