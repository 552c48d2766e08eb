"""How the secrets of two-factor sign-in are kept at rest: never in plain text.

- An authenticator app's key (the secret both the app and Tafel compute codes from) is sealed
  with AES-256-GCM (`mediation.crypto`) under a system key, bound to its device row, and opened
  only to check a code or to show it once while the app is set up.
- A recovery code is kept as an HMAC-SHA256 under another system key, bound to its device row:
  a database dump alone gives no code, and a digest copied to another row matches nothing.

Both system keys are data keys like any other: stored only wrapped and re-wrapped when master
keys rotate (`mediation.keys`). The models and the migration that sealed the secrets django-otp
used to store in plain text both use these functions.
"""

import hashlib
import hmac

from mediation import crypto
from mediation.keys import system_key

APP_KEY_NAME = "two-factor-app-keys"
RECOVERY_KEY_NAME = "two-factor-recovery-codes"


def app_key_context(device_pk: int) -> str:
    """What a sealed app key is bound to: its device row and field."""
    return f"twofactor.appdevice.{device_pk}.key"


def app_key_seal(device_pk: int, key: bytes) -> bytes:
    """The app key `key` sealed for device `device_pk`."""
    return crypto.seal_bytes(system_key(APP_KEY_NAME), key, context=app_key_context(device_pk))


def app_key_open(device_pk: int, sealed: bytes | memoryview) -> bytes:
    """The app key of device `device_pk`; `crypto.CannotOpen` if it was moved or damaged."""
    return crypto.unseal_bytes(
        system_key(APP_KEY_NAME), bytes(sealed), context=app_key_context(device_pk)
    )


def recovery_code_digest(device_pk: int, code: str) -> str:
    """The HMAC-SHA256 (hex) of a normalised recovery code, bound to its device row."""
    message = f"twofactor.recoverydevice.{device_pk}:{code}".encode()
    return hmac.new(system_key(RECOVERY_KEY_NAME), message, hashlib.sha256).hexdigest()
