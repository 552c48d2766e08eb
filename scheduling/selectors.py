"""Reading sessions: a case's sessions, overlaps, and a mediator's calendar feed."""

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.models import Case
from scheduling.models import Attendee, CalendarFeed, CalendarFeedCopy, Session, SessionStatus


def session_list(*, case) -> QuerySet[Session]:
    """The case's sessions, earliest first, with their active attendees."""
    attendees = Attendee.objects.active().select_related("participation__party__key", "user")
    return (
        Session.objects.filter(case=case)
        .select_related("organizer")
        .prefetch_related(Prefetch("attendees", queryset=attendees, to_attr="active_attendees"))
    )


def upcoming_sessions(*, case, now: datetime | None = None) -> QuerySet[Session]:
    """Planned sessions of the case that have not ended yet: what the case page shows."""
    now = now or timezone.now()
    return session_list(case=case).filter(status=SessionStatus.PLANNED, ends_at__gt=now)


def session_for_case(*, case, session_id) -> Session:
    """One session of this case, or Session.DoesNotExist (an id from another case too)."""
    return Session.objects.select_related("case", "organizer").get(pk=session_id, case=case)


def attendee_list(*, session: Session) -> QuerySet[Attendee]:
    """Everyone invited, mediators last; removed attendees after the others."""
    return (
        session.attendees.select_related("participation__party__key", "user")
        .order_by("removed_at", "user_id", "added_at", "id")
        .distinct()
    )


def party_overlaps(
    *, participations, starts_at: datetime, ends_at: datetime, exclude: Session | None = None
) -> list[str]:
    """Names of parties (the same record) invited to another planned session at that time.

    Only a warning: a party may well be in two cases, and the mediators decide.
    """
    party_ids = {p.party_id for p in participations}
    if not party_ids:
        return []
    clashes = Attendee.objects.active().filter(
        participation__party_id__in=party_ids,
        session__status=SessionStatus.PLANNED,
        session__starts_at__lt=ends_at,
        session__ends_at__gt=starts_at,
    )
    if exclude is not None:
        clashes = clashes.exclude(session=exclude)
    clashing = set(clashes.values_list("participation__party_id", flat=True))
    return sorted({p.party.name for p in participations if p.party_id in clashing})


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed that `token` opens, or None (a revoked or unknown token)."""
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return CalendarFeed.objects.select_related("user").filter(token_hash=digest).first()


def _mine(user) -> Q:
    """Sessions of cases the user is a mediator of, that they organise or are invited to.

    The cases as one IN over a UNION: PostgreSQL cannot use an index for an OR of two IN
    subqueries, and read every session of every case (53 ms for a feed at 20k cases, 1 ms
    now). Subqueries, not joins: joining co-mediators and attendees repeats each session, and
    removing the repeats takes a DISTINCT over every column.
    """
    led = Case.objects.filter(lead_mediator=user).order_by().values("pk")
    co_mediated = Case.co_mediators.through.objects.filter(user=user).order_by().values("case_id")
    invited = Attendee.objects.active().filter(session=OuterRef("pk"), user=user)
    return Q(case__in=led.union(co_mediated)) & (Q(organizer=user) | Q(Exists(invited)))


@dataclass(frozen=True, slots=True)
class FeedSession:
    """What a mediator's feed shows of one session (scheduling.feed)."""

    pk: int
    uid: uuid.UUID
    sequence: int
    status: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    place: str
    online_link: str
    reference: str  # the case's
    organizer_id: int
    organizer: AbstractUser


# FeedSession's fields but the organizer, in its order, as the query names them.
_FEED_FIELDS = (
    "pk",
    "uid",
    "sequence",
    "status",
    "kind",
    "starts_at",
    "ends_at",
    "updated_at",
    "place",
    "online_link",
    "case__reference",
    "organizer_id",
)


def feed_sessions(*, user: AbstractUser) -> list[FeedSession]:
    """The sessions of a mediator's feed: planned and held, of cases they are still on.

    Plain rows, not model instances: a feed holds hundreds of sessions, and making a session,
    its case and its organizer for each would take most of the request. Two queries.
    """
    rows = list(
        Session.objects.filter(_mine(user))
        # Planned and held: every status but cancelled. An exclusion, so that SQLite (which
        # keeps no statistics) finds the sessions by their cases, not by a status that most
        # sessions have.
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at", "id")
        .values_list(*_FEED_FIELDS)
    )
    organizer_ids = {row[-1] for row in rows}
    by_pk = {u.pk: u for u in feed_organizers(ids=organizer_ids)} if rows else {}
    names = [field.name for field in fields(FeedSession) if field.name != "organizer"]
    return [
        FeedSession(organizer=by_pk[row[-1]], **dict(zip(names, row, strict=True))) for row in rows
    ]


def feed_copy(*, feed: CalendarFeed, language: str) -> CalendarFeedCopy | None:
    """The feed's stored text in `language`, whatever version it was written for, or None."""
    return CalendarFeedCopy.objects.filter(feed=feed, language=language).first()


def feed_organizers(*, ids: Iterable[int]) -> list[AbstractUser]:
    """The users with these ids, with only what an event's ORGANIZER shows of them."""
    users = get_user_model().objects.only("username", "first_name", "last_name")
    return list(users.filter(pk__in=list(ids)))
