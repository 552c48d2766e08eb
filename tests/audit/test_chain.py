from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from audit.models import GENESIS_HASH, AuditAction, AuditEvent
from audit.services import AuditDetailsError, audit_record
from audit.triggers import append_only_triggers_remove
from audit.verification import audit_chain_verify

pytestmark = pytest.mark.django_db


def record_events(count: int, actor=None) -> list[AuditEvent]:
    return [
        audit_record(
            action=AuditAction.LOGIN,
            actor=actor,
            details={"n": n, "name": "Zoë d'Hondt", "nested": {"b": [1, None, True], "a": "x"}},
        )
        for n in range(count)
    ]


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_events_form_a_chain_from_the_genesis_hash(personas):
    first, second, third = record_events(3, actor=personas.mediator)

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first.actor_label == "mediator"


def test_verify_reports_the_count_and_the_head_of_an_intact_chain(personas):
    events = record_events(4, actor=personas.supervisor)

    output = verify()

    assert "Audit chain intact: 4 events verified." in output
    assert f"Head: 4:{events[-1].hash}" in output


def test_verify_of_an_empty_trail_passes():
    assert "0 events verified" in verify()


def test_editing_an_event_with_raw_sql_is_named_by_verify():
    record_events(5)
    append_only_triggers_remove(connection)  # as an attacker with database access would
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET details = %s WHERE sequence = 3", ['{"n": 99}'])

    with pytest.raises(CommandError, match=r"broken at event 3: .*edited") as error:
        verify()
    assert error.value.returncode == 2


def test_editing_the_actor_name_is_caught_too():
    record_events(3)
    append_only_triggers_remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = 'someone' WHERE sequence = 2")

    assert audit_chain_verify().broken_at == 2


def test_deleting_a_middle_event_is_reported_as_a_gap():
    record_events(5)
    append_only_triggers_remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 3")

    with pytest.raises(CommandError, match="broken at event 3: event 3 is missing"):
        verify()


def test_a_forged_event_inserted_at_the_end_is_caught():
    events = record_events(2)
    append_only_triggers_remove(connection)
    forged = AuditEvent(
        sequence=3,
        occurred_at=events[-1].occurred_at,
        actor_label="system",
        action=AuditAction.LOGOUT,
        prev_hash=events[-1].hash,
        hash="f" * 64,
    )
    forged.save()

    report = audit_chain_verify()

    assert (report.broken_at, report.verified) == (3, 2)


def test_a_cut_off_tail_is_caught_with_the_head_recorded_earlier():
    events = record_events(5)
    head = f"5:{events[-1].hash}"
    append_only_triggers_remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence >= 4")

    assert "3 events verified" in verify()  # without the anchor, nothing shows
    with pytest.raises(CommandError, match="ends at event 3, before the head 5"):
        verify("--expect-head", head)


def test_a_head_that_differs_from_the_recorded_one_is_reported():
    record_events(3)

    with pytest.raises(CommandError, match="event 2 differs from the head recorded earlier"):
        verify("--expect-head", "2:" + "a" * 64)


def test_an_older_recorded_head_still_matches_a_longer_chain():
    events = record_events(3)
    record_events(2)

    assert "5 events verified" in verify("--expect-head", f"3:{events[-1].hash}")


def test_a_malformed_head_is_a_clear_error():
    with pytest.raises(CommandError, match="--expect-head takes SEQUENCE:HASH"):
        verify("--expect-head", "latest")


def test_verification_reads_the_trail_in_chunks(django_assert_num_queries):
    record_events(7)

    # 7 events in chunks of 3: reads of 3, 3, 1, and one that finds nothing more.
    with django_assert_num_queries(4):
        report = audit_chain_verify(chunk_size=3)

    assert report.intact and report.verified == 7


def test_a_second_event_claiming_the_same_predecessor_cannot_be_stored():
    first = audit_record(action=AuditAction.LOGIN, actor=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(
            sequence=2,
            occurred_at=first.occurred_at,
            actor_label="system",
            action=AuditAction.LOGIN,
            prev_hash=first.prev_hash,
            hash="b" * 64,
        )


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"amount": 1.5}, "float"),
        ({"text": "a\x00b"}, "NUL"),
        ({1: "x"}, "not text"),
        ({"big": "x" * 5000}, "larger than"),
    ],
)
def test_details_that_cannot_be_hashed_reliably_are_refused(details, message):
    with pytest.raises(AuditDetailsError, match=message):
        audit_record(action=AuditAction.LOGIN, actor=None, details=details)
    assert not AuditEvent.objects.exists()


def test_update_and_delete_are_refused_through_the_orm_and_raw_sql(append_only_triggers):
    event = audit_record(action=AuditAction.LOGIN, actor=None)

    attempts = [
        lambda: AuditEvent.objects.filter(pk=event.pk).update(actor_label="x"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda: event.delete(),
        lambda: connection.cursor().execute("UPDATE audit_auditevent SET action = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM audit_auditevent"),
    ]
    for attempt in attempts:
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "system"


@pytest.mark.postgresql
def test_truncate_is_refused_on_postgresql(append_only_triggers):
    audit_record(action=AuditAction.LOGIN, actor=None)
    # Check the deferred foreign keys now: PostgreSQL refuses TRUNCATE while checks are pending.
    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        connection.cursor().execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("192.0.2.1", "192.0.2.1"),
        ("not an address", None),
    ],
)
def test_client_addresses_survive_the_database_round_trip(given, stored):
    audit_record(action=AuditAction.LOGIN, actor=None, client_address=given)

    assert AuditEvent.objects.get().client_address == stored
    assert audit_chain_verify().intact
