"""Confidential notes: sealing, failures, crypto-shredding, rotation and leaks."""

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from cases.models import Case, Note, NoteVersion
from cases.services import (
    case_assign,
    case_key_destroy,
    case_transition,
    conflict_declare,
    note_delete,
    note_edit,
    note_read,
    note_titles,
    note_versions,
    note_write,
)
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.keys import keys_rotate
from mediation.models import DataKey, KeyPurpose
from tests import leaks
from tests.case_fixtures import declare_all

MARKER = "ZEBRA-7f3c-VERTROUWELIJK"

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(assigned, personas):
    declare_all(assigned, personas)
    return assigned


def write(case, author, text=MARKER, title="Intake", kind="working"):
    return note_write(case=case, author=author, kind=kind, title=title, body=text)


def test_a_note_is_stored_only_sealed_and_opens_for_its_mediators(case, personas):
    note = write(case, personas.mediator, kind="dossier")

    stored = Note.objects.values_list("sealed_title", "sealed_body").get(pk=note.pk)
    assert all(MARKER.encode() not in bytes(value) for value in stored)
    assert note_read(note=note, reader=personas.comediator).body == MARKER


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_nobody_else_reads_or_lists_notes(case, personas, persona):
    note = write(case, personas.mediator)
    reader = getattr(personas, persona)

    with pytest.raises(PermissionDenied):
        note_read(note=note, reader=reader)
    with pytest.raises(PermissionDenied):
        note_titles(case=case, reader=reader)
    with pytest.raises(PermissionDenied):
        write(case, reader)


def test_reading_is_audited_and_listing_titles_is_not(case, personas):
    note = write(case, personas.mediator, kind="dossier")

    titles = note_titles(case=case, reader=personas.mediator)
    assert not AuditEvent.objects.filter(action=AuditAction.NOTE_READ).exists()
    note_read(note=note, reader=personas.comediator)

    assert [t.title for t in titles] == ["Intake"]
    event = AuditEvent.objects.get(action=AuditAction.NOTE_READ)
    assert (event.actor, event.target_id, event.case_id) == (
        personas.comediator,
        str(note.pk),
        case.pk,
    )


def test_a_note_copied_into_another_row_or_case_does_not_open(case, personas, refer):
    other_case = refer()
    other_case = case_assign(
        case=other_case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor
    )
    conflict_declare(case=other_case, mediator=personas.mediator, declaration="no_conflict")
    original = write(case, personas.mediator)
    same_case = write(case, personas.mediator, text="ander")
    elsewhere = write(other_case, personas.mediator, text="elders")

    for target in (same_case, elsewhere):
        Note.objects.filter(pk=target.pk).update(sealed_body=original.sealed_body)
        with pytest.raises(CannotOpen):
            note_read(note=Note.objects.get(pk=target.pk), reader=personas.mediator)
    assert AuditEvent.objects.filter(action=AuditAction.NOTE_OPEN_FAILED).count() == 2


def test_one_flipped_byte_makes_the_note_unreadable_not_a_crash(case, personas):
    note = write(case, personas.mediator)
    tampered = bytearray(note.sealed_body)
    tampered[20] ^= 0xFF
    Note.objects.filter(pk=note.pk).update(sealed_body=bytes(tampered))

    with pytest.raises(CannotOpen):
        note_read(note=Note.objects.get(pk=note.pk), reader=personas.mediator)
    assert note_titles(case=case, reader=personas.mediator)[0].title == "Intake"


def test_an_edit_keeps_the_previous_text_sealed(case, personas):
    note = write(case, personas.mediator, text="eerste versie")

    note = note_edit(note=note, editor=personas.mediator, title="Intake", body="tweede versie")

    assert note_read(note=note, reader=personas.mediator).body == "tweede versie"
    [(_version, title, body)] = note_versions(note=note, reader=personas.mediator)
    assert (title, body) == ("Intake", "eerste versie")
    assert b"eerste versie" not in bytes(NoteVersion.objects.get().sealed_body)


