"""Letters to print: what the product would email to a party who asked for post.

A letter is made in the transaction of the change that calls for it (like an email in the
outbox), addressed to one participant, in their language; a document for every party (the
agreement to sign) has no recipient. One made from a template records the template's version.
Its title and text name people and places, so they are sealed under the case's data key, bound
to the case and the letter. The postal address is not copied into the letter: the printed page
takes the party's address as it is on the day it is printed. Purpose, status and dates are
plain: they name no one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterPurpose(models.TextChoices):
    INVITE = "invite", _("Invitation to a session")
    UPDATE = "update", _("Changed session")
    CANCEL = "cancel", _("Cancelled session")
    UNINVITE = "uninvite", _("No longer expected at a session")
    APPROVAL = "approval", _("Request to approve the agreement")
    SURVEY = "survey", _("Survey after the mediation")
    CLOSING = "closing", _("Closing letter")
    AGREEMENT = "agreement", _("Settlement agreement to sign")


class LetterStatus(models.TextChoices):
    TO_PRINT = "to_print", _("To print")
    SENT = "sent", _("Sent")
    REPLACED = "replaced", _("Replaced by a newer letter")


class Letter(models.Model):
    """One letter to one participant of a case."""

    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Names the letter in the associated data of its sealed text."),
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="letters"
    )
    participation = models.ForeignKey(
        "parties.Participation",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letters",
        help_text=_("Empty for a document for every party, such as the agreement to sign."),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=LetterPurpose.choices)
    language = models.CharField(
        _("language"), max_length=10, help_text=_("The language the letter is written in.")
    )
    group = models.CharField(
        _("about"),
        max_length=100,
        blank=True,
        help_text=_(
            "What the letter is about (e.g. one session): a newer letter about the same thing "
            "replaces one that was not printed yet."
        ),
    )
    answer_path = models.CharField(
        _("where to record the answer"),
        max_length=200,
        blank=True,
        help_text=_("The page where the mediator records the recipient's answer, if any."),
    )
    template_version = models.ForeignKey(
        "doctemplates.DocumentTemplateVersion",
        verbose_name=_("made from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The version of the template the letter was made from, if any."),
    )
    sealed_title = models.BinaryField(_("title (sealed)"))
    sealed_body = models.BinaryField(_("text (sealed)"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LetterStatus.choices,
        default=LetterStatus.TO_PRINT,
        db_index=True,
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="letter_case_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.get_status_display()})"

    def context(self, field: str) -> str:
        """Associated data binding the sealed title and text to this case and letter."""
        return f"tafel/letter/v1/case={self.case_id}/letter={self.uid}/{field}"
