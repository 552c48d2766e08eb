"""Reading sessions: a case's sessions and history, overlaps, contact hours, and a mediator's
calendar feed."""

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from cases.models import Case
from parties.models import Participation
from scheduling.models import (
    Attendee,
    CalendarFeed,
    CalendarFeedCopy,
    Session,
    SessionKind,
    SessionStatus,
)
from scheduling.times import AMSTERDAM

# Kinds of session that bring parties together: only those who signed may be invited (rule 7b).
CONSENT_KINDS = (SessionKind.JOINT, SessionKind.GROUP)


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


@dataclass
class SessionHistory:
    """A case's sessions in two groups: upcoming (soonest first) and past (newest first).

    Past holds held and cancelled sessions (a cancelled one also when its date was still
    ahead), and planned ones that are over but were not yet marked as held
    (`session.is_planned` tells them apart).
    """

    upcoming: list[Session] = field(default_factory=list)
    past: list[Session] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.upcoming or self.past)


def session_history(*, case, now: datetime | None = None) -> SessionHistory:
    """Every session of the case, upcoming and past, with their active attendees; two queries."""
    now = now or timezone.now()
    history = SessionHistory()
    for session in session_list(case=case):
        if session.status == SessionStatus.PLANNED and session.ends_at > now:
            history.upcoming.append(session)
        else:
            history.past.append(session)
    history.past.sort(key=lambda s: (s.starts_at, s.pk), reverse=True)
    return history


def contact_minutes_for_case(*, case) -> int:
    """Minutes of contact in the case: the recorded durations of its held sessions."""
    total = Session.objects.filter(case=case, status=SessionStatus.HELD).aggregate(
        minutes=Sum("duration_minutes")
    )["minutes"]
    return total or 0


def contact_minutes_per_mediator(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    user_ids: Iterable[int] | None = None,
) -> dict[int, int]:
    """Minutes of contact per mediator (user id): held sessions they attended, in any case.

    A session counts in the period it started in: `since` <= start < `until` (either open).
    One query, whatever the number of sessions or mediators.
    """
    attended = Attendee.objects.active().filter(
        user__isnull=False, attended=True, session__status=SessionStatus.HELD
    )
    if since is not None:
        attended = attended.filter(session__starts_at__gte=since)
    if until is not None:
        attended = attended.filter(session__starts_at__lt=until)
    if user_ids is not None:
        attended = attended.filter(user_id__in=list(user_ids))
    rows = (
        attended.order_by()
        .values("user_id")
        .annotate(minutes=Sum("session__duration_minutes"))
        .values_list("user_id", "minutes")
    )
    return {user_id: minutes or 0 for user_id, minutes in rows}


def consent_missing(participation: Participation) -> str:
    """Why this participant may not be invited to a joint or group session, or "".

    A party needs its mediation agreement (informed consent), anyone else their
    confidentiality statement; a withdrawn consent counts as none.
    """
    name = participation.party.name
    if participation.is_party:
        if participation.consent_withdrawn_on:
            return _("%(name)s withdrew their consent.") % {"name": name}
        if not participation.consent_signed_on:
            return _("%(name)s: no signed mediation agreement is recorded.") % {"name": name}
    elif not participation.confidentiality_signed_on:
        return _("%(name)s: no confidentiality statement is recorded.") % {"name": name}
    return ""


def needs_consent(kind: str) -> bool:
    """Joint and group sessions invite only those who signed; an intake is exempt."""
    return kind in CONSENT_KINDS


def step_free_needed(*, participations: Iterable[Participation]) -> list[str]:
    """Names of participants who need step-free access (the party's recorded need)."""
    return sorted({p.party.name for p in participations if p.party.needs_step_free_access})


def _span(starts_at: datetime, ends_at: datetime) -> dict[str, str]:
    start = timezone.localtime(starts_at, AMSTERDAM)
    end = timezone.localtime(ends_at, AMSTERDAM)
    return {
        "date": date_format(start.date(), "j F Y"),
        "start": time_format(start.time(), "H:i"),
        "end": time_format(end.time(), "H:i"),
    }


def mediator_double_bookings(
    *,
    users: Iterable[AbstractUser | None],
    starts_at: datetime,
    ends_at: datetime,
    exclude: Session | None = None,
) -> list[str]:
    """A message for each mediator who already has a planned session at that time, any case."""
    mediators = list({user.pk: user for user in users if user is not None}.values())
    if not mediators:
        return []
    overlapping = Session.objects.filter(
        status=SessionStatus.PLANNED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    messages = []
    for user in mediators:
        clash = (
            overlapping.filter(
                Q(organizer=user) | Q(attendees__user=user, attendees__removed_at__isnull=True)
            )
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            messages.append(
                _(
                    "%(name)s already has a session on %(date)s from %(start)s to %(end)s. "
                    "A mediator cannot be in two sessions at once."
                )
                % {
                    "name": user.get_full_name() or user.get_username(),
                    **_span(clash.starts_at, clash.ends_at),
                }
            )
    return messages


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


def mediator_sessions(
    *,
    user,
    since: datetime | None = None,
    until: datetime | None = None,
    statuses: Iterable[str] = (SessionStatus.PLANNED, SessionStatus.HELD),
) -> QuerySet[Session]:
    """Sessions of the cases a mediator is on, that they organise or attend, earliest first.

    For a home page: `since`/`until` bound the start; each comes with its case. Two queries
    with the attendees (prefetched as `active_attendees`), whatever the number of sessions.
    """
    attendees = Attendee.objects.active().select_related("participation__party__key", "user")
    sessions = (
        Session.objects.filter(_mine(user), status__in=list(statuses))
        .select_related("case")
        .prefetch_related(Prefetch("attendees", queryset=attendees, to_attr="active_attendees"))
        .order_by("starts_at", "id")
    )
    if since is not None:
        sessions = sessions.filter(starts_at__gte=since)
    if until is not None:
        sessions = sessions.filter(starts_at__lt=until)
    return sessions


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
        # A session recorded afterwards was never an invitation: it would appear in calendars
        # after it took place, with no place. The case's session history shows it.
        .exclude(recorded_afterwards=True)
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
