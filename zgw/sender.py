"""How a queued ZGW call is made: the JWT and the zaak's URL are added when it is sent.

The token is made afresh for every call (ZGW's auth spec: HS256 over iss, iat, client_id,
user_id and user_representation, with the client's secret), so no row holds a secret or a
token that could be replayed. A call that refers to the zaak reads its URL from the case's
`ZaakLink`, which the answer to the zaak's own call filled in: the group's order guarantees
that call went first.
"""

import time
from typing import Any

import jwt
from django.utils import timezone

from mediation.http_outbox import CallCannotBeMade, CallWithdrawn, HttpCall
from mediation.models import HttpDelivery
from zgw.models import ZaakLink, ZgwConfiguration
from zgw.services import Purpose, configuration_secret

# Who the Zaken API records as the user behind the calls: the system, not a person.
USER_ID = "tafel"
USER_REPRESENTATION = "Tafel (mediation)"
# The zaak's geometry's coordinate system: the Zaken API requires both headers on /zaken.
CRS = "EPSG:4326"


def zgw_token(configuration: ZgwConfiguration, *, now: float | None = None) -> str:
    """A JWT for the Zaken API, signed with the configuration's client secret."""
    claims = {
        "iss": configuration.client_id,
        "iat": int(now if now is not None else time.time()),
        "client_id": configuration.client_id,
        "user_id": USER_ID,
        "user_representation": USER_REPRESENTATION,
    }
    return jwt.encode(claims, configuration_secret(configuration), algorithm="HS256")


def _link(delivery: HttpDelivery) -> ZaakLink:
    if delivery.case_id is None:
        raise CallCannotBeMade("no-case")
    links = ZaakLink.objects.select_related("configuration")
    link = links.filter(case_id=int(delivery.case_id)).first()
    if link is None:
        raise CallCannotBeMade("no-zaak-link")
    return link


def zgw_prepare(delivery: HttpDelivery) -> HttpCall:
    """The request of a stored call: its token, and the zaak's URL where it needs it."""
    link = _link(delivery)
    url, body = delivery.url, delivery.body
    if delivery.purpose != Purpose.ZAAK:
        if not link.zaak_url:
            # The zaak's own call failed for good: there is no zaak to refer to.
            raise CallCannotBeMade("no-zaak")
        if delivery.purpose == Purpose.RESULTAAT_DELETE:
            if not link.resultaat_url:
                raise CallWithdrawn("no-resultaat")
            url = link.resultaat_url
        elif delivery.purpose == Purpose.ARCHIVE:
            url = link.zaak_url
        else:
            body = {**(body or {}), "zaak": link.zaak_url}
    headers = {
        "Authorization": f"Bearer {zgw_token(link.configuration)}",
        "Accept": "application/json",
    }
    if delivery.purpose in (Purpose.ZAAK, Purpose.ARCHIVE):
        headers.update({"Accept-Crs": CRS, "Content-Crs": CRS})
    return HttpCall(method=delivery.method, url=url, body=body, headers=headers)


def zgw_delivered(delivery: HttpDelivery, answer: Any) -> None:
    """Remember the URLs the Zaken API gave the zaak and its resultaat."""
    links = ZaakLink.objects.filter(case_id=delivery.case_id or 0)
    if delivery.purpose == Purpose.ZAAK:
        links.update(zaak_url=str(answer["url"]), registered_at=timezone.now())
    elif delivery.purpose == Purpose.RESULTAAT:
        links.update(resultaat_url=str(answer["url"]))
    elif delivery.purpose == Purpose.RESULTAAT_DELETE:
        links.update(resultaat_url="")
