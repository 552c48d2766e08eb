"""What a file is, read from its content (magic bytes), never from its name: the allow-list.

Tafel checks a short allow-list itself with the standard library rather than with a detection
library: a library guesses among thousands of types from the first bytes, while this must
confirm one of a few and refuse the rest. The office formats are ZIP containers, and telling a
Word document from any ZIP takes its table of contents (`zipfile` reads only the central
directory; nothing is unpacked but the 100-byte `mimetype` member of an OpenDocument file).
A macro-enabled office file (`vbaProject.bin`) is refused.
"""

import zipfile
from typing import IO

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

ALLOWED = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP)
EXTENSIONS = {
    PDF: ".pdf",
    PNG: ".png",
    JPEG: ".jpg",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    ODT: ".odt",
    ODS: ".ods",
    ODP: ".odp",
}

# The member that tells each Office Open XML format apart, beside [Content_Types].xml.
OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
HEAD_BYTES = 16


def detect(file: IO[bytes]) -> str | None:
    """The allowed content type of `file` (seekable, read from the start), or None.

    The file is left at its start.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            return _office(file)
        finally:
            file.seek(0)
    return None


def _office(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros: never
            if "[Content_Types].xml" in names:
                for part, content_type in OOXML_PARTS.items():
                    if part in names:
                        return content_type
                return None
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    declared = member.read(100).decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS, ODP) else None
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    return None
