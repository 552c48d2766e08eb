"""Every write to sessions, their attendees and their answers.

Each service checks, writes, audits (ids only, never names or addresses) and queues its emails
through the outbox in one transaction: an invite exists exactly when the change that caused it
was committed. All messages of a session share the outbox group `session:<uid>`, so a
cancellation never overtakes the invitation it cancels.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseStatus
from cases.permissions import CasePermission, has_case_permission
from cases.selectors import mediator_ids
from doctemplates.models import TemplateKind
from letters.services import by_post, letter_from_template, letter_queue
from mediation.outbox import outbox_enqueue
from mediation.types import User
from parties.models import Participation
from scheduling.invites import Purpose, invite_email, invite_letter, invite_letter_values
from scheduling.models import (
    DURATION_MAX_MINUTES,
    AnswerChannel,
    Attendee,
    Rsvp,
    Session,
    SessionChannel,
    SessionKind,
    SessionStatus,
    whole_second_now,
)
from scheduling.notices import rsvp_notify
from scheduling.rsvp import CHANGED, REMOVED, LinkProblem, RsvpLink
from scheduling.selectors import consent_missing, mediator_double_bookings, needs_consent
from scheduling.services.feeds import feed_stamps_move
from scheduling.times import AMSTERDAM, check_wall_time

SCHEDULE: CasePermission = CasePermission.SCHEDULE_SESSIONS
SCHEDULABLE_STATUSES = (CaseStatus.INTAKE, CaseStatus.SESSIONS)
INVITE_FIELDS = (
    "kind",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "step_free_access",
    "accessibility_notes",
)
TIME_AND_PLACE = ("starts_at", "ends_at", "place", "online_link")
# Who the audit trail says answered (no name: the attendee is the event's target).
ANSWERED_BY: dict[str, str] = {
    AnswerChannel.LINK: "invitee (answer link)",
    AnswerChannel.CALENDAR: "invitee (calendar program)",
    AnswerChannel.PORTAL: "invitee (personal page)",
}


def reminder_lead_time() -> timedelta:
    """How long before a session its reminders go out (TAFEL_REMINDER_HOURS, default 24)."""
    return timedelta(hours=settings.TAFEL_REMINDER_HOURS)


# Checks


def _require_scheduler(actor: User, case: Case) -> None:
    if not has_case_permission(actor, case, SCHEDULE):
        raise PermissionDenied


def _require_schedulable(case: Case) -> None:
    if case.status not in SCHEDULABLE_STATUSES:
        raise ValidationError(
            _("Sessions can be planned only while the case is in intake or in sessions.")
        )
    if case.lead_mediator_id is None:
        raise ValidationError(_("The case has no lead mediator to organise its sessions."))


def _require_planned(session: Session) -> None:
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(
            _("This session is %(status)s: it can no longer change.")
            % {"status": session.get_status_display().lower()}
        )


def _clean_times(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """Refuse DST gaps and doubles, and an end that does not follow the start."""
    check_wall_time(starts_at, field="starts_at")
    check_wall_time(ends_at, field="ends_at")
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=AMSTERDAM)
    if timezone.is_naive(ends_at):
        ends_at = ends_at.replace(tzinfo=AMSTERDAM)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    return starts_at, ends_at


def _clean_place(place: str, online_link: str) -> tuple[str, str]:
    place, online_link = (place or "").strip(), (online_link or "").strip()
    if not place and not online_link:
        raise ValidationError(
            {"place": _("Give a place, or a link for an online session (or both).")}
        )
    return place, online_link


def _refuse_double_booking(
    *,
    users: Iterable[User | None],
    starts_at: datetime,
    ends_at: datetime,
    exclude: Session | None = None,
) -> None:
    """A mediator cannot be in two planned sessions at once, in any case."""
    mediators = [user for user in users if user is not None]
    if not mediators:
        return
    # Lock the mediators' rows: two sessions planned at once for the same mediator wait for
    # each other here, so the second sees the first (SQLite already serialises writers).
    list(User.objects.select_for_update().filter(pk__in=[u.pk for u in mediators]).order_by("pk"))
    clashes = mediator_double_bookings(
        users=mediators, starts_at=starts_at, ends_at=ends_at, exclude=exclude
    )
    if clashes:
        raise ValidationError(
            [ValidationError(message, code="double_booking") for message in clashes]
        )


def _refuse_past_start(starts_at: datetime) -> None:
    """Invites are for what is still ahead; a session that took place is recorded instead."""
    if starts_at < timezone.now():
        raise ValidationError(
            {
                "date": _(
                    "Plan the session for a moment that is still ahead. To record a session "
                    "that took place, use 'Record a session afterwards'."
                )
            },
            code="past",
        )


def _refuse_without_consent(kind: str, participations: Iterable[Participation]) -> None:
    """Joint and group sessions invite only those whose consent or statement is recorded."""
    if not needs_consent(kind):
        return
    missing = [reason for reason in map(consent_missing, participations) if reason]
    if missing:
        raise ValidationError(
            {
                "participations": _(
                    "A joint or group session invites only people whose mediation agreement or "
                    "confidentiality statement is recorded. %(reasons)s"
                )
                % {"reasons": " ".join(missing)}
            },
            code="no_consent",
        )


def _check_participations(
    case: Case, participations: Iterable[Participation]
) -> list[Participation]:
    participations = list(participations)
    for participation in participations:
        if participation.case_id != case.pk or participation.removed_at is not None:
            raise ValidationError(
                {"participations": _("Invite only people who take part in this case.")}
            )
        if participation.consent_withdrawn_on:
            raise ValidationError(
                {
                    "participations": _("%(name)s withdrew their consent and cannot be invited.")
                    % {"name": participation.party.name}
                }
            )
    return participations


def _mediators(case: Case) -> list[User | None]:
    """The case's lead mediator first, then its co-mediators."""
    co_mediators = case.co_mediators.all()
    if case.lead_mediator_id is not None:
        co_mediators = co_mediators.exclude(pk=case.lead_mediator_id)
    return [case.lead_mediator, *co_mediators]


