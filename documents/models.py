"""Documents on a case: the signed mediation agreement, statements, reports, correspondence.

A document's bytes live in the database, in chunks (`DocumentChunk`), each sealed under the
case's data key with associated data that names the document and the chunk's place, so a chunk
moved to another document or position does not open, and a file never has to fit in memory.
The original file name is sealed too (it often holds a name: "Verklaring Jan de Vries.pdf"),
bound to the document, its size and its number of chunks, so a file cut short is noticed.
Kind, detected content type, size and dates are plain: they name no one.

Storage is the database for now; a storage folder set by configuration may come later (the
chunks would then be files of sealed bytes, with the same associated data).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# 256 KiB of plain bytes per chunk: small enough to stream, large enough to keep rows few.
CHUNK_BYTES = 256 * 1024


class DocumentKind(models.TextChoices):
    SIGNED_AGREEMENT = "signed_agreement", _("Signed mediation agreement")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality statement")
    REPORT = "report", _("Report")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


class Document(models.Model):
    """One file on a case, uploaded by one of its mediators."""

    uid = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Names the document in the associated data of its sealed name and chunks."),
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    participation = models.ForeignKey(
        "parties.Participation",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The participant the document is about (a scanned signature), if any."),
    )
    sealed_name = models.BinaryField(
        _("file name (sealed)"),
        help_text=_("The original file name, sealed under the case's data key."),
    )
    content_type = models.CharField(
        _("content type"),
        max_length=100,
        help_text=_("Detected from the file's content, not from its name."),
    )
    size = models.PositiveBigIntegerField(_("size"), help_text=_("In bytes."))
    chunk_count = models.PositiveIntegerField(_("number of chunks"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        # Never the file name: this shows in logs and error pages.
        return f"{self.get_kind_display()} {self.pk}"

    def context(self, field: str) -> str:
        """Associated data binding the sealed name to this case, document, size and chunks."""
        return (
            f"tafel/document/v1/case={self.case_id}/document={self.uid}"
            f"/size={self.size}/chunks={self.chunk_count}/{field}"
        )

    def chunk_context(self, index: int) -> str:
        """Associated data binding one chunk to this case, document and position."""
        return f"tafel/document-chunk/v1/case={self.case_id}/document={self.uid}/chunk={index}"


class DocumentChunk(models.Model):
    """One piece of a document's bytes, sealed (at most `CHUNK_BYTES` before sealing)."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="chunks"
    )
    index = models.PositiveIntegerField(_("position"), help_text=_("0 for the first chunk."))
    sealed = models.BinaryField(_("sealed bytes"))

    class Meta:
        verbose_name = _("document chunk")
        verbose_name_plural = _("document chunks")
        constraints = [
            models.UniqueConstraint(fields=["document", "index"], name="document_chunk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.index}"
