"""Sealing a party's contact details (email, phone, postal address) under its own data key
(its needs are sealed under the same key: parties.needs).

A party can take part in several cases, so its details have a key of their own rather than a
case's: destroying one case's key leaves the party's details in other cases intact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mediation import crypto, keys
from mediation.models import KeyPurpose
from parties.matching import normalise_email

if TYPE_CHECKING:
    # parties.models opens contact details through this module.
    from parties.models import Party

CONTACT_FIELDS = ("email", "phone", "postal_address")


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    readable: bool = True


def _context(party) -> str:
    return f"tafel/party/v1/party={party.uid}/contact"


def party_data_key(party: Party) -> bytes:
    """The party's data key; a party without one (new, or its key destroyed) gets one."""
    if party.key is None or party.key.wrapped is None:
        party.key = keys.data_key_create(KeyPurpose.PARTY)
        party.save(update_fields=["key"])
    return keys.data_key_open(party.key)


def contact_seal(party, *, email: str, phone: str, postal_address: str) -> None:
    """Seal the details onto `party` (saved already; the details are not saved here), with
    its email's blind index."""
    key = party_data_key(party)
    document = json.dumps(
        {"email": email, "phone": phone, "postal_address": postal_address}, ensure_ascii=False
    )
    party.sealed_contact = crypto.seal(key, document, context=_context(party))
    party.email_index = keys.blind_index(normalise_email(email))
    party.__dict__["contact"] = Contact(email, phone, postal_address)


def contact_open(party) -> Contact:
    """The party's details; `readable=False` when they cannot be opened (key gone or changed).

    Reads `party.key`: select_related("key") (or "party__key") when opening many.
    """
    if party.sealed_contact is None:
        return Contact()
    try:
        key = keys.data_key_open(party.key)
        document = json.loads(crypto.unseal(key, party.sealed_contact, context=_context(party)))
    except (crypto.CannotOpen, TypeError, ValueError):
        return Contact(readable=False)
    return Contact(**{field: document.get(field, "") for field in CONTACT_FIELDS})