# Sending


def load_attendees(session: Session) -> None:
    """(Re)load the session's attendees with their parties (and keys) and users, in one query."""
    session.__dict__.pop("_prefetched_objects_cache", None)
    attendees = Attendee.objects.select_related("participation__party__key", "user")
    prefetch_related_objects([session], Prefetch("attendees", queryset=attendees))


def queue_message(
    session: Session,
    attendee: Attendee,
    purpose: str,
    sequence: int | None = None,
    stamp: datetime | None = None,
) -> bool:
    """Queue one email to `attendee` (a letter to print for a participant who asked for post);
    the organizer and people without an address get none."""
    if attendee.user_id is not None and attendee.user_id == session.organizer_id:
        return False
    if attendee.removed_at is not None:
        return False
    if attendee.participation is not None and attendee.participation.removed_at is not None:
        return False  # taken off the case since: they hear nothing more about it
    if attendee.participation is not None and not attendee.participation.party.by_email:
        return _queue_letter(session, attendee, purpose)
    if not attendee.email:
        return False
    outbox_enqueue(
        message=invite_email(
            session=session, attendee=attendee, purpose=purpose, sequence=sequence, stamp=stamp
        ),
        purpose=purpose,
        group=f"session:{session.uid}",
        case_id=session.case_id,
    )
    return True


# What a letter by post replaces; a reminder would arrive after the session it reminds of.
LETTER_PURPOSES = (Purpose.INVITE, Purpose.UPDATE, Purpose.CANCEL, Purpose.UNINVITE)


def _queue_letter(session: Session, attendee: Attendee, purpose: str) -> bool:
    """Instead of the email: a letter to print for a participant who asked for post; nothing
    for one who is reached through their representative."""
    participation = attendee.participation
    if participation is None or not by_post(participation) or purpose not in LETTER_PURPOSES:
        return False
    answer_path = ""
    if purpose in (Purpose.INVITE, Purpose.UPDATE):
        answer_path = reverse("scheduling:detail", args=[session.case_id, session.pk])
        answer_path += f"#answer-{attendee.pk}"
    group = f"session:{session.uid}"
    if purpose == Purpose.INVITE:
        # The invitation letter's wording is the organisation's template (issue 22, point 3).
        letter_from_template(
            case=session.case,
            participation=participation,
            purpose=purpose,
            kind=TemplateKind.INVITATION,
            language=participation.page_language,
            values=invite_letter_values(session=session, attendee=attendee),
            group=group,
            answer_path=answer_path,
        )
        return True
    participation.case = session.case  # the letter reads it: not once more per letter
    title, body = invite_letter(session=session, attendee=attendee, purpose=purpose)
    letter_queue(
        participation=participation,
        purpose=purpose,
        title=title,
        body=body,
        group=group,
        answer_path=answer_path,
    )
    return True


