import os
import stat

import pytest
from cryptography.fernet import Fernet

from mediation import crypto

TEXT = "Geheim: Zoë zei nee, مرحبا"  # accents and right-to-left text
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_sealed_text_opens_only_with_its_key_and_context(settings):
    settings.TAFEL_MASTER_KEYS = KEY_A
    wrapped, key_id = crypto.data_key_new()
    data_key = crypto.data_key_unwrap(wrapped)
    sealed = crypto.seal(data_key, TEXT, context="case=1/note=a/body")

    assert key_id == crypto.key_id(KEY_A)
    assert crypto.unseal(data_key, sealed, context="case=1/note=a/body") == TEXT
    assert sealed[:1] == b"\x01"  # format version
    for wrong in ("case=2/note=a/body", "case=1/note=b/body", "case=1/note=a/title"):
        with pytest.raises(crypto.CannotOpen):
            crypto.unseal(data_key, sealed, context=wrong)
    with pytest.raises(crypto.CannotOpen):
        crypto.unseal(os.urandom(32), sealed, context="case=1/note=a/body")


def test_every_flipped_byte_makes_a_sealed_value_unopenable(settings):
    settings.TAFEL_MASTER_KEYS = KEY_A
    data_key = crypto.data_key_unwrap(crypto.data_key_new()[0])
    sealed = crypto.seal(data_key, "tekst", context="c")

    for position in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises(crypto.CannotOpen):
            crypto.unseal(data_key, bytes(tampered), context="c")


def test_the_same_text_seals_differently_each_time(settings):
    settings.TAFEL_MASTER_KEYS = KEY_A
    data_key = crypto.data_key_unwrap(crypto.data_key_new()[0])

    assert crypto.seal(data_key, "x", context="c") != crypto.seal(data_key, "x", context="c")


def test_an_older_master_key_still_opens_and_rewrap_moves_to_the_newest(settings):
    settings.TAFEL_MASTER_KEYS = KEY_A
    wrapped, key_id = crypto.data_key_new()
    data_key = crypto.data_key_unwrap(wrapped)

    settings.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"
    assert crypto.data_key_unwrap(wrapped) == data_key
    # The key id a row names may be stale or wrong: every configured key is tried then.
    [rewrapped, also] = crypto.data_keys_rewrap([(wrapped, key_id), (wrapped, "000000000000")])
    [unopenable] = crypto.data_keys_rewrap([(os.urandom(100), key_id)])

    settings.TAFEL_MASTER_KEYS = KEY_B
    assert unopenable is None
    assert crypto.data_key_unwrap(also) == data_key
    assert crypto.data_key_unwrap(rewrapped) == data_key
    with pytest.raises(crypto.CannotOpen):
        crypto.data_key_unwrap(wrapped)


def test_development_generates_a_private_key_file_once(settings, tmp_path):
    settings.TAFEL_MASTER_KEYS = ""
    settings.VAR_DIR = tmp_path

    first = crypto.configured_keys()
    second = crypto.configured_keys()

    path = tmp_path / "master.keys"
    assert first == second and len(first) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_production_never_generates_a_key(settings, tmp_path):
    settings.TAFEL_MASTER_KEYS = ""
    settings.VAR_DIR = tmp_path
    settings.PRODUCTION = True

    with pytest.raises(Exception, match="TAFEL_MASTER_KEYS is not set"):
        crypto.configured_keys()
    assert not (tmp_path / "master.keys").exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "holds no key"), ("nonsense", "key 1 is not a key"), (f"{KEY_A},x", "key 2")],
    # Named ids: KEY_A is new in every process, and pytest-xdist needs the same test ids in each.
    ids=["empty", "nonsense", "second-key-not-a-key"],
)
def test_master_key_problems_are_named(text, problem):
    assert problem in crypto.master_keys_problem(text)
    assert crypto.master_keys_problem(f"{KEY_A}, {KEY_B}") == ""
