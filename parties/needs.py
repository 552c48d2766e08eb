"""Sealing a party's needs that describe health, disability or origin (AVG art. 9 special
categories) under its own data key, like its contact details (parties.contact).

Decided field by field (and written down in the register of processing, dossier.register):

- **The interpreter's language**: sealed (`sealed_needs`), with the plain flag
  `needs_interpreter`. The language can reveal origin; invites and the planning only need to
  know that an interpreter comes.
- **Other needs** (free text): sealed (`sealed_needs`), with the plain flag `has_other_needs`.
  Free text about health or disability; lists only show that there are needs.
- **Step-free access**: the plain boolean `needs_step_free_access`. It is itself the flag: the
  session form warns, for every invitee, when a place has no step-free access, without opening
  anything; it says no more than a yes or no.

The sealed text is opened only where the case's mediators work with it (the participants'
panel and edit page) and for the person's own data (art. 15). Destroying the party's key
(destruction, erasure) makes it unreadable for good, in backups too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mediation import crypto, keys
from parties.contact import party_data_key

if TYPE_CHECKING:
    from parties.models import Party

NEEDS_FIELDS = ("interpreter_language", "other_needs")


@dataclass(frozen=True)
class Needs:
    interpreter_language: str = ""
    other_needs: str = ""
    readable: bool = True


def needs_context(uid) -> str:
    """Associated data binding the sealed needs to one party (by its uid)."""
    return f"tafel/party/v1/party={uid}/needs"


def needs_document(*, interpreter_language: str, other_needs: str) -> str:
    return json.dumps(
        {"interpreter_language": interpreter_language, "other_needs": other_needs},
        ensure_ascii=False,
    )


def needs_seal(party: Party, *, interpreter_language: str, other_needs: str) -> None:
    """Seal the needs onto `party` (saved already; not saved here) and set its plain flags.

    Nothing to seal leaves no ciphertext: a party without needs has `sealed_needs` empty.
    """
    party.needs_interpreter = bool(interpreter_language)
    party.has_other_needs = bool(other_needs)
    if interpreter_language or other_needs:
        party.sealed_needs = crypto.seal(
            party_data_key(party),
            needs_document(interpreter_language=interpreter_language, other_needs=other_needs),
            context=needs_context(party.uid),
        )
    else:
        party.sealed_needs = None
    party.__dict__["needs"] = Needs(interpreter_language, other_needs)


def needs_open(party) -> Needs:
    """The party's needs; `readable=False` when they cannot be opened (key gone or changed).

    Reads `party.key`: select_related("key") (or "party__key") when opening many.
    """
    if party.sealed_needs is None:
        return Needs()
    try:
        key = keys.data_key_open(party.key)
        document = json.loads(
            crypto.unseal(key, party.sealed_needs, context=needs_context(party.uid))
        )
    except (crypto.CannotOpen, TypeError, ValueError):
        return Needs(readable=False)
    return Needs(**{field: document.get(field, "") for field in NEEDS_FIELDS})
