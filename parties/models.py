"""Parties: people, groups and government bodies, and the part they take in cases.

Contact details are personal data: they are stored only sealed, under each party's own data key
(parties.contact), read through the properties here and written only through parties.services.
So are the needs that describe health, disability or origin (parties.needs), with plain flags.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from mediation.validators import validate_single_line
from parties.contact import Contact, contact_open
from parties.languages import validate_language
from parties.needs import Needs, needs_open

NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 2000


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    GROUP = "group", _("Group or community organisation")
    GOVERNMENT = "government", _("Government body")


class ContactChannel(models.TextChoices):
    """How a party hears from the product: what it would email becomes a letter to print for
    post, and nothing goes to them directly when their representative is their contact."""

    EMAIL = "email", _("By email")
    POST = "post", _("By post: letters the mediator prints and sends")
    REPRESENTATIVE = "representative", _("Through their representative only")


class Party(models.Model):
    """A person, group or government body. The same record may take part in several cases."""

    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(
        _("name"),
        max_length=NAME_MAX_LENGTH,
        validators=[validate_single_line],
        help_text=_("Full name, or the name of the group or government body."),
    )
    name_normalised = models.CharField(
        max_length=NAME_MAX_LENGTH,
        editable=False,
        db_index=True,
        help_text=_("The name in lower case without accents or punctuation, for matching."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
        help_text=_("For a person: the organisation they belong to. For a body: the department."),
    )
    organisation_normalised = models.CharField(
        max_length=NAME_MAX_LENGTH, editable=False, blank=True, db_index=True
    )
    # Contact details are sealed with the party's own data key (see parties.contact);
    # `email_index` is a blind index of the email address, for duplicate and conflict checks.
    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Binds the sealed contact details to this party."),
    )
    key = models.OneToOneField(
        "mediation.DataKey",
        verbose_name=_("data key"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        help_text=_(
            "The party's own data key: a party can take part in several cases, so its contact "
            "details do not depend on one case's key."
        ),
    )
    sealed_contact = models.BinaryField(
        _("sealed contact details"),
        null=True,
        editable=False,
        help_text=_("Email, phone and postal address, encrypted."),
    )
    email_index = models.CharField(
        _("email index"), max_length=64, blank=True, editable=False, db_index=True
    )
    contact_channel = models.CharField(
        _("how they hear from us"),
        max_length=20,
        choices=ContactChannel.choices,
        default=ContactChannel.EMAIL,
        help_text=_(
            "Post: invitations, changes, approval requests and the survey become letters to "
            "print. Through their representative: nothing is sent to them directly."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        validators=[validate_language],
        default="nl",
        help_text=_("Invites go out in Dutch or English; other languages call for an interpreter."),
    )
    # Needs that describe health, disability or origin are AVG art. 9 data: the interpreter's
    # language and the free text are sealed under the party's key (parties.needs); what lists,
    # invites and warnings need stays plain, as yes/no flags. Decided field by field there.
    needs_interpreter = models.BooleanField(
        _("needs an interpreter"),
        default=False,
        editable=False,
        help_text=_("Set when the sealed needs name an interpreter's language."),
    )
    needs_step_free_access = models.BooleanField(_("needs step-free access"), default=False)
    has_other_needs = models.BooleanField(
        _("has other needs"),
        default=False,
        editable=False,
        help_text=_("Set when the sealed needs hold other needs; the text itself is sealed."),
    )
    sealed_needs = models.BinaryField(
        _("sealed needs"),
        null=True,
        editable=False,
        help_text=_("The interpreter's language and other needs, encrypted."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("contact", None)  # reopen the details after a reload
        self.__dict__.pop("needs", None)
        super().refresh_from_db(*args, **kwargs)

    @cached_property
    def contact(self) -> Contact:
        """The opened contact details (see parties.contact.Contact)."""
        return contact_open(self)

    @property
    def email(self) -> str:
        return self.contact.email

    @property
    def by_post(self) -> bool:
        return self.contact_channel == ContactChannel.POST

    @property
    def by_email(self) -> bool:
        """Whether email may go to them: not to a party who asked for post, or to be reached
        through their representative, whatever address is on record."""
        return self.contact_channel == ContactChannel.EMAIL

    @property
    def reachable_by_email(self) -> str:
        """The address email goes to: empty when they do not hear from us by email."""
        return self.email if self.by_email else ""

    @property
    def phone(self) -> str:
        return self.contact.phone

    @property
    def postal_address(self) -> str:
        return self.contact.postal_address

    @cached_property
    def needs(self) -> Needs:
        """The opened needs (see parties.needs.Needs)."""
        return needs_open(self)

    @property
    def interpreter_language(self) -> str:
        """The language an interpreter is needed for (opened from the sealed needs)."""
        return self.needs.interpreter_language

    @property
    def other_needs(self) -> str:
        """Other accessibility needs (opened from the sealed needs)."""
        return self.needs.other_needs

    @property
    def has_needs(self) -> bool:
        """From the plain flags: nothing is opened."""
        return self.needs_interpreter or self.needs_step_free_access or self.has_other_needs


class ParticipantRole(models.TextChoices):
    PARTY = "party", _("Party")
    REPRESENTATIVE = "representative", _("Representative")
    SUPPORT = "support", _("Support person")
    INTERPRETER = "interpreter", _("Interpreter")
    OBSERVER = "observer", _("Observer")


class ParticipationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Participation(models.Model):
    """The part a party takes in one case, with their consent or confidentiality statement."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    represents = models.ForeignKey(
        "self",
        verbose_name=_("represents"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        help_text=_("For a representative: the party they speak for."),
    )
    consent_signed_on = models.DateField(
        _("mediation agreement signed on"),
        null=True,
        blank=True,
        help_text=_("For a party: when they signed the mediation agreement (informed consent)."),
    )
    consent_signed_by = models.CharField(
        _("signed by"),
        max_length=NAME_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Who signed for the party, e.g. the chair of a group."),
    )
    confidentiality_signed_on = models.DateField(
        _("confidentiality statement signed on"),
        null=True,
        blank=True,
        help_text=_("For everyone who is not a party: when they signed for confidentiality."),
    )
    consent_withdrawn_on = models.DateField(
        _("consent withdrawn on"),
        null=True,
        blank=True,
        help_text=_("A party that withdraws consent blocks further sessions."),
    )
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        help_text=_("Removed participants can be restored until the case closes."),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "role"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_role_per_party_in_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.get_role_display()})"

    @property
    def is_party(self) -> bool:
        return self.role == ParticipantRole.PARTY

    @property
    def page_language(self) -> str:
        """The language of the pages and email a participant gets by link: English for one
        who prefers it, Dutch otherwise (other languages call for an interpreter)."""
        return "en" if (self.party.preferred_language or "").startswith("en") else "nl"


class PortalLink(models.Model):
    """A participant's personal link to their own page (issue 20): no account, no password.

    One link is active per participant at a time: making a new one revokes the old. The link
    is signed over its id and `nonce`; it stops working at `expires_at` or when revoked.
    """

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="portal_links",
    )
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("works until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    code_required = models.BooleanField(
        _("asks for a code"),
        default=False,
        help_text=_("The participant asked for a second step: a code sent to their email."),
    )
    # The code sent for the second step: only its hash, until it expires or is used.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("personal page link")
        verbose_name_plural = _("personal page links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_portal_link_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation_id}/{self.pk}"
