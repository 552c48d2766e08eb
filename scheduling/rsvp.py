"""Signed answer links: a party answers an invite without an account.

The signed payload names the attendee, the session's UID and the revision (SEQUENCE) of the
invite it came with, and when it stops working (the end of the session). Changing any of them
breaks the signature, so a link cannot be turned into an answer for another attendee or
session; a link from before a change of time or place no longer answers for the new one.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.models import Attendee, SessionStatus

RSVP_SALT = "tafel.scheduling.rsvp.v1"


def rsvp_token(attendee: Attendee, *, sequence: int) -> str:
    """A signed token for `attendee`'s answer to revision `sequence` of their session."""
    session = attendee.session
    payload = {
        "a": attendee.pk,
        "u": str(session.uid),
        "s": sequence,
        "e": int(session.ends_at.timestamp()),
    }
    return signing.dumps(payload, salt=RSVP_SALT)


class LinkProblem(Exception):
    """The link cannot be used; `message` tells the visitor why, in plain words."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


BROKEN = _(
    "This link is not complete or was changed. Open it again from the invitation email, or "
    "copy the whole link into your browser."
)
EXPIRED = _("This session is over, so answers to its invitation are closed.")
CHANGED = _(
    "The session was changed after this invitation was sent. Please answer with the links in "
    "the newest invitation email."
)
CANCELLED = _("This session was cancelled. There is nothing to answer any more.")
REMOVED = _("You are no longer invited to this session.")
HELD = _("This session has already taken place.")


@dataclass(frozen=True)
class RsvpLink:
    attendee: Attendee
    sequence: int


def rsvp_open(token: str) -> RsvpLink:
    """Check a token and return the attendee it answers for, or raise LinkProblem."""
    try:
        payload = signing.loads(token, salt=RSVP_SALT)
        attendee_id, uid, sequence, expires = (payload[k] for k in ("a", "u", "s", "e"))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkProblem(BROKEN) from None
    attendee = (
        Attendee.objects.select_related(
            "session__case", "session__organizer", "participation__party", "user"
        )
        .filter(pk=attendee_id, session__uid=uid)
        .first()
    )
    if attendee is None:
        raise LinkProblem(REMOVED, status=404)
    session = attendee.session
    if session.status == SessionStatus.CANCELLED:
        raise LinkProblem(CANCELLED, status=410)
    if attendee.removed_at is not None or (
        attendee.participation is not None and attendee.participation.removed_at is not None
    ):
        raise LinkProblem(REMOVED, status=410)
    if session.status == SessionStatus.HELD:
        raise LinkProblem(HELD, status=410)
    if timezone.now().timestamp() > expires or timezone.now() > session.ends_at:
        raise LinkProblem(EXPIRED, status=410)
    if sequence != session.sequence:
        raise LinkProblem(CHANGED, status=410)
    return RsvpLink(attendee=attendee, sequence=sequence)
