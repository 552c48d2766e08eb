"""Notices to the case's mediators about answers to invites (see cases.notices)."""

from django.urls import reverse

from cases.notices import notice_to_mediators
from mediation.models import NoticeKind
from mediation.types import User
from scheduling.models import Attendee, Rsvp


def rsvp_notify(*, attendee: Attendee, previous: str, actor: User | None = None) -> None:
    """A party declined a session: tell the case's mediators (once, not on a repeated answer).

    The notice names no party and no session place or time: only the case and a link to the
    session page, where a mediator sees who declined.
    """
    if attendee.rsvp != Rsvp.DECLINED or previous == Rsvp.DECLINED:
        return
    if attendee.participation_id is None:
        return  # a mediator's own answer is no news to the mediators
    session = attendee.session
    notice_to_mediators(
        case=session.case,
        kind=NoticeKind.PARTY_DECLINED,
        link_path=reverse("scheduling:detail", args=[session.case_id, session.pk]),
        actor=actor,  # a mediator who recorded the answer knows it already
    )
