"""Sessions of a case, the people invited to them, and the mediators' calendar feeds.

Every write goes through `scheduling.services`; invites and reminders leave through the outbox.
"""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.validators import validate_free_text

if TYPE_CHECKING:
    from mediation.types import User

PLACE_MAX_LENGTH = 500
NOTES_MAX_LENGTH = 2000


class SessionKind(models.TextChoices):
    INTAKE = "intake", _("Individual intake")
    JOINT = "joint", _("Joint session")
    GROUP = "group", _("Group session")


class SessionChannel(models.TextChoices):
    """How a session recorded after the fact took place."""

    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


# A session lasts at least a minute and at most a day.
DURATION_MAX_MINUTES = 24 * 60


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    """A meeting of a case: when, where, and who is invited (see Attendee)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind of session"), max_length=20, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.TextField(
        _("place"),
        max_length=PLACE_MAX_LENGTH,
        blank=True,
        validators=[validate_free_text],
        help_text=_("Address and room. Shown in the invites. Leave empty for an online session."),
    )
    online_link = models.URLField(
        _("online link"),
        max_length=PLACE_MAX_LENGTH,
        blank=True,
        help_text=_("The video call link, for an online session. Shown in the invites."),
    )
    step_free_access = models.BooleanField(
        _("step-free access"),
        default=False,
        help_text=_("The place can be reached without steps. Shown in the invites."),
    )
    accessibility_notes = models.TextField(
        _("practical arrangements"),
        max_length=NOTES_MAX_LENGTH,
        blank=True,
        validators=[validate_free_text],
        help_text=_(
            "Shown in every invite, e.g. 'Entrance at the side, lift to the second floor'. "
            "No names, health details or anything said in the mediation."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
        db_index=True,
    )
    uid = models.UUIDField(
        _("calendar UID"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Identifies the session in every calendar; never changes."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("Raised on every change sent to the invitees (iCalendar SEQUENCE)."),
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_sessions",
        help_text=_("The case's lead mediator when the session was planned."),
    )
    reminder_queued_at = models.DateTimeField(
        _("reminder queued at"),
        null=True,
        blank=True,
        help_text=_("When the reminders were queued; empty until then, and again after a move."),
    )
    recorded_afterwards = models.BooleanField(
        _("recorded afterwards"),
        default=False,
        help_text=_(
            "Recorded after it took place (a phone call, an unplanned meeting): no invites were "
            "sent, and it needs no place."
        ),
    )
    channel = models.CharField(
        _("how it took place"),
        max_length=20,
        choices=SessionChannel.choices,
        blank=True,
        help_text=_("For a session recorded afterwards: in person, by video call or by phone."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration in minutes"),
        null=True,
        blank=True,
        help_text=_(
            "How long the session took, recorded when it was marked as held; the contact hours "
            "add these up. Empty while it is planned."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            # The sessions of a mediator's cases in a window (their home, to-do list): read
            # from their few cases, not from a status or a date that every case shares.
            models.Index(fields=["case", "status", "starts_at"], name="session_case_window_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                # A session recorded afterwards (a phone call) may have neither.
                condition=~models.Q(place="")
                | ~models.Q(online_link="")
                | models.Q(recorded_afterwards=True),
                name="session_has_place_or_link",
                violation_error_message=_(
                    "Give a place, or a link for an online session (or both)."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__isnull=True)
                | models.Q(duration_minutes__gte=1, duration_minutes__lte=DURATION_MAX_MINUTES),
                name="session_duration_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_planned(self) -> bool:
        return self.status == SessionStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == SessionStatus.HELD

    @property
    def planned_minutes(self) -> int:
        """The planned length in whole minutes (at least one)."""
        return max(1, int((self.ends_at - self.starts_at).total_seconds() // 60))


class Rsvp(models.TextChoices):
    NEEDS_ACTION = "needs-action", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    TENTATIVE = "tentative", _("Tentative")
    DECLINED = "declined", _("Declined")


class AnswerChannel(models.TextChoices):
    """How an invitee gave their answer."""

    LINK = "link", _("the answer link in the email")
    CALENDAR = "calendar", _("their calendar program")
    PORTAL = "portal", _("their personal page")
    MEDIATOR = "mediator", _("a letter or a call, recorded by the mediator")


class AttendeeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Attendee(models.Model):
    """Someone invited to a session: a participant of the case, or one of its mediators."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendees"
    )
    participation = models.ForeignKey(
        "parties.Participation",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    rsvp = models.CharField(
        _("answer"), max_length=20, choices=Rsvp.choices, default=Rsvp.NEEDS_ACTION
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_via = models.CharField(
        _("answered with"),
        max_length=10,
        choices=AnswerChannel.choices,
        blank=True,
        help_text=_("The answer link in the email, or the buttons of their calendar program."),
    )
    attended = models.BooleanField(
        _("attended"),
        null=True,
        blank=True,
        help_text=_("Whether they took part, recorded when the session is marked as held."),
    )
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        help_text=_("Removed attendees were sent a cancellation; their answer links stop working."),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participation__isnull=False, user__isnull=True)
                | models.Q(participation__isnull=True, user__isnull=False),
                name="attendee_is_participant_or_mediator",
            ),
            models.UniqueConstraint(
                fields=["session", "participation"],
                condition=models.Q(removed_at__isnull=True, participation__isnull=False),
                name="one_active_attendance_per_participant",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(removed_at__isnull=True, user__isnull=False),
                name="one_active_attendance_per_mediator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.display_name}"

    @property
    def mediator(self) -> "User":
        """The user of an attendee who is no participant (one of the two, by a constraint)."""
        if self.user is None:
            raise ValueError(f"attendee {self.pk} is neither a participant nor a mediator")
        return self.user

    @property
    def display_name(self) -> str:
        if self.participation is not None:
            return self.participation.party.name
        return self.mediator.get_full_name() or self.mediator.get_username()

    @property
    def email(self) -> str:
        """The address invites go to; empty when there is none."""
        if self.participation is not None:
            return self.participation.party.email
        return self.mediator.email

    @property
    def language(self) -> str:
        """Invites speak Dutch or English; any other preference gets Dutch."""
        if self.participation is not None:
            preferred = self.participation.party.preferred_language
            return preferred if preferred in ("nl", "en") else "nl"
        return settings.LANGUAGE_CODE


def whole_second_now() -> datetime:
    """Now, in whole seconds: HTTP dates (Last-Modified) have no finer resolution."""
    return timezone.now().replace(microsecond=0)


class CalendarFeed(models.Model):
    """A mediator's private calendar URL. Knowing the token is enough to read it.

    Only the token's SHA-256 is stored: a copy of the database does not open anyone's feed. The
    URL is shown once, when it is made; a lost URL is replaced by a new one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(
        _("token hash"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the secret in the feed's URL; a new URL replaces the old one."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The version stamp (scheduling.services.feeds): the services that change what the feed
    # shows raise it in the same transaction, so the stored copy and the ETag follow it.
    version = models.PositiveBigIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Raised with every change that the feed shows; its stored copy follows it."),
    )
    changed_at = models.DateTimeField(
        _("changed at"),
        default=whole_second_now,
        editable=False,
        help_text=_(
            "When the version was last raised, in whole seconds and at least one second after "
            "the time before: the feed's Last-Modified."
        ),
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class CalendarFeedCopy(models.Model):
    """A feed's iCalendar text as last written, in one language, for one version stamp.

    Kept in the database, not in a process: every app process serves the same copy, and a
    copy written for an older version is never served (scheduling.services.feeds).
    """

    feed = models.ForeignKey(
        CalendarFeed,
        verbose_name=_("calendar feed"),
        on_delete=models.CASCADE,
        related_name="copies",
    )
    language = models.CharField(
        _("language"), max_length=10, help_text=_("The language the feed was written in.")
    )
    version = models.PositiveBigIntegerField(
        _("version"), help_text=_("The feed's version stamp that this text was written for.")
    )
    recipe = models.CharField(
        _("recipe"),
        max_length=64,
        help_text=_(
            "SHA-256 of what the text depends on besides the sessions: the names and words it "
            "shows, the sender's address and the format."
        ),
    )
    organizer_ids = models.JSONField(
        _("organizers"),
        default=list,
        help_text=_("Ids of the organizers the text names, to notice a changed name."),
    )
    body = models.BinaryField(_("iCalendar text"))
    written_at = models.DateTimeField(_("written at"), auto_now=True)

    class Meta:
        verbose_name = _("stored calendar feed")
        verbose_name_plural = _("stored calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["feed", "language"], name="one_copy_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.feed} ({self.language}, version {self.version})"
