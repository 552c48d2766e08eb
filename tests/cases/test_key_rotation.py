"""rotate_keys over many keys: batches, parties and the index key, concurrent erasure, queries."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import keys
from cases.keys import keys_rotate
from cases.models import CaseKey
from cases.services import case_key_destroy
from mediation import crypto
from mediation.models import WrappedSecret
from parties.contact import contact_open
from parties.models import Party, PartyKey
from parties.services import party_create

pytestmark = pytest.mark.django_db

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def under_key_a(settings):
    settings.TAFEL_MASTER_KEYS = KEY_A
    return settings


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
    assert WrappedSecret.objects.exists()  # the blind-index key, made for the email addresses

    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"
    report = keys_rotate(batch_size=2)
    under_key_a.TAFEL_MASTER_KEYS = KEY_B  # key A removed

    expected = CaseKey.objects.count() + Party.objects.count() + WrappedSecret.objects.count()
    assert CaseKey.objects.count() == len(cases)
    assert (report.rewrapped, report.failed) == (expected, [])
    new_id = crypto.key_id(KEY_B)
    for model in (CaseKey, PartyKey, WrappedSecret):
        assert set(model.objects.values_list("master_key_id", flat=True)) == {new_id}
    for case_key in CaseKey.objects.all():
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

    def swap_after_an_erasure(model, *args):
        # Read and re-wrapped already; destroyed now, before the batch is written.
        if model is CaseKey:
            case_key_destroy(case=first, actor=personas.supervisor, reason="bewaartermijn")
        return real_swap(model, *args)

    monkeypatch.setattr(keys, "_swap", swap_after_an_erasure)
    report = keys.keys_rotate()

    assert CaseKey.objects.get(case=first).wrapped is None
    assert CaseKey.objects.get(case=second).master_key_id == crypto.key_id(KEY_B)
    assert report.failed == []
    # Everything but the destroyed key: the other case's, the four parties' and the index key.
    assert report.rewrapped == 1 + PartyKey.objects.count() + WrappedSecret.objects.count()


def test_a_key_no_master_key_opens_is_reported_once_and_the_rest_moves(under_key_a, refer):
    broken, fine = refer(), refer()
    CaseKey.objects.filter(case=broken).update(
        wrapped=Fernet(Fernet.generate_key()).encrypt(b"k" * 32)
    )
    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"

    report = keys_rotate(batch_size=1)

    assert report.failed == [f"case data key {CaseKey.objects.get(case=broken).pk}"]
    assert CaseKey.objects.get(case=fine).master_key_id == crypto.key_id(KEY_B)


def test_a_wrong_key_id_on_a_row_does_not_stop_its_key_from_moving(under_key_a, refer):
    case = refer()
    CaseKey.objects.filter(case=case).update(master_key_id="000000000000")
    under_key_a.TAFEL_MASTER_KEYS = f"{KEY_B},{KEY_A}"

    assert keys_rotate().failed == []
    assert CaseKey.objects.get(case=case).master_key_id == crypto.key_id(KEY_B)


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

    assert CaseKey.objects.count() == 12
    assert set(CaseKey.objects.values_list("master_key_id", flat=True)) == {crypto.key_id(key_c)}
    assert few == many
