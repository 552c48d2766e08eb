"""Every write to cases: the lifecycle (lifecycle.py), confidential notes (notes.py)."""

from cases.keys import case_key_create, case_key_destroy, key_destroyed_at
from cases.services.account import user_settings_update
from cases.services.lifecycle import (
    CaseActionError,
    CaseConflict,
    TransitionNotAllowed,
    TransitionRefused,
    available_transitions,
    case_assign,
    case_refer,
    case_transition,
    conflict_acceptance_record,
    conflict_declare,
    outbox_message_resend,
    transition_meta,
)
from cases.services.lockouts import lockout_release, may_unlock
from cases.services.notes import (
    NoteTitle,
    OpenNote,
    note_delete,
    note_edit,
    note_read,
    note_titles,
    note_versions,
    note_write,
    notes_visible_to,
)
from cases.services.refusals import case_not_found_record, case_step_refused_record
from cases.services.retention import case_content_destroy, case_working_notes_destroy

__all__ = [
    "CaseActionError",
    "CaseConflict",
    "NoteTitle",
    "OpenNote",
    "TransitionNotAllowed",
    "TransitionRefused",
    "available_transitions",
    "case_assign",
    "case_content_destroy",
    "case_key_create",
    "case_key_destroy",
    "case_not_found_record",
    "case_refer",
    "case_step_refused_record",
    "case_transition",
    "case_working_notes_destroy",
    "conflict_acceptance_record",
    "conflict_declare",
    "key_destroyed_at",
    "lockout_release",
    "may_unlock",
    "note_delete",
    "note_edit",
    "note_read",
    "note_titles",
    "note_versions",
    "note_write",
    "notes_visible_to",
    "outbox_message_resend",
    "transition_meta",
    "user_settings_update",
]