def queue_to_all(session: Session, purpose: str) -> int:
    """Queue the message to everyone invited; return how many were queued."""
    load_attendees(session)
    return sum(queue_message(session, attendee, purpose) for attendee in session.attendees.all())


def _lock(session: Session) -> Session:
    locked = Session.objects.select_for_update().select_related("case", "organizer")
    return locked.get(pk=session.pk)


def _reminder_mark(session: Session, now: datetime) -> None:
    # A session that starts within the reminder time needs no reminder after its invite.
    if session.starts_at <= now + reminder_lead_time():
        session.reminder_queued_at = now
    else:
        session.reminder_queued_at = None


def _feeds_move(case: Case, *user_ids: int | None) -> None:
    """Move the calendar feed stamps of the case's mediators, and of `user_ids` (someone
    leaving the case): only their feeds show its sessions. Last, after the audit event."""
    feed_stamps_move(user_ids=[*mediator_ids(case=case), *user_ids])


# Sessions


@transaction.atomic
def session_schedule(
    *,
    case: Case,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    actor: User,
    place: str = "",
    online_link: str = "",
    step_free_access: bool = False,
    accessibility_notes: str = "",
    participations: Iterable[Participation] = (),
) -> Session:
    """Plan a session, invite the chosen participants and the case's mediators.

    Everyone gets an invite of their own, except the lead mediator, who organises.
    """
    _require_scheduler(actor, case)
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("lead_mediator").get(pk=case.pk)
    )
    _require_schedulable(case)
    starts_at, ends_at = _clean_times(starts_at, ends_at)
    _refuse_past_start(starts_at)
    place, online_link = _clean_place(place, online_link)
    participations = _check_participations(case, participations)
    if kind not in SessionKind.values:
        raise ValidationError({"kind": _("Choose the kind of session.")})
    _refuse_without_consent(kind, participations)
    mediators = _mediators(case)
    _refuse_double_booking(users=mediators, starts_at=starts_at, ends_at=ends_at)
    session = Session(
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        step_free_access=step_free_access,
        accessibility_notes=(accessibility_notes or "").strip(),
        organizer=case.lead_mediator,
        created_by=actor,
    )
    _reminder_mark(session, timezone.now())
    session.full_clean()
    session.save()
    now = timezone.now()
    Attendee.objects.bulk_create(
        [Attendee(session=session, participation=p) for p in participations]
        + [
            Attendee(
                session=session,
                user=user,
                # The organizer needs not answer their own invitation.
                rsvp=Rsvp.ACCEPTED if user == case.lead_mediator else Rsvp.NEEDS_ACTION,
                responded_at=now if user == case.lead_mediator else None,
            )
            for user in mediators
        ]
    )
    invites = queue_to_all(session, Purpose.INVITE)
    audit_record(
        action=AuditAction.SESSION_SCHEDULED,
        actor=actor,
        target=session,
        case_id=case.pk,
        details={
            "kind": kind,
            "participations": sorted(p.pk for p in participations),
            "invites": invites,
        },
    )
    feed_stamps_move(user_ids=[user.pk for user in mediators if user is not None])
    return session


