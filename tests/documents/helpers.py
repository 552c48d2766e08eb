"""Files for the document tests: small but real ones of each allowed kind, and impostors."""

import io
import zipfile

MARKER = "OKAPI-5d1e-GEHEIM-DOCUMENT"


def pdf(text: str = "Getekende mediationovereenkomst", size: int = 0) -> bytes:
    """A PDF-looking file (the header is what counts), padded to `size` bytes."""
    body = b"%PDF-1.7\n% " + text.encode() + b"\n%%EOF\n"
    return body + b"\n" * max(0, size - len(body))


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            # A fixed date, not the time of writing: these bytes name parametrized tests, and
            # every test worker (pytest-xdist) must collect the same names.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def docx(text: str = "Verslag") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": f"<w:document>{text}</w:document>".encode(),
        }
    )


def docm() -> bytes:
    """A Word document with macros: refused."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00",
        }
    )


def odt() -> bytes:
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def plain_zip() -> bytes:
    return _zip({"readme.txt": b"hello"})


def exe() -> bytes:
    return b"MZ\x90\x00" + b"\x00" * 64


def html() -> bytes:
    return b"<!doctype html><script>alert(1)</script>"


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
