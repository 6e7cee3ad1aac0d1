"""Which documents a file of a call accepts: types by extension, checked on their first bytes, and a size limit.

Pure: the upload's name, its first bytes and its size in, a `Reason` out when it is refused. The type
served back is the one this table gives for the extension, never the one the sender claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

from poles.calls.reasons import Reason


@dataclass(frozen=True)
class Kind:
    """A document type: what it is served as, and how its content starts (None: text, checked as UTF-8)."""

    content_type: str
    magic: tuple[bytes, ...] | None


ZIP = (b"PK\x03\x04",)
KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "odt": Kind("application/vnd.oasis.opendocument.text", ZIP),
    "ods": Kind("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "csv": Kind("text/csv", None),
    "txt": Kind("text/plain", None),
}
"""Accepted documents by extension (lower case)."""


def extension(name: str) -> str:
    """The lower-case extension of a file name ('' when none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


def clean_name(name: str) -> str:
    """The name shown and sent back: no folders, no control characters or quotes, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '"<>|:*?')
    return base.strip()[-200:] or "document"


def check_document(name: str, head: bytes, size: int, *, max_bytes: int) -> Reason | None:
    """Why the document is refused (None when it is accepted)."""
    ext = extension(name)
    kind = KINDS.get(ext)
    if kind is None:
        accepted = ", ".join(sorted(KINDS))
        return Reason(f"Type de document « {ext or '—'} » refusé ; types acceptés : {accepted}.",
                      f"Document type '{ext or '—'}' refused; accepted types: {accepted}.")
    if size <= 0:
        return Reason("Le document est vide.", "The document is empty.")
    if size > max_bytes:
        mib = max_bytes / 1024 / 1024
        return Reason(f"Le document dépasse {mib:g} Mio.", f"The document is larger than {mib:g} MiB.")
    if kind.magic is None:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 3:  # a character cut at the end of the head is fine
                return Reason("Un fichier texte est attendu en UTF-8.", "A text file in UTF-8 is expected.")
            text = head[:error.start].decode("utf-8")
        if "\x00" in text:
            return Reason("Un fichier texte ne contient pas de caractère nul.", "A text file holds no NUL character.")
        return None
    if not head.startswith(kind.magic):
        return Reason(f"Le contenu n’est pas celui d’un fichier {ext}.", f"The content is not that of a {ext} file.")
    return None
