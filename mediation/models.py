"""Models of the project's own infrastructure."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediation.types import User


class KeyPurpose(models.TextChoices):
    CASE = "case", _("Case data key")
    PARTY = "party", _("Party data key")
    SYSTEM = "system", _("System key")


class DataKey(models.Model):
    """A random data key, stored only wrapped by a master key: one table for every data key.

    A case and a party each point at their own (`Case.key`, `Party.key`); a system key (the
    blind-index key, the outbox key) has a `name`. Rotating master keys re-wraps only these
    narrow rows (mediation.keys), never the sealed records. Destroying a key (retention,
    erasure) empties `wrapped`: what was sealed under it is unreadable for good.
    """

    purpose = models.CharField(
        _("purpose"), max_length=10, choices=KeyPurpose.choices, help_text=_("Whose key it is.")
    )
    name = models.SlugField(
        _("name"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("For a system key only, e.g. blind-index."),
    )
    wrapped = models.BinaryField(
        _("wrapped data key"),
        null=True,
        help_text=_("The data key encrypted with a master key; empty once destroyed."),
    )
    master_key_id = models.CharField(
        _("master key id"),
        max_length=12,
        db_index=True,
        help_text=_("Which master key wraps the data key (see key_status)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    destroyed_at = models.DateTimeField(
        _("destroyed at"),
        null=True,
        blank=True,
        help_text=_("When the data key was destroyed; what it sealed is unreadable since."),
    )

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")

    def __str__(self) -> str:
        return f"{self.purpose} {self.pk}: {self.master_key_id or 'destroyed'}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    WITHDRAWN = "withdrawn", _("Withdrawn: no longer needed")


class OutboxMessage(models.Model):
    """An email stored in the same transaction as the change that caused it; a worker sends it.

    The message itself (addresses, text, attachments) is stored only sealed.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(
        _("purpose"), max_length=50, help_text=_("What the message is, e.g. invite or status.")
    )
    group = models.CharField(
        _("delivery group"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Messages of one group leave in the order they were queued."),
    )
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The user a notice is for (empty for other mail), so that a notice still waiting "
            "can be withdrawn when they turn it off or leave the case."
        ),
    )
    sealed_message = models.BinaryField(_("sealed message"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.uid} ({self.status})"

    def context(self) -> str:
        return f"tafel/outbox/v1/message={self.uid}"

    @property
    def cannot_be_built(self) -> bool:
        """Whether the message failed because it could not be made (e.g. a line break in an
        address); sending it again cannot help."""
        return self.last_error.startswith(OUTBOX_CANNOT_BUILD)

    @property
    def purpose_label(self) -> str:
        """What the message is, in the user's language."""
        if self.purpose.startswith(NOTICE_PURPOSE_PREFIX):
            return str(PURPOSE_LABELS["notice"])
        return str(PURPOSE_LABELS.get(self.purpose, self.purpose))


class HttpDelivery(models.Model):
    """An HTTP call to another system, stored in the same transaction as the change that caused
    it; the worker makes it (`mediation.http_outbox`).

    The row holds the call without its credentials: the sender registered under `sender`
    builds the headers (a token, a signature) and whatever depends on an earlier call of its
    group (e.g. the URL of a zaak made by the call before) when it is sent.
    """

    uid = models.UUIDField(
        _("event id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Names this call for the receiver: the same id when it is tried again."),
    )
    sender = models.CharField(
        _("sender"),
        max_length=50,
        help_text=_("The app that builds the call's headers when it is sent, e.g. zgw."),
    )
    purpose = models.CharField(
        _("purpose"), max_length=50, help_text=_("What the call is, e.g. zgw.status.")
    )
    method = models.CharField(_("method"), max_length=10, default="POST")
    url = models.CharField(
        _("address"),
        max_length=1000,
        blank=True,
        help_text=_("Empty when the sender finds it when sending (e.g. the zaak's own URL)."),
    )
    body = models.JSONField(_("body"), null=True, blank=True)
    group = models.CharField(
        _("delivery group"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Calls of one group are made in the order they were queued."),
    )
    case_id = models.PositiveBigIntegerField(_("case"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"),
        max_length=200,
        blank=True,
        help_text=_("The kind of error or the HTTP status only, never the answer's content."),
    )
    response_status = models.PositiveSmallIntegerField(
        _("HTTP status of the last answer"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(
        _("last attempt"),
        null=True,
        blank=True,
        help_text=_("When the call was last made or tried, delivered or not."),
    )

    class Meta:
        verbose_name = _("outgoing HTTP call")
        verbose_name_plural = _("outgoing HTTP calls")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="http_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.uid} ({self.status})"


# How `last_error` starts for a message that could not be built (mediation.outbox).
OUTBOX_CANNOT_BUILD = "cannot-build"

# A notice to a mediator has the purpose "notice.<NoticeKind>".
NOTICE_PURPOSE_PREFIX = "notice."

# The purposes the apps queue mail for, as the mediators see them on the case page.
PURPOSE_LABELS = {
    "status": _("Status message to the referrer"),
    "invite": _("Session invitation"),
    "update": _("Changed session"),
    "cancel": _("Session cancelled"),
    "uninvite": _("No longer invited to a session"),
    "reminder": _("Session reminder"),
    "agreement_approval": _("Agreement for approval"),
    "follow_up_reminder": _("Follow-up reminder"),
    "notice": _("Notice to a mediator"),
}


class NoticeKind(models.TextChoices):
    """The events a mediator hears about by email; each can be turned off in their settings."""

    ASSIGNED = "assigned", _("I was assigned to a case (as lead or co-mediator)")
    PARTY_DECLINED = "party_declined", _("A party declined a session invite")
    PARTY_APPROVED = "party_approved", _("A party approved the agreement")
    ALL_APPROVED = "all_approved", _("All parties approved the agreement")
    FOLLOW_UP_DUE = "follow_up_due", _("A follow-up is due")
    DETAILS_CORRECTED = "details_corrected", _("A participant corrected their details")


def default_email_language() -> str:
    """The site's language (settings.LANGUAGE_CODE), read when a row is made."""
    return settings.LANGUAGE_CODE


def _check_notice_kinds(value: object) -> None:
    if not isinstance(value, list) or any(kind not in NoticeKind.values for kind in value):
        raise ValidationError(_("Choose only notices from the list."))


class UserSettings(models.Model):
    """A user's own settings: the language of their email and the notices they turned off.

    Made lazily, the first time a user saves their settings; until then the defaults hold
    (`user_settings_for`). Kinds are stored as the ones turned *off*, so a kind added later is
    on for everyone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="tafel_settings",
    )
    email_language = models.CharField(
        _("language of my email"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=default_email_language,
        help_text=_("The language Tafel writes its email to you in."),
    )
    notices_off = models.JSONField(
        _("notices turned off"),
        default=list,
        blank=True,
        validators=[_check_notice_kinds],
        help_text=_("The kinds of notice this user does not want by email."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("user settings")
        verbose_name_plural = _("user settings")

    def __str__(self) -> str:
        return str(_("Settings of %(user)s") % {"user": self.user.get_username()})

    def wants(self, kind: str) -> bool:
        """Whether the user receives notices of `kind`."""
        return kind not in self.notices_off


def user_settings_for(user: User) -> UserSettings:
    """The user's settings, or unsaved defaults when they never saved any (reads never write)."""
    found = UserSettings.objects.filter(user_id=user.pk).first()
    return found if found is not None else UserSettings(user_id=user.pk)


class InboxCursor(models.Model):
    """How far Tafel has read an IMAP folder: the highest message UID it handled.

    Mail that is not for Tafel stays in the folder untouched; the cursor keeps it from being
    downloaded again on every round. IMAP UIDs only hold within one UIDVALIDITY: when the server
    renumbers the folder, the cursor starts again from the beginning.
    """

    mailbox = models.CharField(
        _("mailbox"),
        max_length=300,
        unique=True,
        help_text=_("The server, account and folder read: host/user/folder."),
    )
    uidvalidity = models.BigIntegerField(
        _("UID validity"), help_text=_("The folder's UIDVALIDITY when the cursor was set.")
    )
    last_uid = models.BigIntegerField(
        _("last UID"), default=0, help_text=_("The highest UID handled (0: none yet).")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mailbox cursor")
        verbose_name_plural = _("mailbox cursors")

    def __str__(self) -> str:
        return f"{self.mailbox}: {self.uidvalidity}/{self.last_uid}"
