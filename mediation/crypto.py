"""Envelope encryption for confidential text. The only module that touches the cipher library.

- Master keys (key-encryption keys) are Fernet keys from TAFEL_MASTER_KEYS (or a key file),
  newest first, used through MultiFernet. Each has a key id: the first 12 hex digits of the
  SHA-256 of the key, so the id names a key without revealing it.
- Each case has its own random 256-bit data key, stored only wrapped by the primary master key.
- Text is sealed with AES-256-GCM under the data key. The associated data names the case, the
  record and the field, so a ciphertext moved to another row, field or case fails to open.
- A sealed value is: format version (1 byte) | nonce (12 bytes) | ciphertext and tag.

Development mode generates a key file in the instance folder (0600) on first use; production
refuses to start without keys (see settings).
"""

import hashlib
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12
DATA_KEY_BYTES = 32


class CannotOpen(Exception):
    """Sealed text or a wrapped key that cannot be opened: wrong key, tampered or moved."""


@dataclass(frozen=True)
class Keyring:
    """The configured master keys, newest (primary) first."""

    ids: tuple[str, ...]
    fernet: MultiFernet
    by_id: dict

    @property
    def primary_id(self) -> str:
        return self.ids[0]


def key_id(key: str | bytes) -> str:
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(raw.strip()).hexdigest()[:12]


def generate_master_key() -> str:
    """A new master key, to put first in TAFEL_MASTER_KEYS."""
    return Fernet.generate_key().decode()


@lru_cache(maxsize=8)
def _parse(text: str) -> tuple[str, ...]:
    """The keys in `text` (comma- or line-separated); cached, since every unwrap asks."""
    return tuple(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())


def _development_key_file() -> Path:
    path = Path(settings.VAR_DIR) / "master.keys"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created with 0600 from the start: the key is never readable by others, not even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(generate_master_key() + "\n")
    return path


def configured_keys() -> tuple[str, ...]:
    """The master keys from settings, or from the development key file."""
    keys = _parse(settings.TAFEL_MASTER_KEYS)
    if not keys:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("TAFEL_MASTER_KEYS is not set.")
        keys = _parse(_development_key_file().read_text())
    return keys


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    try:
        fernets = [Fernet(key) for key in keys]
    except ValueError:
        raise ImproperlyConfigured(
            "TAFEL_MASTER_KEYS holds a value that is not a key; make one with "
            "`python manage.py generate_key`."
        ) from None
    ids = tuple(key_id(key) for key in keys)
    return Keyring(ids=ids, fernet=MultiFernet(fernets), by_id=dict(zip(ids, fernets, strict=True)))


def keyring() -> Keyring:
    return _keyring(configured_keys())


def data_key_new() -> tuple[bytes, str]:
    """A new random data key, wrapped under the primary master key: (wrapped, key id)."""
    ring = keyring()
    return ring.fernet.encrypt(secrets.token_bytes(DATA_KEY_BYTES)), ring.primary_id


def data_key_unwrap(wrapped: bytes) -> bytes:
    """The data key inside `wrapped`; CannotOpen when no configured master key opens it."""
    try:
        key = keyring().fernet.decrypt(bytes(wrapped))
    except InvalidToken:
        raise CannotOpen("no configured master key opens this data key") from None
    if len(key) != DATA_KEY_BYTES:
        raise CannotOpen("the data key has the wrong length")
    return key


def data_keys_rewrap(wrapped_keys: Sequence[tuple[bytes, str]]) -> list[bytes | None]:
    """Each (wrapped, id of the master key that wraps it) re-wrapped under the primary master key.

    For rotation over many keys: each is opened with the master key its id names, one attempt
    where MultiFernet would try every key, newest first; when the id is unknown or wrong every
    configured key is tried. None in place of a key that no configured master key opens.
    """
    ring = keyring()
    primary = ring.by_id[ring.primary_id]
    rewrapped: list[bytes | None] = []
    for wrapped, wrapped_by in wrapped_keys:
        token = bytes(wrapped)
        try:
            named = ring.by_id.get(wrapped_by)
            key = named.decrypt(token) if named else ring.fernet.decrypt(token)
        except InvalidToken:
            try:
                key = ring.fernet.decrypt(token)
            except InvalidToken:
                key = b""
        rewrapped.append(primary.encrypt(key) if len(key) == DATA_KEY_BYTES else None)
    return rewrapped


def seal_bytes(data_key: bytes, data: bytes, *, context: str) -> bytes:
    """Encrypt `data` under `data_key`, bound to `context` (case, record and field)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return FORMAT_V1 + nonce + AESGCM(data_key).encrypt(nonce, data, context.encode("utf-8"))


def unseal_bytes(data_key: bytes, blob: bytes | memoryview, *, context: str) -> bytes:
    """Decrypt a sealed value; CannotOpen when the key, the bytes or the context do not match."""
    blob = bytes(blob or b"")
    if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != FORMAT_V1:
        raise CannotOpen("not a sealed value of a known format")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(data_key).decrypt(nonce, sealed, context.encode("utf-8"))
    except InvalidTag:
        raise CannotOpen("the sealed value does not match its key or its place") from None


def seal(data_key: bytes, plaintext: str, *, context: str) -> bytes:
    """Encrypt text under `data_key`, bound to `context` (case, record and field)."""
    return seal_bytes(data_key, plaintext.encode("utf-8"), context=context)


def unseal(data_key: bytes, blob: bytes, *, context: str) -> str:
    """Decrypt sealed text; CannotOpen when the key, the bytes or the context do not match."""
    return unseal_bytes(data_key, blob, context=context).decode("utf-8")


def master_keys_problem(text: str) -> str:
    """Why `text` is not a usable list of master keys, or "" when it is (checked at start-up)."""
    keys = _parse(text)
    if not keys:
        return "it holds no key"
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            return f"key {position} is not a key made by `python manage.py generate_key`"
    return ""


class SealedRecord(Protocol):
    """A model whose fields `sealed_<field>` hold sealed text bound to the record."""

    def context(self, field: str) -> str:
        """The associated data for `field`: names the record (its uid) and the field."""
        ...


def field_seal(data_key: bytes, record: SealedRecord, field: str, plaintext: str) -> None:
    """Seal `plaintext` into `record.sealed_<field>`, bound to that record and field."""
    setattr(record, f"sealed_{field}", seal(data_key, plaintext, context=record.context(field)))


def field_open(data_key: bytes, record: SealedRecord, field: str) -> str:
    """The text in `record.sealed_<field>`; CannotOpen when the key or the bytes do not fit
    (changed, or moved from another record or field)."""
    blob = getattr(record, f"sealed_{field}")
    return unseal(data_key, bytes(blob), context=record.context(field))
