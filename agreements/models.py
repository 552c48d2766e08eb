"""The agreement of a case: its sealed text and actions, the parties' approvals, the follow-up
review, and the summary the parties may share with the referrer.

Texts (the agreement, action descriptions, review comments, the referrer summary) are stored
only sealed under the case's data key, each bound to its case, record and field
(`context`), so a ciphertext moved to another row does not open. They are written and read only
through `agreements.services`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case


class Agreement(models.Model):
    """What the parties agreed. Every change of its text or actions raises `version`."""

    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Binds the sealed text to this agreement: copied elsewhere, it does not open."),
    )
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="agreement"
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raised on every change; approvals count only for the current version."),
    )
    sealed_text = models.BinaryField(_("sealed text"))
    follow_up_on = models.DateField(
        _("follow-up date"),
        null=True,
        blank=True,
        help_text=_("When the follow-up checks the actions; by default six weeks after approval."),
    )
    reminder = models.ForeignKey(
        "mediation.OutboxMessage",
        verbose_name=_("follow-up reminder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The reminder to the lead mediator, queued when the follow-up starts."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.case_id}/v{self.version}"  # never the text: it is confidential

    def context(self, field: str) -> str:
        """Associated data binding a sealed field to this case, agreement and field."""
        return f"tafel/agreement/v1/case={self.case_id}/agreement={self.uid}/{field}"


class AgreementVersion(models.Model):
    """An earlier version of an agreement (text and actions), kept sealed."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    sealed_text = models.BinaryField(_("sealed text"))
    sealed_actions = models.BinaryField(
        _("sealed actions"), help_text=_("The actions of this version, encrypted.")
    )
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("earlier version of an agreement")
        verbose_name_plural = _("earlier versions of agreements")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="one_agreement_version")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}/v{self.version}"

    def context(self, field: str) -> str:
        return (
            f"tafel/agreement-version/v1/case={self.agreement.case_id}/version={self.uid}/{field}"
        )


class AgreementAction(models.Model):
    """A concrete action of the agreement: what, who (a party or the municipality), by when."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="actions"
    )
    sealed_description = models.BinaryField(_("sealed description"))
    owner = models.ForeignKey(
        "parties.Participation",
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The party that carries the action out; empty: the municipality."),
    )
    due_on = models.DateField(_("due date"), help_text=_("By when the action is done."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.uid}"

    def context(self, field: str) -> str:
        return f"tafel/agreement-action/v1/case={self.agreement.case_id}/action={self.uid}/{field}"


class ReviewStatus(models.TextChoices):
    DONE = "done", _("Done")
    PARTLY_DONE = "partly_done", _("Partly done")
    NOT_DONE = "not_done", _("Not done")


class ActionReview(models.Model):
    """The follow-up review of one action: was it done, and a comment (sealed)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.OneToOneField(
        AgreementAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="review"
    )
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices)
    sealed_comment = models.BinaryField(_("sealed comment"))
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review of an action")
        verbose_name_plural = _("reviews of actions")

    def __str__(self) -> str:
        return f"{self.action_id}: {self.status}"

    def context(self, field: str) -> str:
        case_id = self.action.agreement.case_id
        return f"tafel/action-review/v1/case={case_id}/review={self.uid}/{field}"


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ApprovalMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper")
    EMAIL = "email", _("By email")
    LINK = "link", _("Through the approval link")


class Approval(models.Model):
    """A party's answer to one version of the agreement. Only the current version counts."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="approvals"
    )
    participation = models.ForeignKey(
        "parties.Participation",
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(
        _("version"), help_text=_("The version of the agreement the party answered.")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ApprovalDecision.choices)
    method = models.CharField(_("how"), max_length=10, choices=ApprovalMethod.choices)
    decided_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The mediator who recorded it; empty when the party answered by link."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-version", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "participation", "version"], name="one_answer_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}/v{self.version}/{self.participation_id}: {self.decision}"


class ReferrerSummary(models.Model):
    """A short summary for the referring coordinator, shown only when every party agreed."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrer_summary"
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raised on every change; the parties' consent counts for one version."),
    )
    sealed_text = models.BinaryField(_("sealed text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("summary for the referrer")
        verbose_name_plural = _("summaries for the referrer")

    def __str__(self) -> str:
        return f"{self.case_id}/v{self.version}"

    def context(self, field: str) -> str:
        return f"tafel/referrer-summary/v1/case={self.case_id}/summary={self.uid}/{field}"


class SummaryConsent(models.Model):
    """A party agreed to share one version of the summary with the referring coordinator."""

    summary = models.ForeignKey(
        ReferrerSummary,
        verbose_name=_("summary"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    participation = models.ForeignKey(
        "parties.Participation",
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"))
    agreed_on = models.DateField(_("agreed on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent to share the summary")
        verbose_name_plural = _("consents to share the summary")
        constraints = [
            models.UniqueConstraint(
                fields=["summary", "participation", "version"], name="one_summary_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.summary_id}/v{self.version}/{self.participation_id}"
