"""Reading sessions: a case's sessions, overlaps, and a mediator's calendar feed."""

import hashlib
from datetime import datetime

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from scheduling.models import Attendee, CalendarFeed, Session, SessionStatus


def session_list(*, case) -> QuerySet[Session]:
    """The case's sessions, earliest first, with their active attendees."""
    attendees = Attendee.objects.active().select_related("participation__party", "user")
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
        session.attendees.select_related("participation__party", "user")
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
    on_case = Q(case__lead_mediator=user) | Q(case__co_mediators=user)
    invited = Q(organizer=user) | Q(attendees__user=user, attendees__removed_at__isnull=True)
    return on_case & invited


def feed_sessions(*, user) -> list[Session]:
    """The sessions of a mediator's feed: planned and held, of cases they are still on."""
    return list(
        Session.objects.filter(_mine(user), status__in=[SessionStatus.PLANNED, SessionStatus.HELD])
        .select_related("case", "organizer")
        .distinct()
        .order_by("starts_at", "id")
    )


def feed_version(*, user, sessions: list[Session], language: str) -> tuple[str, datetime | None]:
    """An ETag over what the feed shows, and when any of the mediator's sessions last changed.

    Cancelled sessions count for Last-Modified too: their leaving the feed is a change.
    """
    parts = [language] + [
        f"{s.pk}:{s.sequence}:{s.status}:{s.updated_at.isoformat()}" for s in sessions
    ]
    etag = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    last = Session.objects.filter(_mine(user)).aggregate(last=Max("updated_at"))["last"]
    return f'"{etag}"', last
