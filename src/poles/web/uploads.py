"""Uploads stop at POLES_IMPORT_MAX_BYTES: a bigger file is dropped while it streams in.

Django would otherwise receive any size into a temporary file before the form could refuse it.
The handler records the refused field on the request so that the form can say why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitedUploadHandler(FileUploadHandler):
    """First upload handler: passes chunks on until the file passes the limit, then skips it."""

    def new_file(self, field_name, *args, **kwargs) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.limit = settings.POLES_IMPORT_MAX_BYTES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = self.file_name
            self.request.refused_uploads = refused
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