@transaction.atomic
def session_reschedule(*, session: Session, actor: User, **changes: Any) -> Session:
    """Change a session's time, place or arrangements and send everyone the new version.

    `changes` holds any of the invite fields (kind, starts_at, ends_at, place, online_link,
    step_free_access, accessibility_notes). A change of time or place asks everyone to answer
    again and makes earlier answer links stop working; the UID stays, SEQUENCE rises.
    """
    session = _lock(session)
    _require_scheduler(actor, session.case)
    _require_planned(session)
    _require_schedulable(session.case)
    unknown = set(changes) - set(INVITE_FIELDS)
    if unknown:
        raise TypeError(f"session_reschedule() cannot change {sorted(unknown)}")
    new = {field: changes.get(field, getattr(session, field)) for field in INVITE_FIELDS}
    new["starts_at"], new["ends_at"] = _clean_times(new["starts_at"], new["ends_at"])
    new["place"], new["online_link"] = _clean_place(new["place"], new["online_link"])
    new["accessibility_notes"] = (new["accessibility_notes"] or "").strip()
    changed = [field for field in INVITE_FIELDS if new[field] != getattr(session, field)]
    if not changed:
        return session
    if "starts_at" in changed:
        _refuse_past_start(new["starts_at"])
    if "kind" in changed:
        invited = session.attendees.active().filter(participation__isnull=False)
        _refuse_without_consent(
            new["kind"], [a.participation for a in invited.select_related("participation__party")]
        )
    mediators = [a.user for a in session.attendees.active().filter(user__isnull=False)]
    _refuse_double_booking(
        users=[session.organizer, *mediators],
        starts_at=new["starts_at"],
        ends_at=new["ends_at"],
        exclude=session,
    )
    for field in changed:
        setattr(session, field, new[field])
    session.sequence += 1
    now = timezone.now()
    if "starts_at" in changed:
        _reminder_mark(session, now)
    session.full_clean()
    session.save()
    if set(changed) & set(TIME_AND_PLACE):
        # The answers were about the old time or place.
        session.attendees.active().exclude(user=session.organizer).update(
            rsvp=Rsvp.NEEDS_ACTION, responded_at=None
        )
    sent = queue_to_all(session, Purpose.UPDATE)
    audit_record(
        action=AuditAction.SESSION_RESCHEDULED,
        actor=actor,
        target=session,
        case_id=session.case_id,
        details={"fields": changed, "sequence": session.sequence, "invites": sent},
    )
    _feeds_move(session.case)
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor: User) -> Session:
    """Cancel a planned session: everyone invited gets a cancellation (METHOD:CANCEL)."""
    session = _cancel(session, actor)
    _feeds_move(session.case)
    return session


def _cancel(session: Session, actor: User) -> Session:
    """session_cancel without moving the feed stamps, for services that cancel several."""
    session = _lock(session)
    _require_scheduler(actor, session.case)
    _require_planned(session)
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    sent = queue_to_all(session, Purpose.CANCEL)
    audit_record(
        action=AuditAction.SESSION_CANCELLED,
        actor=actor,
        target=session,
        case_id=session.case_id,
        details={"sequence": session.sequence, "invites": sent},
    )
    return session


@transaction.atomic
def case_sessions_cancel(*, case: Case, actor: User) -> int:
    """Cancel every planned session of a case that is closing; return how many.

    For the case lifecycle to call when a case closes, in the same transaction.
    """
    planned = Session.objects.filter(case=case, status=SessionStatus.PLANNED)
    count = 0
    for session in planned:
        _cancel(session, actor)
        count += 1
    if count:
        _feeds_move(case)  # once, after every session's audit event
    return count


