"""Cases: the referral, its lifecycle, the mediators on it, and per-case permissions."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, Transition, transition
from guardian.models import UserObjectPermissionBase

from cases.permissions import may_decline, may_reopen, may_run_transitions
from mediation.types import AnyUser
from mediation.validators import validate_free_text, validate_single_line

REASON_MAX_LENGTH = 5000

# What django-fsm's `transition(permission=...)` is typed to take: a check of any model by any
# kind of user.
FsmPermission = Callable[[models.Model, Any], bool]


def _fsm_permission(check: "Callable[[Case, AnyUser], bool]") -> FsmPermission:
    """A permission check of `cases.permissions`, as django-fsm's `permission=` is typed."""
    # A cast only: django-fsm calls the check with the Case whose transition runs and the user
    # asking, which are the types the check is written for.
    return cast(FsmPermission, check)


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INTAKE = "intake", _("Intake")
    SESSIONS = "sessions", _("Sessions")
    AGREEMENT = "agreement", _("Agreement")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    FULL_AGREEMENT = "full_agreement", _("Full agreement")
    PARTIAL_AGREEMENT = "partial_agreement", _("Partial agreement")
    NO_AGREEMENT = "no_agreement", _("No agreement")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")


class Urgency(models.TextChoices):
    LOW = "low", _("Can wait")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Urgent")


