"""API clients (municipal systems) and the referrals each one made."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.validators import validate_single_line


class ApiScope(models.TextChoices):
    """What a client may do. Later capabilities (webhooks) add their own scope here."""

    REFERRALS_WRITE = "referrals:write", _("Send referrals")
    CASES_READ = "cases:read", _("Read the status and outcome of its own referrals")


class ApiClient(models.Model):
    """A municipal system that calls the API with its own token.

    It speaks for one organisation (`organisation` becomes the referring organisation of its
    referrals) and acts as one named municipal coordinator (`acts_as`): a referral needs a
    coordinator who referred it, and a person answers for what their municipality's system
    sends. That coordinator follows the client's referrals in the web interface like their
    own, gets the status notices, and reads back exactly what the API reads back. No service
    account is made: a user who could sign in but is no person would be a door nobody watches.
    When the coordinator is deactivated or loses the role, the client stops working.

    The token is shown once, when it is made; only its SHA-256 is stored. The token holds 256
    random bits, so the hash needs no salt or slow function, and it is looked up by its hash:
    the comparison happens in the database index, never character by character in Python.
    """

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        validators=[validate_single_line],
        help_text=_("Which system this is, e.g. Zaaksysteem Gemeente Utrecht."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("The organisation it speaks for: the referring organisation of its referrals."),
    )
    acts_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_(
            "The municipal coordinator who answers for this system: its referrals are theirs."
        ),
    )
    scopes = models.JSONField(
        _("scopes"),
        default=list,
        blank=True,
        help_text=_("What the client may do: referrals:write, cases:read."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive client's token is refused.")
    )
    token_hash = models.CharField(
        _("token hash"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the token, in hexadecimal. The token itself is not kept."),
    )
    token_hint = models.CharField(
        _("token hint"),
        max_length=12,
        editable=False,
        help_text=_("The token's first characters, to tell tokens apart; not enough to use it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        _("last used at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the token was last accepted (to the minute)."),
    )

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: ApiScope) -> bool:
        return scope.value in (self.scopes or [])


class ApiReferral(models.Model):
    """A case that a client referred: the client's own, the only cases it can read."""

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="api_referral",
    )
    external_reference = models.CharField(
        _("the client's reference"),
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The client system's own identifier of the referral, unique per client."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral through the API")
        verbose_name_plural = _("referrals through the API")
        constraints = [
            # A retried request with the same reference cannot make the case twice.
            models.UniqueConstraint(
                fields=["client", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="api_referral_unique_external_reference",
            )
        ]
        indexes = [
            # A client's list, newest first, read a page at a time from the cursor.
            models.Index(fields=["client", "-case"], name="api_referral_client_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.case_id}"


class Webhook(models.Model):
    """An address where a client hears of its referrals' status changes.

    Each change is one event, posted as JSON through the HTTP outbox (`mediation.http_outbox`):
    in order per webhook, retried with backoff while the receiver is down, signed with an HMAC
    of the webhook's own secret (`api.webhooks`). The secret is shown once, when the webhook
    is made, and stored only sealed under a system key, since every call must sign with it.
    """

    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        related_name="webhooks",
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_("Where the events are posted, e.g. https://zaken.example.nl/tafel/events."),
    )
    sealed_secret = models.BinaryField(_("sealed signing secret"), editable=False, default=b"")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["client", "id"]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.url}"

    def context(self, field: str) -> str:
        """What a sealed value of this webhook is bound to."""
        return f"api.webhook.{self.pk}.{field}"