def _clean_duration(minutes: object) -> int:
    """Whole minutes, from 1 to a day."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError(
            {"duration_minutes": _("Give the duration as a whole number of minutes.")}
        )
    if not 1 <= minutes <= DURATION_MAX_MINUTES:
        raise ValidationError(
            {
                "duration_minutes": _("The duration must be between 1 and %(max)d minutes (a day).")
                % {"max": DURATION_MAX_MINUTES}
            }
        )
    return minutes


def attended_by_default(attendee: Attendee) -> bool:
    """What the mark-held form proposes: everyone still invited who did not decline."""
    return attendee.removed_at is None and attendee.rsvp != Rsvp.DECLINED


@transaction.atomic
def session_mark_held(
    *,
    session: Session,
    actor: User,
    attended: Iterable[Attendee] | None = None,
    duration_minutes: int | None = None,
) -> Session:
    """Record that a planned session took place, who attended and how long it took.

    `attended` are the active attendees who took part (by default those who did not
    decline); the others are recorded as absent. `duration_minutes` defaults to the planned
    length. Nobody is emailed.
    """
    session = _lock(session)
    _require_scheduler(actor, session.case)
    _require_planned(session)
    if session.starts_at > timezone.now():
        raise ValidationError(_("A session can be marked as held only once it has started."))
    duration = _clean_duration(
        session.planned_minutes if duration_minutes is None else duration_minutes
    )
    active = list(session.attendees.active())
    if attended is None:
        present = {a.pk for a in active if attended_by_default(a)}
    else:
        present = {a.pk for a in attended}
        if not present <= {a.pk for a in active}:
            raise ValidationError(
                {"attended": _("Choose only people who were invited to this session.")}
            )
    for attendee in active:
        attendee.attended = attendee.pk in present
    Attendee.objects.bulk_update(active, ["attended"])
    session.status = SessionStatus.HELD
    session.duration_minutes = duration
    session.save(update_fields=["status", "duration_minutes", "updated_at"])
    audit_record(
        action=AuditAction.SESSION_HELD,
        actor=actor,
        target=session,
        case_id=session.case_id,
        details={"attended": sorted(present), "duration_minutes": duration},
    )
    _feeds_move(session.case)
    return session


RECORDABLE_STATUSES = (
    CaseStatus.INTAKE,
    CaseStatus.SESSIONS,
    CaseStatus.AGREEMENT,
    CaseStatus.FOLLOW_UP,
)


@transaction.atomic
def session_record(
    *,
    case: Case,
    kind: str,
    channel: str,
    starts_at: datetime,
    duration_minutes: int,
    actor: User,
    participations: Iterable[Participation],
    mediators: Iterable[User],
    place: str = "",
) -> Session:
    """Record a session after it took place (a phone call, an unplanned meeting).

    It is held at once, with everyone chosen as having attended: no invites, no emails, and
    not in the calendar feeds (it never was an invitation). It needs no place.
    """
    _require_scheduler(actor, case)
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("lead_mediator").get(pk=case.pk)
    )
    if case.status not in RECORDABLE_STATUSES:
        raise ValidationError(
            _("Sessions can be recorded only while the case is open and accepted.")
        )
    if case.lead_mediator_id is None:
        raise ValidationError(_("The case has no lead mediator to organise its sessions."))
    if kind not in SessionKind.values:
        raise ValidationError({"kind": _("Choose the kind of session.")})
    if channel not in SessionChannel.values:
        raise ValidationError({"channel": _("Choose how the session took place.")})
    check_wall_time(starts_at, field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=AMSTERDAM)
    if starts_at > timezone.now():
        raise ValidationError(
            {"date": _("A session can be recorded only once it has taken place.")},
            code="future",
        )
    duration = _clean_duration(duration_minutes)
    participations = _check_participations(case, participations)
    if not participations:
        raise ValidationError({"participations": _("Choose who took part.")})
    mediators = list(mediators)
    case_mediators = [user for user in _mediators(case) if user is not None]
    if not mediators:
        raise ValidationError({"mediators": _("Choose the mediators who took part.")})
    if any(user not in case_mediators for user in mediators):
        raise ValidationError({"mediators": _("Choose only mediators of this case.")})
    session = Session(
        case=case,
        kind=kind,
        channel=channel,
        recorded_afterwards=True,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration),
        duration_minutes=duration,
        place=(place or "").strip(),
        status=SessionStatus.HELD,
        organizer=case.lead_mediator,
        created_by=actor,
        # Nothing to remind anyone of.
        reminder_queued_at=timezone.now(),
    )
    session.full_clean()
    session.save()
    Attendee.objects.bulk_create(
        [Attendee(session=session, participation=p, attended=True) for p in participations]
        + [Attendee(session=session, user=user, attended=True) for user in mediators]
    )
    audit_record(
        action=AuditAction.SESSION_RECORDED,
        actor=actor,
        target=session,
        case_id=case.pk,
        details={
            "kind": kind,
            "channel": channel,
            "duration_minutes": duration,
            "participations": sorted(p.pk for p in participations),
            "mediators": sorted(user.pk for user in mediators),
        },
    )
    return session


# Attendees


@transaction.atomic
def attendee_add(
    *,
    session: Session,
    actor: User,
    participation: Participation | None = None,
    user: User | None = None,
) -> Attendee:
    """Invite one more participant or mediator to a planned session."""
    session = _lock(session)
    _require_scheduler(actor, session.case)
    _require_planned(session)
    if (participation is None) == (user is None):
        raise ValueError("attendee_add() takes a participation or a user")
    if participation is not None:
        _check_participations(session.case, [participation])
        _refuse_without_consent(session.kind, [participation])
        earlier = session.attendees.filter(participation=participation)
    else:
        if user not in _mediators(session.case):
            raise ValidationError(_("Only the case's mediators can be invited as mediators."))
        _refuse_double_booking(
            users=[user], starts_at=session.starts_at, ends_at=session.ends_at, exclude=session
        )
        earlier = session.attendees.filter(user=user)
    if earlier.filter(removed_at__isnull=True).exists():
        raise ValidationError(_("This person is already invited to the session."))
    last_removed = earlier.order_by("-removed_at").values_list("removed_at", flat=True).first()
    attendee = Attendee.objects.create(session=session, participation=participation, user=user)
    if last_removed is not None:
        # They were sent a cancellation at revision sequence + 1; only a later revision of the
        # invitation replaces it in their calendar, so this one is sequence + 2, and its DTSTAMP
        # comes after the cancellation's even within the same second. Everyone gets it, so all
        # answer links stay valid.
        session.sequence += 2
        session.save(update_fields=["sequence", "updated_at"])
        stamp = max(whole_second_now(), last_removed + timedelta(seconds=1))
        # Their next message (a removal) is stamped after this one: see _attendee_take_off.
        Attendee.objects.filter(pk=attendee.pk).update(added_at=stamp)
        load_attendees(session)
        sent = sum(
            queue_message(
                session,
                a,
                Purpose.INVITE if a.pk == attendee.pk else Purpose.UPDATE,
                stamp=stamp if a.pk == attendee.pk else None,
            )
            for a in session.attendees.all()
        )
    else:
        load_attendees(session)
        attendee = next(a for a in session.attendees.all() if a.pk == attendee.pk)
        sent = int(queue_message(session, attendee, Purpose.INVITE))
    audit_record(
        action=AuditAction.ATTENDEE_ADDED,
        actor=actor,
        target=attendee,
        case_id=session.case_id,
        details={
            "session": session.pk,
            "participation": participation.pk if participation else None,
            "user": user.pk if user else None,
            "invites": sent,
        },
    )
    _feeds_move(session.case, user.pk if user else None)
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: Attendee, actor: User) -> Attendee:
    """Take someone off a planned session; only they get a cancellation."""
    session = _lock(attendee.session)
    _require_scheduler(actor, session.case)
    attendee = _attendee_take_off(attendee=attendee, session=session, actor=actor)
    _feeds_move(session.case, attendee.user_id)
    return attendee


def _attendee_take_off(*, attendee: Attendee, session: Session, actor: User) -> Attendee:
    """attendee_remove without its permission check and without moving the feed stamps, for
    services that do both themselves."""
    _require_planned(session)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk, session=session)
    if attendee.removed_at is not None:
        raise ValidationError(_("This person was already removed from the session."))
    if attendee.user_id is not None and attendee.user_id == session.organizer_id:
        raise ValidationError(_("The organizer cannot be removed from their own session."))
    load_attendees(session)
    # Their copy is cancelled by a revision above the one they hold. The session's own revision
    # stays, so the other invitees' answer links keep working.
    # The cancellation's DTSTAMP, after the invitation's even within the same second: a
    # client tells the newer of two messages with one SEQUENCE by it. The invitation was
    # stamped when it was built, which may be this very second (after `added_at`), so the
    # cancellation takes the next whole second at the earliest.
    removed_at = max(
        whole_second_now() + timedelta(seconds=1),
        attendee.added_at.replace(microsecond=0) + timedelta(seconds=1),
    )
    sent = int(
        queue_message(
            session, attendee, Purpose.UNINVITE, sequence=session.sequence + 1, stamp=removed_at
        )
    )
    attendee.removed_at = removed_at
    attendee.save(update_fields=["removed_at"])
    audit_record(
        action=AuditAction.ATTENDEE_REMOVED,
        actor=actor,
        target=attendee,
        case_id=session.case_id,
        details={"session": session.pk, "invites": sent},
    )
    return attendee


@transaction.atomic
def attendances_end(
    *,
    case: Case,
    actor: User,
    participation: Participation | None = None,
    user: User | None = None,
) -> int:
    """Take someone leaving the case off its planned sessions; each gets a cancellation.

    For `participation_remove` and `case_assign` to call before the person leaves the case,
    in the same transaction; their permission checks cover this (a supervisor assigns
    mediators but does not schedule). Returns how many sessions they were taken off.
    """
    attendances = Attendee.objects.active().filter(
        session__case=case, session__status=SessionStatus.PLANNED
    )
    if participation is not None:
        attendances = attendances.filter(participation=participation)
    elif user is not None:
        attendances = attendances.filter(user=user).exclude(session__organizer=user)
    else:
        raise ValueError("attendances_end() takes a participation or a user")
    count = 0
    for attendee in attendances.select_related("session"):
        _attendee_take_off(attendee=attendee, session=_lock(attendee.session), actor=actor)
        count += 1
    if count:
        _feeds_move(case, user.pk if user else None)  # once, after every audit event
    return count


@transaction.atomic
def rsvp_record(*, link: RsvpLink, answer: str) -> Attendee:
    """Record an invitee's answer, given through their signed link (no account)."""
    return _answer_save(
        attendee_id=link.attendee.pk,
        sequence=link.sequence,
        answer=answer,
        via=AnswerChannel.LINK,
    )


