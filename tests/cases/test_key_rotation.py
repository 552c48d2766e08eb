"""rotate_keys over many keys: batches, parties and the index key, concurrent erasure, queries."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.services import case_key_destroy
from mediation import crypto, keys
from mediation.keys import keys_rotate
from mediation.models import DataKey, KeyPurpose
from parties.contact import contact_open
from parties.models import Party
from parties.services import party_create

pytestmark = pytest.mark.django_db

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def under_key_a(settings):
    settings.TAFEL_MASTER_KEYS = KEY_A
    return settings


def _key_of(case: Case) -> DataKey:
    return DataKey.objects.get(pk=Case.objects.values_list("key", flat=True).get(pk=case.pk))


def _party(personas, number: int) -> Party:
    return party_create(
        actor=personas.mediator,
        kind="person",
        name=f"Partij {number}",
        email=f"partij{number}@example.org",
        phone="",
        postal_address="",
    )


def test_every_kind_of_key_moves_in_small_batches_and_still_opens(under_key_a, refer, personas):
    cases = [refer() for _ in range(3)]
    parties = [_party(personas, number) for number in range(3)]
    # the blind-index key, made for the email addresses
    assert DataKey.objects.filter(purpose=KeyPurpose.SYSTEM).exists()

    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"
    report = keys_rotate(batch_size=2)
    under_key_a.TAFEL_MASTER_KEYS = KEY_B  # key A removed

    case_keys = DataKey.objects.filter(purpose=KeyPurpose.CASE)
    expected = case_keys.count() + Party.objects.count() + 1  # and the index key
    assert case_keys.count() == len(cases)
    assert DataKey.objects.count() == expected
    assert (report.rewrapped, report.failed) == (expected, [])
    new_id = crypto.key_id(KEY_B)
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    for case_key in case_keys:
        assert len(crypto.data_key_unwrap(case_key.wrapped)) == crypto.DATA_KEY_BYTES
    for number, party in enumerate(parties):
        party.refresh_from_db()
        assert contact_open(party).email == f"partij{number}@example.org"
    assert keys_rotate().rewrapped == 0  # nothing left to do


def test_a_key_destroyed_during_its_batch_stays_destroyed(
    under_key_a, refer, personas, monkeypatch
):
    first, second = refer(), refer()
    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"
    real_swap = keys._swap

    def swap_after_an_erasure(swaps, *args):
        # Read and re-wrapped already; destroyed now, before the batch is written.
        case_key_destroy(case=first, actor=personas.supervisor, reason="bewaartermijn")
        return real_swap(swaps, *args)

    monkeypatch.setattr(keys, "_swap", swap_after_an_erasure)
    report = keys.keys_rotate()

    assert _key_of(first).wrapped is None
    assert _key_of(second).master_key_id == crypto.key_id(KEY_B)
    assert report.failed == []
    # Everything but the destroyed key: the other case's, the four parties' and the index key.
    assert report.rewrapped == DataKey.objects.count() - 1


def test_a_key_no_master_key_opens_is_reported_once_and_the_rest_moves(under_key_a, refer):
    broken, fine = refer(), refer()
    DataKey.objects.filter(pk=_key_of(broken).pk).update(
        wrapped=Fernet(Fernet.generate_key()).encrypt(b"k" * 32)
    )
    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"

    report = keys_rotate(batch_size=1)

    assert report.failed == [f"data key {_key_of(broken).pk}"]
    assert _key_of(fine).master_key_id == crypto.key_id(KEY_B)


def test_a_wrong_key_id_on_a_row_does_not_stop_its_key_from_moving(under_key_a, refer):
    case = refer()
    DataKey.objects.filter(pk=_key_of(case).pk).update(master_key_id="000000000000")
    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"

    assert keys_rotate().failed == []
    assert _key_of(case).master_key_id == crypto.key_id(KEY_B)


def test_the_queries_of_a_rotation_do_not_grow_with_the_keys(under_key_a, refer):
    key_c = Fernet.generate_key().decode()

    def rotation_queries(keys: str) -> int:
        under_key_a.TAFEL_MASTER_KEYS = keys
        with CaptureQueriesContext(connection) as queries:
            keys_rotate()
        return len(queries)

    refer(), refer()
    few = rotation_queries(f"{KEY_B},{KEY_A}")
    for _ in range(10):
        refer()
    many = rotation_queries(f"{key_c},{KEY_B}")

    case_keys = DataKey.objects.filter(purpose=KeyPurpose.CASE)
    assert case_keys.count() == 12
    assert set(case_keys.values_list("master_key_id", flat=True)) == {crypto.key_id(key_c)}
    assert few == many
