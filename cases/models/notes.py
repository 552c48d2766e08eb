"""Confidential notes. Titles and bodies are stored only sealed, under the case's data key."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case


class NoteKind(models.TextChoices):
    WORKING = "working", _("Working note")
    DOSSIER = "dossier", _("Dossier record")


class Note(models.Model):
    """A mediator's confidential note on a case. Only its sealed form is stored."""

    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Binds the sealed text to this note: copied elsewhere, it does not open."),
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=NoteKind.choices,
        help_text=_(
            "Working notes are the mediator's own; dossier records (reports, interim "
            "agreements) belong to the case file."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sealed_title = models.BinaryField(_("sealed title"))
    sealed_body = models.BinaryField(_("sealed text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.uid}"  # never the title: it is confidential

    def context(self, field: str) -> str:
        """Associated data binding a sealed field to this case, note and field."""
        return f"tafel/note/v1/case={self.case_id}/note={self.uid}/{field}"


class NoteVersion(models.Model):
    """An earlier text of a note, kept sealed when the note is edited."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(
        Note, verbose_name=_("note"), on_delete=models.CASCADE, related_name="versions"
    )
    sealed_title = models.BinaryField(_("sealed title"))
    sealed_body = models.BinaryField(_("sealed text"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("earlier version of a note")
        verbose_name_plural = _("earlier versions of notes")
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.note_id}/{self.uid}"

    def context(self, field: str) -> str:
        return f"tafel/note-version/v1/case={self.note.case_id}/version={self.uid}/{field}"