@transaction.atomic
def rsvp_record_from_calendar(*, attendee: Attendee, sequence: int, answer: str) -> Attendee:
    """Record an answer pressed in the invitee's calendar program (an iTIP REPLY that
    `scheduling.replies` matched to them): the same checks, audit and notice as a link."""
    return _answer_save(
        attendee_id=attendee.pk, sequence=sequence, answer=answer, via=AnswerChannel.CALENDAR
    )


@transaction.atomic
def rsvp_record_from_portal(*, attendee: Attendee, answer: str) -> Attendee:
    """Record an answer changed on the participant's personal page (`portal`): the same
    checks, audit and notice as a link, for the session as it is now."""
    return _answer_save(
        attendee_id=attendee.pk,
        sequence=attendee.session.sequence,
        answer=answer,
        via=AnswerChannel.PORTAL,
    )


@transaction.atomic
def rsvp_record_by_mediator(*, attendee: Attendee, answer: str, actor: User) -> Attendee:
    """Record the answer a participant gave by letter or by phone (issue 22: parties who hear
    from us by post): the same checks and notice as a link, audited as the mediator's act."""
    _require_scheduler(actor, attendee.session.case)
    if attendee.participation_id is None:
        raise ValidationError(_("Only a participant's answer can be recorded here."))
    return _answer_save(
        attendee_id=attendee.pk,
        sequence=attendee.session.sequence,
        answer=answer,
        via=AnswerChannel.MEDIATOR,
        actor=actor,
    )