def test_destroying_the_case_key_shreds_every_note_for_good(case, personas):
    note = write(case, personas.mediator)

    case_key_destroy(case=case, actor=personas.supervisor, reason="bewaartermijn verstreken")

    case.refresh_from_db()
    with pytest.raises(CannotOpen):
        note_read(note=Note.objects.get(pk=note.pk), reader=personas.mediator)
    assert note_titles(case=case, reader=personas.mediator)[0].title is None
    assert DataKey.objects.get(pk=Case.objects.get(pk=case.pk).key_id).wrapped is None
    assert AuditEvent.objects.filter(action=AuditAction.CASE_KEY_DESTROYED).exists()


def test_rotation_keeps_every_note_readable_and_survives_an_interruption(
    refer, personas, settings, monkeypatch
):
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TAFEL_MASTER_KEYS = key_a
    notes = []
    for _ in range(5):
        case = refer()
        case = case_assign(
            case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor
        )
        conflict_declare(case=case, mediator=personas.mediator, declaration="no_conflict")
        notes.append(write(case, personas.mediator))

    # Key B goes before key A; the run dies in its second batch of two, before it writes.
    settings.TAFEL_MASTER_KEYS = f"{key_b},{key_a}"
    real_rewrap, calls = crypto.data_keys_rewrap, []

    def dying_rewrap(wrapped_keys):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_rewrap(wrapped_keys)

    monkeypatch.setattr(crypto, "data_keys_rewrap", dying_rewrap)
    with pytest.raises(KeyboardInterrupt):
        keys_rotate(batch_size=2)
    monkeypatch.setattr(crypto, "data_keys_rewrap", real_rewrap)
    halfway = set(
        DataKey.objects.filter(purpose=KeyPurpose.CASE).values_list("master_key_id", flat=True)
    )
    for note in notes:  # readable at every moment
        assert note_read(note=Note.objects.get(pk=note.pk), reader=personas.mediator).body == MARKER

    call_command("rotate_keys", stdout=StringIO())
    settings.TAFEL_MASTER_KEYS = key_b  # key A removed

    assert crypto.key_id(key_a) in halfway and crypto.key_id(key_b) in halfway
    assert set(
        DataKey.objects.filter(purpose=KeyPurpose.CASE).values_list("master_key_id", flat=True)
    ) == {crypto.key_id(key_b)}
    for note in notes:
        assert note_read(note=Note.objects.get(pk=note.pk), reader=personas.mediator).body == MARKER


def test_key_status_counts_cases_per_master_key(case, personas, settings):
    out = StringIO()
    call_command("key_status", stdout=out)

    assert f"{crypto.key_id(settings.TAFEL_MASTER_KEYS)}  primary  wraps 1 case data keys" in (
        out.getvalue()
    )


def test_key_status_speaks_english_only_also_when_the_interface_is_dutch(case, settings):
    settings.LANGUAGE_CODE = "nl"
    out = StringIO()
    with translation.override("nl"):
        call_command("key_status", stdout=out)

    report = out.getvalue()
    assert "1 case data keys" in report and "Configured master keys" in report
    assert "sleutel" not in report.lower() and "zaak" not in report.lower()


def test_rotation_names_keys_it_cannot_open(case, settings):
    settings.TAFEL_MASTER_KEYS = Fernet.generate_key().decode()  # the old key is gone

    with pytest.raises(CommandError, match="data keys could not be opened"):
        call_command("rotate_keys", stdout=StringIO())


def test_generate_key_prints_a_usable_master_key():
    out = StringIO()
    call_command("generate_key", stdout=out)

    assert crypto.master_keys_problem(out.getvalue()) == ""


