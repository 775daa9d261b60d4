"""File storage for uploads that turns a full disk into a message the user can act on."""

from __future__ import annotations

import errno
import logging
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("xieshang.storage")

# Out of space, out of quota, or a file larger than the file system allows.
FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFull(ValidationError):
    """The upload could not be stored because the disk is full.

    A ValidationError, so that every form and API path that already shows validation errors
    shows this one too, and the service's transaction is rolled back with it.
    """

    def __init__(self) -> None:
        super().__init__(
            _("The server has no room left to store the file. Nothing was saved; please try "
              "again later or tell the committee office."),
            code="storage_full",
        )


class UploadStorage(FileSystemStorage):
    """FileSystemStorage that removes a half-written file and raises StorageFull when full."""

    def _save(self, name: str, content: Any) -> str:
        preexisting = os.path.lexists(self.path(name))
        try:
            saved: str = super()._save(name, content)  # type: ignore[misc]
            return saved
        except OSError as exc:
            if exc.errno not in FULL:
                raise
            logger.error("upload storage full while saving %s: %s", name, exc)
            if not preexisting:
                self._remove_partial(name, getattr(content, "size", None))
            raise StorageFull() from exc

    def _remove_partial(self, name: str, expected: int | None) -> None:
        # FileSystemStorage creates the file with O_EXCL and leaves what it wrote behind when
        # a write fails. Remove it only while it is shorter than the upload: a complete file
        # under that name can only be someone else's that won a race for the name.
        path = self.path(name)
        try:
            if expected is None or os.path.getsize(path) < expected:
                os.remove(path)
        except OSError:
            pass
