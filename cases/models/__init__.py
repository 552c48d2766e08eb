"""The cases app's models: the case and its lifecycle, its confidential notes."""

from cases.models.activity import CaseActivity
from cases.models.case import (
    REASON_MAX_LENGTH,
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    CaseUserObjectPermission,
    ConflictOfInterestDeclaration,
    Declaration,
    Outcome,
    ReferenceCounter,
    Urgency,
)
from cases.models.notes import Note, NoteKind, NoteVersion

__all__ = [
    "REASON_MAX_LENGTH",
    "Case",
    "CaseActivity",
    "CaseKind",
    "CaseStatus",
    "CaseStatusChange",
    "CaseUserObjectPermission",
    "ConflictOfInterestDeclaration",
    "Declaration",
    "Note",
    "NoteKind",
    "NoteVersion",
    "Outcome",
    "ReferenceCounter",
    "Urgency",
]
