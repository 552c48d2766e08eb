"""The bodies Tafel sends to a Zaken API (VNG Zaken API 1.x): status and outcome only.

What a zaak may carry is decided here, in one place: the case's reference, its dates, its
status and outcome, the referring organisation's name, and the archiving fields from the
retention rules. Never the title, the reason for the referral, notes, parties, sessions or
the agreement. A body that refers to the zaak leaves out `zaak`: the zaak's URL is only known
once the Zaken API made it, so the sender adds it when the call is made (`zgw.sender`).
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cases.models import Case
from dossier.models import RecordClass
from dossier.rules import kept_until, rule_for_kind
from zgw.models import ZgwConfiguration

# The rol's explanation (required by the Zaken API): the same words for every case.
ROL_TOELICHTING = "Verwijzende organisatie"


def zaak_omschrijving(case: Case) -> str:
    """A neutral description: the reference only, never the case's title (max 80)."""
    return f"Mediation {case.reference}"


def zaak_body(case: Case, configuration: ZgwConfiguration) -> dict[str, Any]:
    """POST /zaken: the zaak of a new referral."""
    return {
        "bronorganisatie": configuration.bronorganisatie,
        "verantwoordelijkeOrganisatie": configuration.verantwoordelijke_organisatie,
        "zaaktype": configuration.zaaktype_url,
        "omschrijving": zaak_omschrijving(case),
        "registratiedatum": timezone.localdate(case.created_at).isoformat(),
        "startdatum": case.referred_on.isoformat(),
        "vertrouwelijkheidaanduiding": configuration.vertrouwelijkheidaanduiding,
        "archiefnominatie": configuration.archiefnominatie,
    }


def rol_body(case: Case, configuration: ZgwConfiguration) -> dict[str, Any]:
    """POST /rollen: the referring organisation, by its name only."""
    return {
        "betrokkeneType": "niet_natuurlijk_persoon",
        "roltype": configuration.roltype_url,
        "roltoelichting": ROL_TOELICHTING,
        "betrokkeneIdentificatie": {"statutaireNaam": case.referring_organisation[:500]},
    }


def status_body(statustype: str, when: datetime) -> dict[str, Any]:
    """POST /statussen: a lifecycle step (no reason, no explanation)."""
    return {"statustype": statustype, "datumStatusGezet": when.isoformat()}


def resultaat_body(resultaattype: str) -> dict[str, Any]:
    """POST /resultaten: the outcome (no explanation)."""
    return {"resultaattype": resultaattype}


def archive_date(case: Case) -> date | None:
    """The archive action date: the last day the dossier is kept (Tafel's retention rule for
    the case's kind), or None while the case has not ended."""
    if case.ended_on is None:
        return None
    return kept_until(RecordClass.DOSSIER, case.ended_on, rule_for_kind(case.kind_id))


def archive_body(case: Case, configuration: ZgwConfiguration) -> dict[str, Any]:
    """PATCH /zaken/{uuid}: the archiving fields once the case ended (null when reopened)."""
    ends = archive_date(case)
    return {
        "archiefnominatie": configuration.archiefnominatie,
        "archiefactiedatum": ends.isoformat() if ends else None,
    }
