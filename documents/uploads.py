"""How the document page reads an upload: in memory only, within the size limit.

Django's default handlers keep an upload above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) in a
temporary file while the request runs: the plain bytes of a document on disk, outside the
database and its sealing, left behind if the process dies. The document page replaces them
(`request.upload_handlers`, before the body is read) with these two:

- `DocumentSizeLimit` goes first: once the request's files pass TAFEL_DOCUMENT_MAX_BYTES, the
  rest is read and thrown away rather than kept, and the page says why. It counts every file of
  the request together, so the memory one request may take stays within the limit whatever it
  sends.
- `DocumentInMemory` keeps what passes in memory, whatever the size of the request, and no
  other handler follows it: no upload of a document ever reaches a temporary file.

A request without an account gets `DiscardFiles` instead: its files are read past, never kept.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler, SkipFile


class DocumentSizeLimit(FileUploadHandler):
    """Skips the request's files once they pass the limit; `too_large` tells the view."""

    too_large = False
    received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # Not reset per file: every file of the request is held in memory until the view ends.
        self.received += len(raw_data)
        if self.received > settings.TAFEL_DOCUMENT_MAX_BYTES:
            self.too_large = True
            raise SkipFile
        return raw_data  # the next handler keeps it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


class DocumentInMemory(MemoryFileUploadHandler):
    """Django's in-memory handler, always in use: the size limit before it bounds the memory."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        # Django's own turns itself off above FILE_UPLOAD_MAX_MEMORY_SIZE; this one never does.
        self.activated = True


class DiscardFiles(FileUploadHandler):
    """Reads past every file of the request and keeps none (a request without an account)."""

    def new_file(self, *args, **kwargs) -> None:
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None
