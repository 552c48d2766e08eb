"""The secrets of two-factor sign-in are not in the database: an app's key is sealed, recovery
codes are HMACs. A dump of every table (and a pg_dump) holds neither, while signing in with
the app and with a recovery code still works; devices django-otp stored in plain text are moved
over by a migration without their users enrolling again."""

import importlib
import re
import time
from base64 import b32encode
from binascii import unhexlify

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mediation.crypto import CannotOpen
from tests import leaks
from tests.security.test_two_factor import code_for, required, shown_codes, sign_in
from twofactor.models import AppDevice, RecoveryCode, RecoveryDevice

pytestmark = pytest.mark.django_db

migration = importlib.import_module("twofactor.migrations.0002_seal_django_otp_secrets")


def enrol(client: Client) -> tuple[AppDevice, str, list[str]]:
    """Enrol an app as a person would; the device, the key as the page shows it, the codes."""
    response = client.get(reverse("twofactor:app"))
    shown = re.search(r'<code id="secret-key">([A-Z2-7 ]+)</code>', response.content.decode())
    device = AppDevice.objects.get(user=response.wsgi_request.user)
    response = client.post(reverse("twofactor:app"), {"code": code_for(device)})
    assert response.status_code == 302
    codes = shown_codes(client)
    assert len(codes) == 10
    return device, shown.group(1).replace(" ", ""), codes


def base32(key: bytes) -> str:
    return b32encode(key).decode("ascii").rstrip("=")


def secrets_found(key: bytes, shown: str, codes: list[str], blobs) -> list[str]:
    """Which of the secrets occur in `blobs`: the key raw, in hex and in base32, each code as
    shown and as typed without dashes."""
    texts = [shown, key.hex(), *codes, *(code.replace("-", "") for code in codes)]
    found = [text for text in texts if leaks.contains(text, *blobs)]
    if leaks.raw_in(key, *blobs):
        found.append("the raw key")
    return found


def signs_in_with(code: str, field: str = "code") -> bool:
    client = sign_in("mediator")
    return client.post(reverse("twofactor:verify"), {field: code}).status_code == 302


def check_sign_in_still_works(device: AppDevice, codes: list[str]) -> None:
    assert signs_in_with(code_for(device, offset=1))
    assert signs_in_with(codes[0], "recovery_code")
    assert not signs_in_with(codes[0], "recovery_code")  # used once, gone
    time.sleep(1.1)  # the wrong try above makes the next one wait a second (django-otp)
    assert signs_in_with(codes[1].upper(), "recovery_code")
    assert RecoveryCode.objects.filter(device__user=device.user).count() == 8


@required
def test_after_enrolment_neither_the_key_nor_a_recovery_code_is_in_any_table(personas):
    client = sign_in("mediator")
    device, shown, codes = enrol(client)
    key = AppDevice.objects.get(pk=device.pk).bin_key
    assert shown == base32(key)

    values = leaks.database_values()

    # The dump reads text and bytes columns: the user's name and the sealed key are there.
    assert leaks.contains("Authenticator app", *values)
    assert leaks.raw_in(bytes(AppDevice.objects.get(pk=device.pk).sealed_key), *values)
    assert secrets_found(key, shown, codes, values) == []
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    check_sign_in_still_works(device, codes)


@required
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_after_enrolment_neither_the_key_nor_a_recovery_code_is_in_a_pg_dump(personas):
    client = sign_in("mediator")
    device, shown, codes = enrol(client)
    key = AppDevice.objects.get(pk=device.pk).bin_key

    dump = leaks.pg_dump()

    assert leaks.contains("Authenticator app", dump)
    assert secrets_found(key, shown, codes, [dump, *leaks.database_values()]) == []
    check_sign_in_still_works(device, codes)


def test_a_sealed_key_moved_to_another_device_does_not_open(personas):
    ours = AppDevice.objects.create(user=personas.mediator, name="A")
    ours.key_set(b"k" * 20)
    ours.save()
    theirs = AppDevice.objects.create(user=personas.supervisor, name="B")
    AppDevice.objects.filter(pk=theirs.pk).update(sealed_key=ours.sealed_key)
    assert AppDevice.objects.get(pk=ours.pk).bin_key == b"k" * 20
    with pytest.raises(CannotOpen):
        _ = AppDevice.objects.get(pk=theirs.pk).bin_key


def test_a_recovery_code_copied_to_another_device_matches_nothing(personas):
    ours = RecoveryDevice.objects.create(user=personas.mediator, name="R")
    ours.code_add_all(["abcdabcdabcdabcd"])
    theirs = RecoveryDevice.objects.create(user=personas.supervisor, name="R")
    RecoveryCode.objects.create(device=theirs, digest=ours.codes.get().digest)
    assert not theirs.verify_token("abcdabcdabcdabcd")
    assert ours.verify_token("abcdabcdabcdabcd")
    assert not ours.codes.exists()


def test_the_same_app_code_sent_twice_at_once_signs_in_once(personas):
    device = AppDevice.objects.create(user=personas.mediator, name="A")
    device.key_set(b"s" * 20)
    device.save()
    first, second = AppDevice.objects.get(pk=device.pk), AppDevice.objects.get(pk=device.pk)
    code = code_for(first)
    # Both loaded before either verified: the second still holds the old last_t.
    assert first.verify_token(code)
    assert not second.verify_token(code)


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@required
@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_plain_django_otp_devices_and_their_users_keep_signing_in(personas):
    try:
        # Back to before the migration, then django-otp's devices as it stored them.
        migrate([("twofactor", "0001_initial")])
        app = TOTPDevice.objects.create(
            user=personas.mediator, name="Authenticator app", confirmed=True, drift=0, last_t=5
        )
        TOTPDevice.objects.create(user=personas.mediator, name="Authenticator app", confirmed=False)
        recovery = StaticDevice.objects.create(user=personas.mediator, name="Recovery codes")
        codes = ["aaaabbbbccccdddd", "eeeeffffgggghhhh", "iiiijjjjkkkkllll"]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        key = unhexlify(app.key)
        assert leaks.contains(app.key, *leaks.database_values())  # planted in plain text
        migrate([("twofactor", "0002_seal_django_otp_secrets")])
    finally:
        # Every app back to its latest migration: later tests need every table.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        migrate(executor.loader.graph.leaf_nodes())

    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    moved = AppDevice.objects.get(user=personas.mediator, confirmed=True)
    assert (moved.name, moved.last_t, moved.created_at) == (app.name, 5, app.created_at)
    assert moved.bin_key == key
    assert AppDevice.objects.filter(user=personas.mediator, confirmed=False).count() == 1
    assert RecoveryDevice.objects.get(user=personas.mediator).codes.count() == 3
    values = leaks.database_values()
    assert secrets_found(key, base32(key), codes, values) == []

    # Signing in: a code computed from the old key, then an old recovery code, once.
    clock = TOTP(key, 30, 0, 6, 0)
    clock.time = time.time()
    assert signs_in_with(f"{clock.token():06d}")
    assert signs_in_with("aaaa-bbbb-cccc-dddd", "recovery_code")
    assert not signs_in_with("aaaabbbbccccdddd", "recovery_code")


def test_the_migration_does_nothing_without_django_otp_devices(personas):
    migration.seal_existing(apps, None)
    assert not AppDevice.objects.exists() and not RecoveryDevice.objects.exists()