def _answer_save(
    *, attendee_id: int, sequence: int, answer: str, via: str, actor: User | None = None
) -> Attendee:
    if answer not in (Rsvp.ACCEPTED, Rsvp.TENTATIVE, Rsvp.DECLINED):
        raise ValidationError(_("Choose whether you come, may come, or do not come."))
    attendee = Attendee.objects.select_for_update().select_related("session").get(pk=attendee_id)
    # The session may have changed since the link was opened: check again under the lock.
    if attendee.removed_at is not None:
        raise LinkProblem(REMOVED, status=410)
    if attendee.session.sequence != sequence or not attendee.session.is_planned:
        raise LinkProblem(CHANGED, status=410)
    previous = attendee.rsvp
    attendee.rsvp = answer
    attendee.responded_at = timezone.now()
    attendee.responded_via = via
    attendee.save(update_fields=["rsvp", "responded_at", "responded_via"])
    audit_record(
        action=AuditAction.RSVP_RECORDED,
        actor=actor,
        actor_label="" if actor is not None else ANSWERED_BY[via],
        target=attendee,
        case_id=attendee.session.case_id,
        details={
            "session": attendee.session_id,
            "answer": answer,
            "sequence": sequence,
            "via": via,
        },
    )
    rsvp_notify(attendee=attendee, previous=previous, actor=actor)
    return attendee


def case_sessions_destroy(*, case: Case) -> int:
    """Delete the case's sessions, their attendees and history, when its dossier is destroyed
    (the dossier app's destruction list checks the approval and audits). No email: a case whose
    retention ended has no planned sessions. Returns how many sessions went."""
    mediators = mediator_ids(case=case)
    Attendee.objects.filter(session__case=case).delete()
    count, _ = Session.objects.filter(case=case).delete()
    feed_stamps_move(user_ids=mediators)
    return count
