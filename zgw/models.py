"""A municipality's Zaken API configuration, and the zaak each of its referrals became."""

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, Outcome
from zgw.validators import validate_rsin

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Vertrouwelijkheid(models.TextChoices):
    """The zaak's confidentiality (the Zaken API's vertrouwelijkheidaanduiding)."""

    INTERN = "intern", _("Internal")
    ZAAKVERTROUWELIJK = "zaakvertrouwelijk", _("Confidential to the case")
    VERTROUWELIJK = "vertrouwelijk", _("Confidential")
    CONFIDENTIEEL = "confidentieel", _("Strictly confidential")


class Archiefnominatie(models.TextChoices):
    VERNIETIGEN = "vernietigen", _("Destroy")
    BLIJVEND_BEWAREN = "blijvend_bewaren", _("Keep permanently")


def _type_url(label: "StrPromise", help_text: "StrPromise | str" = "") -> models.URLField:
    """An optional URL of a type in the Catalogi API: left empty, that call is not made."""
    return models.URLField(label, max_length=1000, blank=True, help_text=help_text)


class ZgwConfiguration(models.Model):
    """Where and how the referrals of one municipality are registered as zaken.

    A referral whose referring organisation matches `organisation` (ignoring case) becomes a
    zaak; its steps become statuses, its outcome the resultaat. The client secret is stored
    only sealed (`zgw.services.configuration_secret_set`).
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.CharField(
        _("referring organisation"),
        max_length=200,
        help_text=_(
            "As referrals name it, e.g. Gemeente Utrecht: its referrals are registered as zaken."
        ),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Off: nothing more is sent; calls already queued still go."),
    )
    zaken_api_url = models.URLField(
        _("Zaken API address"),
        max_length=1000,
        help_text=_("The root of the Zaken API, e.g. https://zaken.example.nl/zaken/api/v1"),
    )
    zaaktype_url = models.URLField(
        _("zaaktype"), max_length=1000, help_text=_("The zaaktype's URL in the Catalogi API.")
    )
    bronorganisatie = models.CharField(
        _("source organisation (RSIN)"),
        max_length=9,
        validators=[validate_rsin],
        help_text=_("The RSIN of the organisation that registers the zaak (bronorganisatie)."),
    )
    verantwoordelijke_organisatie = models.CharField(
        _("responsible organisation (RSIN)"),
        max_length=9,
        validators=[validate_rsin],
        help_text=_("The RSIN of the organisation responsible for the zaak."),
    )
    vertrouwelijkheidaanduiding = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Vertrouwelijkheid.choices,
        default=Vertrouwelijkheid.VERTROUWELIJK,
    )
    archiefnominatie = models.CharField(
        _("archive nomination"),
        max_length=20,
        choices=Archiefnominatie.choices,
        default=Archiefnominatie.VERNIETIGEN,
        help_text=_(
            "The archive action date follows Tafel's retention rule for the dossier (years "
            "after the end)."
        ),
    )
    statustype_referred = _type_url(_("statustype: referred"))
    statustype_intake = _type_url(_("statustype: intake"))
    statustype_sessions = _type_url(_("statustype: sessions"))
    statustype_agreement = _type_url(_("statustype: agreement"))
    statustype_follow_up = _type_url(_("statustype: follow-up"))
    statustype_closed = _type_url(
        _("statustype: closed"), _("The final status (eindstatus); sent after the resultaat.")
    )
    resultaattype_full_agreement = _type_url(_("resultaattype: full agreement"))
    resultaattype_partial_agreement = _type_url(_("resultaattype: partial agreement"))
    resultaattype_no_agreement = _type_url(_("resultaattype: no agreement"))
    resultaattype_withdrawn = _type_url(_("resultaattype: withdrawn"))
    resultaattype_declined = _type_url(_("resultaattype: declined"))
    resultaattype_referred_elsewhere = _type_url(_("resultaattype: referred elsewhere"))
    roltype_url = _type_url(
        _("roltype of the referring organisation"),
        _("Empty: no rol is registered for the referring organisation."),
    )
    client_id = models.CharField(
        _("client id"), max_length=200, help_text=_("The client id for the ZGW JWT.")
    )
    sealed_secret = models.BinaryField(_("sealed client secret"), editable=False, default=b"")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Zaken API configuration")
        verbose_name_plural = _("Zaken API configurations")
        ordering = ["organisation"]
        constraints = [
            models.UniqueConstraint(Lower("organisation"), name="zgw_one_configuration_per_org")
        ]

    def __str__(self) -> str:
        return self.organisation

    def context(self, field: str) -> str:
        return f"tafel/zgw/v1/configuration={self.uid}/field={field}"

    def statustype_for(self, status: str) -> str:
        """The statustype URL of a lifecycle status; "" when none is configured."""
        return str(getattr(self, f"statustype_{CaseStatus(status).value}"))

    def resultaattype_for(self, outcome: str) -> str:
        """The resultaattype URL of an outcome; "" when none is configured."""
        return str(getattr(self, f"resultaattype_{Outcome(outcome).value}"))


class ZaakLink(models.Model):
    """The zaak a case became: made when the case is referred, its URL filled in when the
    Zaken API answered the first call. The later calls (rol, statuses, resultaat) read it
    when they are sent."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="zaak_link"
    )
    configuration = models.ForeignKey(
        ZgwConfiguration,
        verbose_name=_("configuration"),
        on_delete=models.PROTECT,
        related_name="links",
    )
    zaak_url = models.URLField(
        _("zaak"),
        max_length=1000,
        blank=True,
        help_text=_("Empty until the Zaken API made the zaak."),
    )
    resultaat_url = models.URLField(
        _("resultaat"),
        max_length=1000,
        blank=True,
        help_text=_("The zaak's resultaat, while it has one (a reopened case loses it)."),
    )
    closed = models.BooleanField(
        _("closed in the Zaken API"),
        default=False,
        help_text=_("Whether the final status was queued (a reopening sends it back)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("zaak of a case")
        verbose_name_plural = _("zaken of cases")

    def __str__(self) -> str:
        return self.zaak_url or str(_("(not registered yet)"))
