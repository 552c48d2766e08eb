"""The note pages: only the case's mediators find them, and the text stays where it is shown."""

import json
import logging

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.models import Note, NoteVersion
from cases.services import case_key_destroy, note_edit, note_write
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

CANNOT_OPEN = (
    "This note cannot be opened: its key is missing or its stored text was changed. "
    "The rest of the case is unaffected."
)
NOTE_FORM = {"kind": "working", "title": "Eerste indruk", "body": "Partijen willen praten."}


def write(case, author, **fields) -> Note:
    return note_write(case=case, author=author, **{**NOTE_FORM, **fields})


def note_urls(case, note) -> dict[str, str]:
    on_note = ["note_detail", "note_edit", "note_versions", "note_delete"]
    return {
        "notes": reverse("cases:notes", args=[case.pk]),
        "note_add": reverse("cases:note_add", args=[case.pk]),
        **{name: reverse(f"cases:{name}", args=[case.pk, note.pk]) for name in on_note},
    }


def url(name, case, note=None) -> str:
    return reverse(f"cases:{name}", args=[case.pk] if note is None else [case.pk, note.pk])


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def get_en(client, path):
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en")


# Who finds the pages


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "outsider", "superuser"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_referrer_supervisor_outsider_and_superuser_get_404_for_every_note_url(
    client, in_intake, personas, who, method
):
    note = write(in_intake, personas.mediator)
    if who == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    else:
        user = getattr(personas, who)
    client.force_login(user)
    # The probes themselves are in the trail (issue 17); nothing else is.
    probes = [AuditAction.CASE_NOT_FOUND, AuditAction.CASE_NOT_FOUND_COUNT]
    events_before = AuditEvent.objects.exclude(action__in=probes).count()

    for name, path in note_urls(in_intake, note).items():
        response = getattr(client, method)(path, {**NOTE_FORM, "title": "Overschreven"})
        assert response.status_code == 404, name

    assert Note.objects.get() == note and not NoteVersion.objects.exists()
    assert AuditEvent.objects.exclude(action__in=probes).count() == events_before
    assert AuditEvent.objects.filter(action=AuditAction.CASE_NOT_FOUND, actor=user).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login_from_every_note_url(
    client, in_intake, personas, method
):
    note = write(in_intake, personas.mediator)

    for name, path in note_urls(in_intake, note).items():
        response = getattr(client, method)(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_a_note_of_another_case_is_404_even_for_its_own_mediator(client, in_intake, personas):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    elsewhere = write(other_case, personas.mediator, title="Elders")
    client.force_login(personas.mediator)

    for name in ["note_detail", "note_edit", "note_versions", "note_delete"]:
        assert client.get(url(name, in_intake, elsewhere)).status_code == 404, name
        assert client.post(url(name, in_intake, elsewhere), NOTE_FORM).status_code == 404, name
    assert Note.objects.filter(pk=elsewhere.pk).exists()


def test_the_leads_working_note_is_404_and_unlisted_for_the_co_mediator(
    client, in_intake, personas
):
    working = write(in_intake, personas.mediator, title="Alleen voor mij")
    client.force_login(personas.comediator)

    for name in ["note_detail", "note_edit", "note_versions", "note_delete"]:
        assert client.get(url(name, in_intake, working)).status_code == 404, name
        assert client.post(url(name, in_intake, working), NOTE_FORM).status_code == 404, name
    assert "Alleen voor mij" not in get_en(client, url("notes", in_intake)).content.decode()
    assert (
        "Alleen voor mij"
        not in get_en(client, reverse("cases:detail", args=[in_intake.pk])).content.decode()
    )
    assert Note.objects.filter(pk=working.pk).exists()


@pytest.mark.parametrize("who", ["coordinator", "supervisor"])
def test_the_referrer_and_the_supervisor_see_no_notes_panel_on_the_case_page(
    client, in_intake, personas, who
):
    write(in_intake, personas.mediator, title="Geheime titel")
    client.force_login(getattr(personas, who))

    content = get_en(client, url("detail", in_intake)).content.decode()

    assert 'id="notes-heading"' not in content and "Geheime titel" not in content
    assert url("notes", in_intake) not in content


# What the lead and the co-mediator do


@pytest.mark.parametrize("who", ["mediator", "comediator"])
def test_a_mediator_writes_lists_reads_edits_and_deletes_a_note(client, in_intake, personas, who):
    client.force_login(getattr(personas, who))

    response = client.post(url("note_add", in_intake), NOTE_FORM)
    note = Note.objects.get()
    assert response["Location"] == url("notes", in_intake)
    assert note.author == getattr(personas, who) and note.kind == "working"

    listing = get_en(client, url("notes", in_intake)).content.decode()
    assert "Eerste indruk" in listing and "Working note" in listing
    assert url("note_detail", in_intake, note) in listing

    page = get_en(client, url("note_detail", in_intake, note)).content.decode()
    assert "Eerste indruk" in page and "Partijen willen praten." in page

    edit_form = get_en(client, url("note_edit", in_intake, note)).content.decode()
    assert "Partijen willen praten." in edit_form
    response = client.post(
        url("note_edit", in_intake, note),
        {"kind": "dossier", "title": "Tussenstand", "body": "Afspraak over de speeltuin."},
    )
    assert response["Location"] == url("note_detail", in_intake, note)
    page = get_en(client, url("note_detail", in_intake, note)).content.decode()
    assert "Afspraak over de speeltuin." in page and "Dossier record" in page
    assert url("note_versions", in_intake, note) in page

    versions = get_en(client, url("note_versions", in_intake, note)).content.decode()
    assert "Eerste indruk" in versions and "Partijen willen praten." in versions

    confirmation = get_en(client, url("note_delete", in_intake, note))
    assert confirmation.status_code == 200 and "Delete this note?" in confirmation.content.decode()
    assert Note.objects.exists()  # asking is not deleting
    response = client.post(url("note_delete", in_intake, note))
    assert response["Location"] == url("notes", in_intake)
    assert not Note.objects.exists() and not NoteVersion.objects.exists()


def test_the_case_page_shows_the_latest_note_titles_and_links(client, in_intake, personas):
    for number in range(7):
        write(in_intake, personas.comediator, title=f"Notitie nummer {number}", kind="dossier")
    client.force_login(personas.mediator)

    response = get_en(client, url("detail", in_intake))

    content = response.content.decode()
    assert 'aria-labelledby="notes-heading"' in content
    assert "Notitie nummer 6" in content and "Notitie nummer 2" in content
    assert "Notitie nummer 1" not in content  # only the latest five
    assert url("notes", in_intake) in content and url("note_add", in_intake) in content
    assert "Partijen willen praten." not in content


def test_reading_a_note_is_recorded_and_listing_it_is_not(client, in_intake, personas):
    note = write(in_intake, personas.mediator, kind="dossier")
    client.force_login(personas.comediator)

    client.get(url("notes", in_intake))
    client.get(url("detail", in_intake))
    assert not AuditEvent.objects.filter(action=AuditAction.NOTE_READ).exists()

    client.get(url("note_detail", in_intake, note))
    read = AuditEvent.objects.get(action=AuditAction.NOTE_READ)
    assert read.actor == personas.comediator and read.target_id == str(note.pk)
    assert read.case_id == in_intake.pk


def test_note_pages_are_not_cached(client, in_intake, personas):
    note = write(in_intake, personas.mediator)
    note_edit(note=note, editor=personas.mediator, title="Nieuw", body="Nieuwe tekst")
    client.force_login(personas.mediator)

    for name in ["note_detail", "note_edit", "note_versions"]:
        response = client.get(url(name, in_intake, note))
        assert "no-store" in response["Cache-Control"], name


def test_a_note_without_earlier_versions_says_so(client, in_intake, personas):
    note = write(in_intake, personas.mediator)
    client.force_login(personas.mediator)

    response = get_en(client, url("note_versions", in_intake, note))

    assert response.status_code == 200
    assert "there are no earlier versions" in response.content.decode()


# Notes that cannot be opened


def tamper(note: Note) -> None:
    sealed = bytearray(note.sealed_body)
    sealed[-1] ^= 0x01
    Note.objects.filter(pk=note.pk).update(sealed_body=bytes(sealed))


def copy_from_other_note(note: Note, case, author) -> None:
    other = write(case, author, title="Andere notitie", body="Andere tekst")
    Note.objects.filter(pk=note.pk).update(
        sealed_title=other.sealed_title, sealed_body=other.sealed_body
    )


def destroy_key(note: Note, case, actor) -> None:
    case_key_destroy(case=case, actor=None, reason="Bewaartermijn verstreken")  # the system


@pytest.mark.parametrize("damage", [tamper, copy_from_other_note, destroy_key])
def test_a_note_that_cannot_be_opened_says_so_and_the_case_still_renders(
    client, in_intake, personas, damage
):
    note = write(in_intake, personas.mediator, title="Geheime titel", body="Geheime tekst")
    if damage is tamper:
        damage(note)
    else:
        damage(note, in_intake, personas.mediator)
    client.force_login(personas.mediator)

    response = get_en(client, url("note_detail", in_intake, note))

    content = response.content.decode()
    assert response.status_code == 200
    assert CANNOT_OPEN in content
    assert "Geheime tekst" not in content
    failed = AuditEvent.objects.get(action=AuditAction.NOTE_OPEN_FAILED)
    assert failed.actor == personas.mediator and failed.target_id == str(note.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.NOTE_READ).exists()
    assert get_en(client, url("detail", in_intake)).status_code == 200
    assert get_en(client, url("notes", in_intake)).status_code == 200


def test_titles_that_cannot_be_opened_are_marked_in_the_lists(client, in_intake, personas):
    note = write(in_intake, personas.mediator, title="Geheime titel")
    case_key_destroy(case=in_intake, actor=personas.supervisor, reason="Verzoek tot wissen")
    client.force_login(personas.mediator)

    for path in [url("notes", in_intake), url("detail", in_intake)]:
        content = get_en(client, path).content.decode()
        assert "This note cannot be opened" in content, path
        assert "Geheime titel" not in content, path
        assert url("note_detail", in_intake, note) in content, path


def test_a_note_that_cannot_be_opened_cannot_be_edited_but_can_be_deleted(
    client, in_intake, personas
):
    note = write(in_intake, personas.mediator)
    tamper(note)
    client.force_login(personas.mediator)

    response = client.post(url("note_edit", in_intake, note), NOTE_FORM, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and CANNOT_OPEN in response.content.decode()
    assert not NoteVersion.objects.exists()

    client.post(url("note_delete", in_intake, note))
    assert not Note.objects.exists()


def test_no_note_can_be_written_once_the_case_key_is_destroyed(client, in_intake, personas):
    case_key_destroy(case=in_intake, actor=personas.supervisor, reason="Verzoek tot wissen")
    client.force_login(personas.mediator)

    response = client.post(url("note_add", in_intake), NOTE_FORM, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "its key was destroyed" in response.content.decode()
    assert not Note.objects.exists()


# Confidentiality


def test_note_text_never_reaches_the_audit_trail_messages_titles_logs_or_the_referrer(
    client, in_intake, personas, caplog
):
    marker = "ZEER-GEHEIM-7431"
    caplog.set_level(logging.DEBUG)
    client.force_login(personas.mediator)
    seen_messages = []

    response = client.post(
        url("note_add", in_intake), {**NOTE_FORM, "title": marker, "body": f"Tekst {marker}"}
    )
    seen_messages += message_texts(response)
    note = Note.objects.get()
    response = client.post(
        url("note_edit", in_intake, note),
        {**NOTE_FORM, "title": f"{marker} 2", "body": f"Nieuw {marker}"},
    )
    seen_messages += message_texts(response)
    pages = {
        name: client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        for name, path in note_urls(in_intake, note).items()
    }
    case_page = client.get(url("detail", in_intake)).content.decode()
    response = client.post(url("note_delete", in_intake, note))
    seen_messages += message_texts(response)

    assert marker in pages["note_detail"]  # the test would prove nothing otherwise
    events = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert marker not in events
    assert seen_messages and not any(marker in message for message in seen_messages)
    assert marker not in response.cookies["messages"].value
    for name, content in [*pages.items(), ("detail", case_page)]:
        title = content.split("<title>", 1)[1].split("</title>", 1)[0]
        assert marker not in title, name
    assert f"Note · {in_intake.reference}" in pages["note_detail"]
    assert marker not in caplog.text
    client.force_login(personas.coordinator)
    assert marker not in client.get(url("detail", in_intake)).content.decode()


def test_a_note_written_on_the_page_is_stored_only_sealed(client, in_intake, personas):
    client.force_login(personas.mediator)

    client.post(url("note_add", in_intake), {**NOTE_FORM, "body": "Onvindbare zin"})

    note = Note.objects.get()
    assert b"Onvindbare zin" not in bytes(note.sealed_body)
    assert "Onvindbare zin" not in str(note)


@pytest.mark.parametrize("count", [3, 30])
def test_the_notes_list_runs_a_constant_number_of_queries(
    client, in_intake, personas, count, django_assert_max_num_queries
):
    write(in_intake, personas.mediator, title="Eerste")
    client.force_login(personas.mediator)
    client.get(url("notes", in_intake))  # the session and the like, loaded once
    with CaptureQueriesContext(connection) as one_note:
        client.get(url("notes", in_intake))
    for number in range(count - 1):
        write(in_intake, personas.comediator, title=f"Notitie {number}", kind="dossier")

    with django_assert_max_num_queries(len(one_note)):
        response = client.get(url("notes", in_intake))

    assert response.content.decode().count(f"/cases/{in_intake.pk}/notes/") >= count


# Hostile input


def test_html_in_a_note_is_shown_escaped(client, in_intake, personas):
    client.force_login(personas.mediator)
    hostile = {"kind": "working", "title": "<script>alert(1)</script>", "body": "<b>vet</b> & co"}

    client.post(url("note_add", in_intake), hostile)

    note = Note.objects.get()
    for path in [url("notes", in_intake), url("detail", in_intake)]:
        content = client.get(path).content.decode()
        assert "<script>alert(1)</script>" not in content, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, path
    content = client.get(url("note_detail", in_intake, note)).content.decode()
    assert "<script>alert(1)</script>" not in content and "<b>vet</b>" not in content
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; co" in content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"title": "  "}, "This field is required."),
        ({"title": "regel\nSet-Cookie: a=b"}, "Use one line of ordinary text"),
        ({"body": "tekst\x00met nul"}, "Null characters are not allowed."),
        ({"body": "tekst\x07met bel"}, "control characters that cannot be stored"),
        ({"kind": "secret"}, "Select a valid choice."),
    ],
)
def test_a_bad_note_is_refused_with_a_message_and_nothing_is_saved(
    client, in_intake, personas, changes, message
):
    client.force_login(personas.mediator)

    response = client.post(
        url("note_add", in_intake), {**NOTE_FORM, **changes}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert not Note.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.NOTE_WRITTEN).exists()


def test_a_bad_edit_is_refused_and_the_note_keeps_its_text(client, in_intake, personas):
    note = write(in_intake, personas.mediator)
    client.force_login(personas.mediator)

    response = client.post(
        url("note_edit", in_intake, note),
        {**NOTE_FORM, "title": "y" * 201},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not NoteVersion.objects.exists()
    assert Note.objects.get().sealed_title == note.sealed_title
