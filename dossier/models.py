"""Retention rules per case kind, legal holds, and destruction lists with their items."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Outcome

# Civil code art. 7:412 and the MfN register: the dossier is kept at least 5 years after the
# mediation ends, which also covers the complaint periods (12 and 18 months).
DOSSIER_YEARS_MIN = 5


class RecordClass(models.TextChoices):
    """What a destruction list item destroys of a case."""

    WORKING_NOTES = "working_notes", _("Working notes")
    DOSSIER = "dossier", _("Dossier and contact details")


class RetentionPolicy(models.Model):
    """The retention of one kind of case, where it differs from the defaults (TAFEL_RETENTION_*).

    The municipality's selection list (Archiefwet) sets retention per case type; `basis` names
    its category, and the case page shows it.
    """

    kind = models.OneToOneField(
        "cases.CaseKind",
        verbose_name=_("kind of case"),
        on_delete=models.CASCADE,
        related_name="retention_policy",
    )
    working_notes_days = models.PositiveIntegerField(
        _("working notes: days after closing"),
        validators=[MaxValueValidator(3650)],
        help_text=_("Working notes are destroyed this many days after the case closes."),
    )
    dossier_years = models.PositiveSmallIntegerField(
        _("dossier: years after the end"),
        validators=[MinValueValidator(DOSSIER_YEARS_MIN), MaxValueValidator(100)],
        help_text=_(
            "The dossier and contact details are kept this many years after the end date: at "
            "least 5 (civil code art. 7:412, the MfN register)."
        ),
    )
    basis = models.CharField(
        _("selection list category"),
        max_length=200,
        blank=True,
        help_text=_(
            "The category of the selection list this follows, e.g. 'Selectielijst 2020, 1.1'."
        ),
    )

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.kind}: {self.working_notes_days} d / {self.dossier_years} y"


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A case that must not be destroyed while a complaint, claim or inquiry runs."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="legal_holds"
    )
    reason = models.TextField(
        _("reason"), max_length=1000, help_text=_("Why the case must be kept, for the record.")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), max_length=1000, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(lifted_at__isnull=True), name="one_active_hold"
            )
        ]

    def __str__(self) -> str:
        return f"hold {self.pk} on case {self.case_id}"


class ListStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for approval")
    APPROVED = "approved", _("Approved, not yet carried out")
    EXECUTED = "executed", _("Carried out")
    REJECTED = "rejected", _("Rejected")


class DestructionList(models.Model):
    """Records whose retention ended, proposed together; destroyed only once approved."""

    status = models.CharField(
        _("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty when the monthly run proposed it."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second approval by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("A second supervisor, when TAFEL_DESTRUCTION_FOUR_EYES asks for one."),
    )
    second_approved_at = models.DateTimeField(_("second approval at"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejecting"), max_length=1000, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    executed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"destruction list {self.pk} ({self.status})"


class DestructionItem(models.Model):
    """One record class of one case on a list; reference, kind, dates and outcome are copied
    here when it is proposed, so the statement of destruction never depends on what it
    destroyed."""

    destruction_list = models.ForeignKey(
        DestructionList,
        verbose_name=_("destruction list"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    record_class = models.CharField(_("records"), max_length=20, choices=RecordClass.choices)
    reference = models.CharField(_("reference"), max_length=20)
    kind_name = models.CharField(_("kind of case"), max_length=100)
    referred_on = models.DateField(_("referred on"))
    ended_on = models.DateField(_("end date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    kept_until = models.DateField(_("kept until"))
    basis = models.CharField(
        _("basis"), max_length=300, help_text=_("Why the retention ended, as proposed.")
    )
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    skipped = models.CharField(
        _("not destroyed because"),
        max_length=200,
        blank=True,
        help_text=_("Set when the list was carried out but this item was kept (a legal hold)."),
    )

    class Meta:
        verbose_name = _("destruction list item")
        verbose_name_plural = _("destruction list items")
        ordering = ["ended_on", "reference", "record_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction_list", "case", "record_class"], name="one_item_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.record_class}"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to their data (AVG art. 15)")
    ERASURE = "erasure", _("Erasure (AVG art. 17)")


class RequestDecision(models.TextChoices):
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class ErasureException(models.TextChoices):
    """The grounds of AVG art. 17(3) that apply to a mediation dossier."""

    LEGAL_RETENTION = "legal_retention", _("A legal duty to keep the dossier (art. 17(3)(b))")
    ARCHIVING = "archiving", _("Archiving in the public interest (art. 17(3)(d))")
    LEGAL_CLAIMS = "legal_claims", _("Needed for a complaint or legal claim (art. 17(3)(e))")


class SubjectRequest(models.Model):
    """A person's request about their data, and how it was handled: the record a supervisor
    shows when asked how requests were answered."""

    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=RequestDecision.choices)
    exception = models.CharField(
        _("exception"),
        max_length=20,
        choices=ErasureException.choices,
        blank=True,
        help_text=_("The ground on which an erasure was refused."),
    )
    explanation = models.TextField(_("explanation"), max_length=1000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now)

    class Meta:
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")
        ordering = ["-handled_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.decision} ({self.party_id})"