class CaseKind(models.Model):
    """A kind of conflict. Two come with Tafel; an administrator may add others."""

    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("A short fixed name, e.g. inter_group.")
    )
    name_nl = models.CharField(_("name in Dutch"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active kinds can be chosen for new cases.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("kind of case")
        verbose_name_plural = _("kinds of case")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year (MED-2026-0001, -0002, ...)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Case(ConcurrentTransitionMixin, models.Model):
    """A mediation case, from referral to closing. Only transitions change its status."""

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, editable=False, help_text=_("MED-2026-0001")
    )
    kind = models.ForeignKey(
        CaseKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("A short neutral description, without names of private persons."),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referred_cases",
        help_text=_("The municipal coordinator who referred the conflict."),
    )
    referring_organisation = models.CharField(
        _("referring organisation"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("E.g. Gemeente Utrecht."),
    )
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    referral_reason = models.TextField(
        _("reason for referral"),
        max_length=REASON_MAX_LENGTH,
        validators=[validate_free_text],
        help_text=_("What the conflict is about and why mediation could help."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    safety_concern = models.BooleanField(
        _("safety concern"),
        default=False,
        help_text=_("Someone's safety may be at risk. The case goes to a supervisor first."),
    )
    # The referral queue's order as one number the database keeps (0 comes first): a safety
    # concern first, then urgent, normal, can wait. One column, so that the queue is read in
    # order from one index (`case_unassigned_queue_idx`) instead of sorting every referral.
    queue_rank = models.GeneratedField(
        expression=models.Case(
            *(
                models.When(safety_concern=safety, urgency=urgency, then=models.Value(rank))
                for rank, (safety, urgency) in enumerate(
                    (safety, urgency)
                    for safety in (True, False)
                    for urgency in ("high", "normal", "low")
                )
            ),
            default=models.Value(6),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("place in the referral queue"),
    )
    woo_note = models.TextField(
        _("Woo arrangements"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
        validators=[validate_free_text],
        help_text=_(
            "When a government body is a party: what was agreed about requests under the "
            "Open Government Act (Woo)."
        ),
    )
    lead_mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead mediator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
    )
    co_mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-mediators"),
        blank=True,
        related_name="co_mediated_cases",
    )
    status = FSMField(
        _("status"),
        default=CaseStatus.REFERRED,
        choices=CaseStatus.choices,
        protected=True,
        db_index=True,
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    ended_on = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Complaint periods run from this date.")
    )
    end_ground = models.TextField(
        _("ground for ending"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
        validators=[validate_free_text],
        help_text=_("Why the case was declined, withdrawn or ended."),
    )
    working_notes_destroyed_on = models.DateField(
        _("working notes destroyed on"),
        null=True,
        blank=True,
        help_text=_("Set by an executed destruction list: the mediators' working notes are gone."),
    )
    dossier_destroyed_on = models.DateField(
        _("dossier destroyed on"),
        null=True,
        blank=True,
        help_text=_(
            "Set by an executed destruction list: the case's data key is destroyed and its "
            "identifying text blanked; reference, kind, dates and outcome remain."
        ),
    )
    key = models.OneToOneField(
        "mediation.DataKey",
        verbose_name=_("data key"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        help_text=_("The case's own data key, under which its notes and agreement are sealed."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-referred_on", "-id"]
        default_permissions = ("view", "change")
        permissions = [
            ("view_case_notes", _("Can read the case's confidential notes")),
            ("add_case_notes", _("Can write notes on the case")),
            ("manage_case_parties", _("Can manage the case's parties and their details")),
            ("schedule_case_sessions", _("Can schedule the case's sessions")),
            ("run_case_transitions", _("Can move the case through its lifecycle")),
            ("view_case_trail", _("Can see the case's audit trail")),
        ]
        indexes = [
            models.Index(fields=["status", "-referred_on"], name="case_status_referred_idx"),
            # The case list's default order, read a page at a time from a key (no OFFSET).
            models.Index(fields=["-referred_on", "-id"], name="case_referred_order_idx"),
            # The referral queue: unassigned referrals by safety concern, urgency and age. Not
            # a partial index: SQLite (without statistics) would rather read the status index
            # and sort; the two leading columns it matches make this one its choice.
            models.Index(
                fields=["status", "lead_mediator", "queue_rank", "referred_on", "id"],
                name="case_unassigned_queue_idx",
            ),
            # Open cases per mediator (the caseload): one range per mediator and status.
            models.Index(fields=["lead_mediator", "status"], name="case_lead_status_idx"),
            # A coordinator's own referrals in a period (their report): one range each.
            models.Index(fields=["referred_by", "referred_on"], name="case_referrer_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    if TYPE_CHECKING:
        # Added at runtime by django-fsm (FSMField.contribute_to_class), out of mypy's sight.
        def get_all_status_transitions(self) -> Iterator[Transition]: ...

    # The lifecycle. Each transition names its permission; `cases.services.case_transition` is
    # the only caller. The guards are not django-fsm `conditions`: a condition can only say
    # yes or no, while a refusal must name what is missing, and django-fsm would run them a
    # second time when the method is called. They are registered once in `cases.hooks` (by
    # the app that knows the answer: parties, scheduling, agreements) and `case_transition`
    # runs them once. After-steps (follow-up reminder, cancelling sessions) are hooks too.

    @transition(
        field=status,
        source=CaseStatus.REFERRED,
        target=CaseStatus.INTAKE,
        permission=_fsm_permission(may_run_transitions),
        custom={"label": _("Accept the case")},
    )
    def accept(self, *, reason: str = "") -> None:
        """The lead mediator takes the case on."""

    @transition(
        field=status,
        source=CaseStatus.REFERRED,
        target=CaseStatus.CLOSED,
        permission=_fsm_permission(may_decline),
        custom={"label": _("Decline the referral"), "reason_required": True},
    )
    def decline(self, *, reason: str = "") -> None:
        self._end(Outcome.DECLINED, reason)

    @transition(
        field=status,
        source=CaseStatus.INTAKE,
        target=CaseStatus.SESSIONS,
        permission=_fsm_permission(may_run_transitions),
        custom={"label": _("Start the sessions")},
    )
    def start_sessions(self, *, reason: str = "") -> None:
        """Intake is done: the parties meet."""

    @transition(
        field=status,
        source=[CaseStatus.INTAKE, CaseStatus.SESSIONS],
        target=CaseStatus.CLOSED,
        permission=_fsm_permission(may_run_transitions),
        custom={"label": _("Record withdrawal"), "reason_required": True},
    )
    def withdraw(self, *, reason: str = "") -> None:
        self._end(Outcome.WITHDRAWN, reason)

    @transition(
        field=status,
        source=CaseStatus.SESSIONS,
        target=CaseStatus.CLOSED,
        permission=_fsm_permission(may_run_transitions),
        custom={"label": _("End without agreement"), "reason_required": True},
    )
    def end_without_agreement(self, *, reason: str = "") -> None:
        self._end(Outcome.NO_AGREEMENT, reason)

    @transition(
        field=status,
        source=CaseStatus.SESSIONS,
        target=CaseStatus.AGREEMENT,
        permission=_fsm_permission(may_run_transitions),
        custom={"label": _("Record that the parties reached an agreement")},
    )
    def reach_agreement(self, *, reason: str = "") -> None:
        """The parties reached an agreement in a joint session; it is now written down."""

    @transition(
        field=status,
        source=CaseStatus.AGREEMENT,
        target=CaseStatus.FOLLOW_UP,
        permission=_fsm_permission(may_run_transitions),
        custom={"label": _("Start the follow-up")},
    )
    def start_follow_up(self, *, reason: str = "") -> None:
        """Every party approved the agreement: its actions are carried out until the follow-up."""

    @transition(
        field=status,
        source=CaseStatus.FOLLOW_UP,
        target=CaseStatus.CLOSED,
        permission=_fsm_permission(may_run_transitions),
        custom={
            "label": _("Close the case"),
            # The mediator chooses one of these; case_transition refuses any other.
            "outcomes": (Outcome.FULL_AGREEMENT, Outcome.PARTIAL_AGREEMENT),
        },
    )
    def close(self, *, reason: str = "", outcome: str = "") -> None:
        """The follow-up review is done: the case ends with the outcome the mediator chose."""
        self._end(Outcome(outcome), reason)

    @transition(
        field=status,
        source=CaseStatus.CLOSED,
        target=CaseStatus.SESSIONS,
        permission=_fsm_permission(may_reopen),
        custom={"label": _("Reopen the case"), "reason_required": True},
    )
    def reopen(self, *, reason: str = "") -> None:
        self.outcome, self.ended_on, self.end_ground = "", None, ""

    def _end(self, outcome: Outcome, reason: str) -> None:
        self.outcome, self.ended_on, self.end_ground = outcome, timezone.localdate(), reason

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseStatusChange(models.Model):
    """One step of a case's lifecycle: who moved it from where to where, when and why."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="status_changes"
    )
    transition = models.CharField(_("transition"), max_length=50)
    from_status = models.CharField(_("from"), max_length=20, choices=CaseStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Declaration(models.TextChoices):
    NO_CONFLICT = "no_conflict", _("No conflict of interest")
    DISCLOSED = "disclosed", _("Conflict of interest disclosed")


class ConflictOfInterestDeclaration(models.Model):
    """A mediator's declaration about conflicts of interest with a case's parties."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="declarations"
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declaration = models.CharField(_("declaration"), max_length=20, choices=Declaration.choices)
    disclosure = models.TextField(
        _("disclosure"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
        validators=[validate_free_text],
        help_text=_("What the relationship with a party is. Required when disclosing."),
    )
    parties_accepted_on = models.DateField(
        _("parties accepted on"),
        null=True,
        blank=True,
        help_text=_("When every party accepted the disclosed conflict and agreed to go on."),
    )
    matches_shown = models.PositiveIntegerField(
        _("matches shown"),
        default=0,
        help_text=_("How many possible matches in the mediator's other cases were shown."),
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "mediator"], name="one_declaration_per_mediator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} / {self.mediator_id}: {self.declaration}"

    @property
    def clears_mediator(self) -> bool:
        """True when the mediator may work on the case: no conflict, or one the parties accepted."""
        return self.declaration == Declaration.NO_CONFLICT or self.parties_accepted_on is not None


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case permissions of users, with a real foreign key (no generic relation).

    Rights are granted to users only, never to groups, so there is no group table: a role
    (group) gives no right on any case by itself; supervisors' metadata view is decided by
    role in cases/permissions.py.
    """

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case permission of a user")
        verbose_name_plural = _("case permissions of users")
