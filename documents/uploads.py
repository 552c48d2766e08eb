"""The size limit of a document, applied while the request body is read.

Django reads an upload into memory, or into a temporary file when it passes
FILE_UPLOAD_MAX_MEMORY_SIZE, before any view code runs. This handler goes first: once a file
passes TAFEL_DOCUMENT_MAX_BYTES, the rest of it is read and thrown away rather than kept (and
the temporary file so far is closed, which removes it), and the page says why.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class DocumentSizeLimit(FileUploadHandler):
    """Skips an uploaded file once it passes the limit; `too_large` tells the view."""

    too_large = False
    received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.TAFEL_DOCUMENT_MAX_BYTES:
            self.too_large = True
            raise SkipFile
        return raw_data  # the next handlers keep it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