def test_a_marker_in_notes_reaches_no_audit_event(case, personas):
    note = write(case, personas.mediator, title=f"Titel {MARKER}")
    note_read(note=note, reader=personas.mediator)
    note_edit(note=note, editor=personas.mediator, title="x", body=f"nieuw {MARKER}")

    assert MARKER not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_a_marker_in_notes_and_contact_details_is_nowhere_in_the_sqlite_file_or_logs(
    tmp_path, settings
):
    env = leaks.sqlite_env(tmp_path, settings.TAFEL_MASTER_KEYS)
    migrate = leaks.run("manage.py", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    result = leaks.run("-m", "tests.cases.marker_notes", MARKER, env=env)

    assert result.returncode == 0, result.stderr
    assert "notes written" in result.stdout
    files = leaks.sqlite_files(tmp_path)
    assert leaks.contains("Lektest", *files)  # the case is there, in plain text
    assert not leaks.contains(MARKER, result.stdout, result.stderr, *files)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_marker_in_notes_and_contact_details_is_nowhere_in_a_pg_dump(settings):
    env = leaks.postgresql_env(settings.TAFEL_MASTER_KEYS)

    result = leaks.run("-m", "tests.cases.marker_notes", MARKER, env=env)
    dump = leaks.pg_dump()

    assert result.returncode == 0, result.stderr
    assert leaks.contains("Lektest", dump)
    assert not leaks.contains(MARKER, dump)  # notes and contact details


def test_a_working_note_is_changed_only_by_its_author_a_dossier_record_by_any_mediator(
    case, personas
):
    working = write(case, personas.mediator)
    dossier = note_write(
        case=case, author=personas.mediator, kind="dossier", title="Verslag", body="..."
    )

    with pytest.raises(PermissionDenied):
        note_edit(note=working, editor=personas.comediator, title="x", body="y")
    edited = note_edit(note=dossier, editor=personas.comediator, title="Verslag", body="aangevuld")

    assert note_read(note=edited, reader=personas.mediator).body == "aangevuld"
    assert note_read(note=working, reader=personas.mediator).body == MARKER


def test_a_working_note_is_its_authors_own_a_dossier_record_is_shared(case, personas):
    working = write(case, personas.mediator, title="Mijn indruk")
    dossier = note_write(
        case=case, author=personas.mediator, kind="dossier", title="Verslag", body="..."
    )

    with pytest.raises(PermissionDenied):
        note_read(note=working, reader=personas.comediator)
    with pytest.raises(PermissionDenied):
        note_versions(note=working, reader=personas.comediator)
    with pytest.raises(PermissionDenied):
        note_delete(note=working, actor=personas.comediator)
    listed = [t.note for t in note_titles(case=case, reader=personas.comediator)]
    assert listed == [dossier]
    assert note_read(note=dossier, reader=personas.comediator).body == "..."
    own = [t.note for t in note_titles(case=case, reader=personas.mediator)]
    assert set(own) == {working, dossier}


def test_a_co_mediator_cannot_make_the_leads_dossier_record_a_working_note(case, personas):
    dossier = note_write(
        case=case, author=personas.mediator, kind="dossier", title="Verslag", body="..."
    )

    with pytest.raises(ValidationError) as refused:
        note_edit(note=dossier, editor=personas.comediator, title="V", body="x", kind="working")
    assert "kind" in refused.value.message_dict


def test_notes_of_a_closed_case_no_longer_change(case, personas):
    note = write(case, personas.mediator)
    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Past niet.")
    case.refresh_from_db()
    note.refresh_from_db()

    with pytest.raises(ValidationError, match="The case is closed"):
        write(case, personas.mediator)
    with pytest.raises(ValidationError, match="The case is closed"):
        note_edit(note=note, editor=personas.mediator, title="x", body="y")


def test_only_a_supervisor_or_the_system_destroys_a_case_key(case, personas):
    with pytest.raises(PermissionDenied):
        case_key_destroy(case=case, actor=personas.mediator, reason="x")


def test_a_missing_key_row_is_reported_not_replaced(case, personas):
    note = write(case, personas.mediator)
    Case.objects.filter(pk=case.pk).update(key=None)

    with pytest.raises(CannotOpen):
        note_read(
            note=Note.objects.select_related("case").get(pk=note.pk), reader=personas.mediator
        )
    assert Case.objects.get(pk=case.pk).key is None
