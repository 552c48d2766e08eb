"""Confidential notes: write, read, edit and delete, each audited.

Plaintext exists only in memory, between the form and `seal`, or between `unseal` and the
template. It never goes into the audit trail, logs or exceptions.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case, Note, NoteKind, NoteVersion
from cases.permissions import CasePermission, has_case_permission
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.types import User

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 100_000


@dataclass(frozen=True)
class OpenNote:
    """A note's plaintext, for one page."""

    note: Note
    title: str
    body: str


@dataclass(frozen=True)
class NoteTitle:
    """A note in a list: its title only (the body stays sealed), or None when it cannot open."""

    note: Note
    title: str | None


def _check(case: Case, user: User, perm: CasePermission) -> None:
    if not has_case_permission(user, case, perm):
        raise PermissionDenied


def notes_visible_to(*, case: Case, user: User) -> "QuerySet[Note]":
    """The case's notes `user` may see: every dossier record, and only their own working notes.

    Working notes are the author's own (MfN: personal working notes are not part of the
    dossier), so a co-mediator does not list, read or change the lead's working notes.
    """
    return Note.objects.filter(case=case).filter(Q(kind=NoteKind.DOSSIER) | Q(author=user))


def _check_own(note: Note, user: User) -> None:
    """Another's working note is not `user`'s to read or change (the views answer 404 first)."""
    if note.kind == NoteKind.WORKING and note.author_id != user.pk:
        raise PermissionDenied


def _check_writable(note_or_case: Note | Case, user: User) -> None:
    """Notes change only on open cases; a working note only by its author."""
    if isinstance(note_or_case, Note):
        note: Note | None = note_or_case
        case = note_or_case.case
    else:
        note, case = None, note_or_case
    _check(case, user, CasePermission.WRITE_NOTES)
    if not case.is_open:
        raise ValidationError(_("The case is closed: its notes can no longer change."))
    if note is not None:
        _check_own(note, user)


def _validate(title: str, body: str, kind: str) -> tuple[str, str]:
    title, errors = title.strip(), {}
    if not title:
        errors["title"] = _("Give the note a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
    if len(body) > BODY_MAX_LENGTH:
        errors["body"] = _("The text is too long: at most %(max)d characters.") % {
            "max": BODY_MAX_LENGTH
        }
    if kind not in NoteKind.values:
        errors["kind"] = _("Choose a working note or a dossier record.")
    if errors:
        raise ValidationError(errors)
    return title, body


@transaction.atomic
def note_write(*, case: Case, author: User, kind: str, title: str, body: str) -> Note:
    """A mediator writes a note; only its sealed form is stored."""
    _check_writable(case, author)
    title, body = _validate(title, body, kind)
    key = case_data_key(case, create=True)
    note = Note(case=case, author=author, kind=kind)
    crypto.field_seal(key, note, "title", title)
    crypto.field_seal(key, note, "body", body)
    note.save()
    audit_record(
        action=AuditAction.NOTE_WRITTEN,
        actor=author,
        target=note,
        case_id=case.pk,
        details={"kind": kind},
    )
    return note


def note_titles(*, case: Case, reader: User, limit: int | None = None) -> list[NoteTitle]:
    """The case's newest notes (all, or `limit`) with their titles; bodies stay sealed."""
    _check(case, reader, CasePermission.READ_NOTES)
    notes = list(
        notes_visible_to(case=case, user=reader)
        .defer("sealed_body")
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    if not notes:
        return []
    try:
        key = case_data_key(case)
    except CannotOpen:
        return [NoteTitle(note, None) for note in notes]
    titles = []
    for note in notes:
        try:
            title = crypto.field_open(key, note, "title")
        except CannotOpen:
            title = None
        titles.append(NoteTitle(note, title))
    return titles


def note_read(*, note: Note, reader: User) -> OpenNote:
    """Open a note for `reader`, and record that they read it (or tried to)."""
    _check(note.case, reader, CasePermission.READ_NOTES)
    _check_own(note, reader)
    try:
        key = case_data_key(note.case)
        title = crypto.field_open(key, note, "title")
        body = crypto.field_open(key, note, "body")
    except CannotOpen:
        audit_record(
            action=AuditAction.NOTE_OPEN_FAILED, actor=reader, target=note, case_id=note.case_id
        )
        raise
    audit_record(action=AuditAction.NOTE_READ, actor=reader, target=note, case_id=note.case_id)
    return OpenNote(note, title, body)


@transaction.atomic
def note_edit(*, note: Note, editor: User, title: str, body: str, kind: str | None = None) -> Note:
    """Change a note; the previous text is kept as a sealed version."""
    _check_writable(note, editor)
    kind = kind or note.kind
    if kind == NoteKind.WORKING and note.author_id != editor.pk:
        # A working note is its author's own: nobody makes someone else's record theirs.
        raise ValidationError({"kind": _("Only the author can make this record a working note.")})
    title, body = _validate(title, body, kind)
    note = Note.objects.select_for_update().select_related("case").get(pk=note.pk)
    key = case_data_key(note.case)
    old_title = crypto.field_open(key, note, "title")
    old_body = crypto.field_open(key, note, "body")
    version = NoteVersion(note=note, replaced_by=editor, written_at=note.updated_at)
    crypto.field_seal(key, version, "title", old_title)
    crypto.field_seal(key, version, "body", old_body)
    version.save()
    note.kind = kind
    crypto.field_seal(key, note, "title", title)
    crypto.field_seal(key, note, "body", body)
    note.save()
    audit_record(
        action=AuditAction.NOTE_EDITED,
        actor=editor,
        target=note,
        case_id=note.case_id,
        details={"kind": kind, "version": str(version.uid)},
    )
    return note


def note_versions(*, note: Note, reader: User) -> list[tuple[NoteVersion, str | None, str | None]]:
    """Earlier texts of a note, opened for `reader` and recorded as a read."""
    _check(note.case, reader, CasePermission.READ_NOTES)
    _check_own(note, reader)
    versions = list(note.versions.select_related("replaced_by"))
    try:
        key = case_data_key(note.case)
    except CannotOpen:
        return [(version, None, None) for version in versions]
    opened: list[tuple[NoteVersion, str | None, str | None]] = []
    for version in versions:
        try:
            opened.append(
                (
                    version,
                    crypto.field_open(key, version, "title"),
                    crypto.field_open(key, version, "body"),
                )
            )
        except CannotOpen:
            opened.append((version, None, None))
    readable = sum(1 for _version, title, _body in opened if title is not None)
    if readable:
        audit_record(
            action=AuditAction.NOTE_READ,
            actor=reader,
            target=note,
            case_id=note.case_id,
            details={"versions": readable},
        )
    if readable < len(opened):
        audit_record(
            action=AuditAction.NOTE_OPEN_FAILED,
            actor=reader,
            target=note,
            case_id=note.case_id,
            details={"versions": len(opened) - readable},
        )
    return opened


@transaction.atomic
def note_delete(*, note: Note, actor: User) -> None:
    """Delete a note and its earlier versions for good."""
    _check_writable(note, actor)
    case_id, note_uid = note.case_id, str(note.uid)
    audit_record(
        action=AuditAction.NOTE_DELETED,
        actor=actor,
        target=note,
        case_id=case_id,
        details={"note": note_uid},
    )
    note.delete()
