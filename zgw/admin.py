"""The administrator sets up each municipality's Zaken API here; every change is audited by
the admin site (the fields' names only: the secret's value never reaches the trail)."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from mediation.admin import ReadOnlyAdminMixin
from zgw.forms import ZgwConfigurationForm
from zgw.models import ZaakLink, ZgwConfiguration


@admin.register(ZgwConfiguration)
class ZgwConfigurationAdmin(admin.ModelAdmin):
    form = ZgwConfigurationForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    list_display = ["organisation", "active", "zaken_api_url", "updated_at"]
    list_filter = ["active"]
    search_fields = ["organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    "active",
                    "zaken_api_url",
                    "zaaktype_url",
                    "bronorganisatie",
                    "verantwoordelijke_organisatie",
                    "vertrouwelijkheidaanduiding",
                    "archiefnominatie",
                    "roltype_url",
                ]
            },
        ),
        (_("Authorisation (ZGW JWT)"), {"fields": ["client_id", "client_secret"]}),
        (
            _("Statustype per step of the case"),
            {
                "fields": [
                    "statustype_referred",
                    "statustype_intake",
                    "statustype_sessions",
                    "statustype_agreement",
                    "statustype_follow_up",
                    "statustype_closed",
                ]
            },
        ),
        (
            _("Resultaattype per outcome"),
            {
                "fields": [
                    "resultaattype_full_agreement",
                    "resultaattype_partial_agreement",
                    "resultaattype_no_agreement",
                    "resultaattype_withdrawn",
                    "resultaattype_declined",
                    "resultaattype_referred_elsewhere",
                ]
            },
        ),
    ]


@admin.register(ZaakLink)
class ZaakLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which case became which zaak (the case's reference only)."""

    list_display = ["case_reference", "configuration", "zaak_url", "registered_at"]
    list_select_related = ["case", "configuration"]
    search_fields = ["case__reference"]
    fields = readonly_fields = (
        "case_reference",
        "configuration",
        "zaak_url",
        "resultaat_url",
        "registered_at",
    )

    @admin.display(description=_("case"))
    def case_reference(self, link: ZaakLink) -> str:
        return link.case.reference
