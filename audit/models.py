"""The audit trail: append-only, hash-chained events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.chain import ChainValues, canonical_timestamp

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    """What happened. Later capabilities add their own actions here."""

    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOGOUT = "auth.logout", _("Logged out")
    LOGOUT_IDLE = "auth.logout_idle", _("Signed out after inactivity")
    AUDIT_EXPORTED = "audit.exported", _("Audit trail exported")
    SETTINGS_CHANGED = "account.settings_changed", _("Own settings changed")
    CASE_REFERRED = "case.referred", _("Case referred")
    CASE_TRANSITION = "case.transition", _("Case status changed")
    CASE_ASSIGNED = "case.assigned", _("Mediators assigned")
    CASE_PERMISSION_GRANTED = "case.permission_granted", _("Case access granted")
    CASE_PERMISSION_REVOKED = "case.permission_revoked", _("Case access revoked")
    CONFLICT_DECLARED = "case.conflict_declared", _("Conflict of interest declared")
    CONFLICT_ACCEPTED = "case.conflict_accepted", _("Disclosed conflict accepted by parties")
    PARTICIPANT_ADDED = "party.added", _("Participant added")
    PARTICIPANT_CHANGED = "party.changed", _("Participant changed")
    PARTICIPANT_REMOVED = "party.removed", _("Participant removed")
    PARTICIPANT_RESTORED = "party.restored", _("Participant restored")
    CONSENT_RECORDED = "party.consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "party.consent_withdrawn", _("Consent withdrawn")
    NOTE_WRITTEN = "note.written", _("Note written")
    NOTE_READ = "note.read", _("Note read")
    NOTE_EDITED = "note.edited", _("Note edited")
    NOTE_DELETED = "note.deleted", _("Note deleted")
    NOTE_OPEN_FAILED = "note.open_failed", _("Note could not be opened")
    CASE_KEY_DESTROYED = "case.key_destroyed", _("Case data key destroyed")
    KEYS_ROTATED = "keys.rotated", _("Master keys rotated")
    OUTBOX_RESENT = "outbox.resent", _("Failed email sent again")
    SESSION_SCHEDULED = "session.scheduled", _("Session scheduled")
    SESSION_RESCHEDULED = "session.rescheduled", _("Session changed")
    SESSION_CANCELLED = "session.cancelled", _("Session cancelled")
    SESSION_HELD = "session.held", _("Session marked as held")
    SESSION_RECORDED = "session.recorded", _("Session recorded afterwards")
    ATTENDEE_ADDED = "session.attendee_added", _("Attendee invited")
    ATTENDEE_REMOVED = "session.attendee_removed", _("Attendee removed from a session")
    RSVP_RECORDED = "session.rsvp", _("Answer to an invite recorded")
    REMINDERS_QUEUED = "session.reminders_queued", _("Session reminders queued")
    FEED_CREATED = "feed.created", _("Calendar feed URL made")
    FEED_REVOKED = "feed.revoked", _("Calendar feed URL revoked")
    AGREEMENT_WRITTEN = "agreement.written", _("Agreement written or changed")
    AGREEMENT_READ = "agreement.read", _("Agreement read")
    AGREEMENT_OPEN_FAILED = "agreement.open_failed", _("Agreement could not be opened")
    ACTION_ADDED = "agreement.action_added", _("Action added to the agreement")
    ACTION_CHANGED = "agreement.action_changed", _("Action of the agreement changed")
    ACTION_REMOVED = "agreement.action_removed", _("Action removed from the agreement")
    APPROVAL_RECORDED = "agreement.approval_recorded", _("Party's approval recorded")
    APPROVAL_LINK_MADE = "agreement.approval_link_made", _("Approval link made")
    APPROVAL_LINK_SENT = "agreement.approval_link_sent", _("Approval link sent")
    APPROVAL_LINK_OPENED = "agreement.approval_link_opened", _("Approval link opened")
    FOLLOW_UP_DATE_SET = "agreement.follow_up_date_set", _("Follow-up date set")
    FOLLOW_UP_SCHEDULED = "agreement.follow_up_scheduled", _("Follow-up reminder queued")
    FOLLOW_UP_WITHDRAWN = "agreement.follow_up_withdrawn", _("Follow-up reminder withdrawn")
    ACTION_REVIEWED = "agreement.action_reviewed", _("Action reviewed at follow-up")
    SUMMARY_WRITTEN = "summary.written", _("Summary for the referrer written")
    SUMMARY_CONSENT_RECORDED = "summary.consent_recorded", _("Consent to share the summary")
    SUMMARY_CONSENT_WITHDRAWN = "summary.consent_withdrawn", _("Consent to share withdrawn")
    SUMMARY_READ = "summary.read", _("Summary read by the referrer")
    LEGAL_HOLD_SET = "dossier.hold_set", _("Legal hold set")
    LEGAL_HOLD_LIFTED = "dossier.hold_lifted", _("Legal hold lifted")
    DESTRUCTION_PROPOSED = "dossier.destruction_proposed", _("Destruction list proposed")
    DESTRUCTION_APPROVED = "dossier.destruction_approved", _("Destruction list approved")
    DESTRUCTION_REJECTED = "dossier.destruction_rejected", _("Destruction list rejected")
    DESTRUCTION_EXECUTED = "dossier.destruction_executed", _("Destruction list executed")
    RECORDS_DESTROYED = "dossier.records_destroyed", _("Records of a case destroyed")
    DESTRUCTION_STATEMENT_EXPORTED = (
        "dossier.statement_exported",
        _("Statement of destruction downloaded"),
    )
    SUBJECT_ACCESS_EXPORTED = "subject.access_exported", _("A person's data exported (art. 15)")
    SUBJECT_ERASED = "subject.erased", _("A person erased (art. 17)")
    SUBJECT_ERASURE_REFUSED = "subject.erasure_refused", _("Erasure refused (art. 17)")
    # two-factor sign-in
    SECOND_FACTOR_ENROLLED = "auth.2fa_enrolled", _("Second factor added")
    SECOND_FACTOR_REMOVED = "auth.2fa_removed", _("Second factor removed")
    RECOVERY_CODES_GENERATED = "auth.recovery_codes_generated", _("Recovery codes made")
    RECOVERY_CODE_USED = "auth.recovery_code_used", _("Recovery code used to sign in")
    SECOND_FACTOR_FAILED = "auth.2fa_failed", _("Second sign-in step failed")
    # the mediator's registration report (MfN)
    REGISTRATION_REPORT_VIEWED = "registration.viewed", _("Registration report viewed")
    REGISTRATION_REPORT_EXPORTED = "registration.exported", _("Registration report downloaded")
    # issue 19: reports for municipalities and supervisors
    REPORT_EXPORTED = "report.exported", _("Report table downloaded")
    SURVEY_SENT = "survey.sent", _("Satisfaction survey sent")
    SURVEY_ANSWERED = "survey.answered", _("Satisfaction survey answered")
    SURVEY_COMMENTS_READ = "survey.comments_read", _("Survey comments read")
    # issue 20: the participants' personal pages
    PORTAL_LINK_MADE = "portal.link_made", _("Personal page link made")
    PORTAL_LINK_SENT = "portal.link_sent", _("Personal page link sent")
    PORTAL_LINK_REVOKED = "portal.link_revoked", _("Personal page link revoked")
    PORTAL_USED = "portal.used", _("Personal page used")
    PORTAL_REFUSED = "portal.refused", _("Personal page link refused")
    PORTAL_DETAILS_CHANGED = "portal.details_changed", _("Details corrected on the personal page")
    PORTAL_CODE_SETTING = "portal.code_setting", _("Code by email turned on or off")
    PORTAL_CODE_SENT = "portal.code_sent", _("Code for the personal page sent")
    PORTAL_CODE_CHECKED = "portal.code_checked", _("Code for the personal page entered")
    # issue 17: roles, and every change made in the admin
    ROLE_GRANTED = "role.granted", _("Role given")
    ROLE_REVOKED = "role.revoked", _("Role taken away")
    ROLE_REFUSED = "role.refused", _("Role or case assignment refused")
    USER_ACCESS_CHANGED = "user.access_changed", _("User's groups or permissions changed")
    ADMIN_ADDED = "admin.added", _("Record added in the admin")
    ADMIN_CHANGED = "admin.changed", _("Record changed in the admin")
    ADMIN_DELETED = "admin.deleted", _("Record deleted in the admin")
    PASSWORD_CHANGED = "password.changed", _("Password changed")
    # sign-in throttling and refusals (issue 17)
    LOCKED_OUT = "auth.locked_out", _("Signing in paused after failed attempts")
    UNLOCKED = "auth.unlocked", _("Signing in unlocked")
    STEP_REFUSED = "case.step_refused", _("Case step refused")
    CASE_NOT_FOUND = "case.not_found", _("Case page not found for the user")
    CASE_NOT_FOUND_COUNT = "case.not_found_count", _("More case pages not found (count)")
    # issue 21: the API for municipal systems
    API_CALL = "api.call", _("API call")
    API_CLIENT_CREATED = "api.client_created", _("API client made")
    API_TOKEN_RENEWED = "api.token_renewed", _("New token for an API client")
    WEBHOOK_ADDRESS_CHANGED = "api.webhook_address_changed", _("Webhook address changed")
    WEBHOOK_SECRET_RENEWED = "api.webhook_secret_renewed", _("New signing secret for a webhook")
    WEBHOOK_REDELIVERED = "api.webhook_redelivered", _("Failed webhook events queued again")
    # issue 22: documents on a case (the events name the document and its kind, never its
    # file name, which often names a person)
    DOCUMENT_UPLOADED = "document.uploaded", _("Document uploaded")
    DOCUMENT_DOWNLOADED = "document.downloaded", _("Document downloaded")
    DOCUMENT_DELETED = "document.deleted", _("Document deleted")
    # issue 22: letters to print for parties who hear from us by post
    LETTER_SENT = "letter.sent", _("Letter marked as sent")
    LETTER_MADE = "letter.made", _("Letter or document made from a template")
    # issue 22: templates for letters and the agreement (kind, organisation, language and
    # version number; never the text)
    TEMPLATE_SAVED = "template.saved", _("Document template saved")


class AuditEvent(models.Model):
    """One entry of the audit trail. Rows are never updated or deleted (a trigger refuses)."""

    sequence = models.PositiveBigIntegerField(
        _("sequence number"),
        unique=True,
        help_text=_("Position in the chain: 1 for the first event, without gaps."),
    )
    occurred_at = models.DateTimeField(
        _("when"), help_text=_("When the event was recorded (UTC, microsecond precision).")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        # A user who has events is kept (deactivate instead): the trail must not lose its actors.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The user who acted; empty when the system acted."),
    )
    actor_label = models.CharField(
        _("actor name"),
        max_length=150,
        help_text=_("The actor's user name at the time, or 'system'."),
    )
    # No `choices`: new actions arrive with every capability, and the table never changes
    # its rows; `audit_record` accepts only AuditAction values.
    action = models.CharField(_("action"), max_length=64, help_text=_("An AuditAction value."))
    target_type = models.CharField(
        _("target type"),
        max_length=100,
        blank=True,
        help_text=_("What the action was about, as app_label.model (e.g. cases.case)."),
    )
    target_id = models.CharField(
        _("target id"), max_length=64, blank=True, help_text=_("The primary key of the target.")
    )
    case_id = models.PositiveBigIntegerField(
        _("case"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The case the event belongs to, if any."),
    )
    client_address = models.GenericIPAddressField(
        _("client address"),
        null=True,
        blank=True,
        help_text=_("The IP address the request came from; empty for commands and workers."),
    )
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("Small facts about the event. Never plaintext notes or other secrets."),
    )
    prev_hash = models.CharField(
        _("previous hash"),
        max_length=64,
        help_text=_("The hash of the event before this one (64 zeros for the first)."),
    )
    hash = models.CharField(
        _("hash"),
        max_length=64,
        help_text=_("SHA-256 of this event's canonical form, which includes the previous hash."),
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        constraints = [
            # Two events can never claim the same predecessor: a forked chain cannot be stored.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_event_unique_prev_hash"),
        ]
        indexes = [
            models.Index(fields=["action", "sequence"], name="audit_action_seq_idx"),
            models.Index(fields=["occurred_at"], name="audit_occurred_at_idx"),
            models.Index(fields=["actor", "sequence"], name="audit_actor_seq_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} by {self.actor_label}"

    def chain_values(self) -> ChainValues:
        """The plain values this event's hash covers (chain.canonical_bytes takes them)."""
        return (
            self.sequence,
            canonical_timestamp(self.occurred_at),
            self.actor_id,
            self.actor_label,
            self.action,
            self.target_type,
            self.target_id,
            self.case_id,
            self.client_address,
            self.details,
            self.prev_hash,
        )

    def get_action_display(self) -> str:
        """The action in the user's language; an unknown (future or past) value as it is."""
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action
