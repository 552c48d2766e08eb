"""Every write of `zgw`: the zaak of a referral and its steps, queued in the HTTP outbox, and
the configuration's sealed secret.

The calls of one case form one delivery group (`zgw:case:<id>`), so the Zaken API gets them
in order: the zaak first, then its rol and statuses; on closing the resultaat and the archiving
fields before the final status (the Zaken API refuses an eindstatus without a resultaat).
"""

from django.db.models.functions import Lower
from django.utils import timezone

from cases.models import Case, CaseStatus
from mediation import crypto
from mediation.http_outbox import http_enqueue
from mediation.keys import system_key
from mediation.types import User
from zgw import payloads
from zgw.models import ZaakLink, ZgwConfiguration

SENDER = "zgw"
# The system key the client secrets are sealed under, and the field they are bound to (names,
# not secrets).
SECRET_KEY_NAME = "zgw"  # noqa: S105
SECRET_FIELD = "client_secret"  # noqa: S105


class Purpose:
    """What each call of the group does (HttpDelivery.purpose)."""

    ZAAK = "zgw.zaak"
    ROL = "zgw.rol"
    STATUS = "zgw.status"
    RESULTAAT = "zgw.resultaat"
    RESULTAAT_DELETE = "zgw.resultaat_delete"
    ARCHIVE = "zgw.archive"


def case_group(case_id: int) -> str:
    return f"zgw:case:{case_id}"


def configuration_for(organisation: str) -> ZgwConfiguration | None:
    """The active configuration of a referring organisation (names compared ignoring case)."""
    return (
        ZgwConfiguration.objects.annotate(lowered=Lower("organisation"))
        .filter(lowered=organisation.strip().lower(), active=True)
        .first()
    )


def configuration_secret_set(*, configuration: ZgwConfiguration, secret: str) -> None:
    """Seal the client secret into the configuration (saved by the caller)."""
    configuration.sealed_secret = crypto.seal(
        system_key(SECRET_KEY_NAME), secret, context=configuration.context(SECRET_FIELD)
    )


def configuration_secret(configuration: ZgwConfiguration) -> str:
    """The client secret, opened; `crypto.CannotOpen` when it cannot be."""
    return crypto.unseal(
        system_key(SECRET_KEY_NAME),
        bytes(configuration.sealed_secret),
        context=configuration.context(SECRET_FIELD),
    )


def _api(configuration: ZgwConfiguration, path: str) -> str:
    return configuration.zaken_api_url.rstrip("/") + path


def _queue(link: ZaakLink, purpose: str, method: str, url: str, body: dict | None) -> None:
    http_enqueue(
        sender=SENDER,
        purpose=purpose,
        method=method,
        url=url,
        body=body,
        group=case_group(link.case_id),
        case_id=link.case_id,
    )


def _status(link: ZaakLink, status: str) -> None:
    statustype = link.configuration.statustype_for(status)
    if statustype:
        body = payloads.status_body(statustype, timezone.now())
        _queue(link, Purpose.STATUS, "POST", _api(link.configuration, "/statussen"), body)


def zaak_register(*, case: Case, actor: User) -> ZaakLink | None:
    """A referral from a configured municipality becomes a zaak, with the referring
    organisation's rol and the first status (after_referral; in the referral's transaction)."""
    configuration = configuration_for(case.referring_organisation)
    if configuration is None:
        return None
    link = ZaakLink.objects.create(case=case, configuration=configuration)
    body = payloads.zaak_body(case, configuration)
    _queue(link, Purpose.ZAAK, "POST", _api(configuration, "/zaken"), body)
    if configuration.roltype_url:
        body = payloads.rol_body(case, configuration)
        _queue(link, Purpose.ROL, "POST", _api(configuration, "/rollen"), body)
    _status(link, case.status)
    return link


def zaak_step(*, case: Case, actor: User) -> None:
    """A step of the case becomes a status of its zaak; closing adds the resultaat first and
    the archiving fields after; reopening takes the resultaat away (after_every_step)."""
    link = ZaakLink.objects.select_related("configuration").filter(case=case).first()
    if link is None or not link.configuration.active:
        return
    configuration = link.configuration
    # The zaak's own URL is known only when the archive call is sent: the sender fills it in.
    # Both changes to the zaak come while it is open, so the client needs no right to change
    # a closed zaak (zaken.geforceerd-bijwerken).
    if case.status == CaseStatus.CLOSED:
        resultaattype = configuration.resultaattype_for(case.outcome) if case.outcome else ""
        if resultaattype:
            body = payloads.resultaat_body(resultaattype)
            _queue(link, Purpose.RESULTAAT, "POST", _api(configuration, "/resultaten"), body)
        # Before the final status: a Zaken API derives the archive date itself only when
        # none was set.
        _queue(link, Purpose.ARCHIVE, "PATCH", "", payloads.archive_body(case, configuration))
        _status(link, case.status)
        ZaakLink.objects.filter(pk=link.pk).update(closed=True)
        return
    _status(link, case.status)
    if link.closed:
        # Reopened (the status above opens the zaak again): it may take a new resultaat at
        # the next closing, and has no archive date while it runs.
        _queue(link, Purpose.RESULTAAT_DELETE, "DELETE", "", None)
        _queue(link, Purpose.ARCHIVE, "PATCH", "", payloads.archive_body(case, configuration))
        ZaakLink.objects.filter(pk=link.pk).update(closed=False)
