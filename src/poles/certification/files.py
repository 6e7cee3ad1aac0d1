"""An application's evidence files: upload within size and type limits, keep through Django's
storage, serve only through the permission layer (the applying cluster's managers, the programme
officers and the evaluators assigned to the application), remove while the draft may change.

The pages and the API call these functions alike; every write is audited on the application.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from poles.certification.models import Candidacy, CandidacyFile
from poles.certification.permissions import can_edit_candidacy, can_view_candidacy, check
from poles.core import audit
from poles.core.reasons import Reason
from poles.core.transitions import Refused

EXTENSIONS = (".pdf", ".csv", ".xlsx", ".ods", ".odt", ".docx", ".png", ".jpg", ".jpeg", ".txt")
"""The kinds of evidence accepted (documents, spreadsheets, images, text; never HTML or scripts)."""
MAX_FILES = 20
"""Files an application holds at most."""


def max_bytes() -> int:
    return settings.POLES_EVIDENCE_MAX_BYTES


def upload_problems(name: str, size: int, count: int) -> list[Reason]:
    """Why a file may not be attached (none when it may): its kind, its size, the number already attached."""
    problems = []
    if not name.lower().endswith(EXTENSIONS):
        kinds = ", ".join(EXTENSIONS)
        problems.append(Reason(f"« {name} » n’est pas d’un type accepté ({kinds}).",
                               f"“{name}” is not of an accepted kind ({kinds})."))
    if size > max_bytes():
        limit_fr, limit_en = str(filesizeformat(max_bytes())), str(filesizeformat(max_bytes()))
        problems.append(Reason(f"« {name} » dépasse {limit_fr}, la plus grande taille acceptée.",
                               f"“{name}” is larger than {limit_en}, the largest file accepted."))
    if count >= MAX_FILES:
        problems.append(Reason(f"Une candidature porte au plus {MAX_FILES} fichiers ; retirez-en un d’abord.",
                               f"An application holds at most {MAX_FILES} files; remove one first."))
    return problems


@transaction.atomic
def add_file(user, candidacy: Candidacy, upload, *, channel: str = "page") -> CandidacyFile:
    """Attach `upload` (a Django UploadedFile) to the draft, or raise `Refused` with every reason."""
    check(can_edit_candidacy(user, candidacy))
    name = (upload.name or "evidence").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    problems = upload_problems(name, upload.size, candidacy.files.count())
    if problems:
        raise Refused(problems)
    row = CandidacyFile(candidacy=candidacy, name=name, size=upload.size,
                        content_type=(getattr(upload, "content_type", "") or "")[:100], uploaded_by=user)
    row.file.save(name, upload, save=False)
    row.save()
    audit.record(user, "update", candidacy, {"files": [None, name]}, channel)
    return row


@transaction.atomic
def remove_file(user, row: CandidacyFile, *, channel: str = "page") -> None:
    """Take a file off the draft (and out of the storage once the transaction commits)."""
    candidacy = row.candidacy
    check(can_edit_candidacy(user, candidacy))
    audit.record(user, "update", candidacy, {"files": [row.name, None]}, channel)
    stored = row.file.name
    storage = row.file.storage
    row.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def readable_file(user, candidacy: Candidacy, pk: int) -> CandidacyFile | None:
    """The file `pk` of the application when `user` may read the application, else None."""
    if not can_view_candidacy(user, candidacy)[0]:
        return None
    return candidacy.files.filter(pk=pk).first()


def download(row: CandidacyFile) -> FileResponse:
    """The file as a download, never shown inline (whatever its kind)."""
    safe = "".join(c for c in row.name if c.isalnum() or c in "._- ") or "evidence"
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=safe,
                        content_type="application/octet-stream")


def describe(row: CandidacyFile) -> dict[str, Any]:
    """A file as the API lists it, with the address that serves it through the permission layer."""
    return {"id": row.pk, "name": row.name, "size": row.size, "content_type": row.content_type,
            "uploaded_at": row.uploaded_at,
            "url": reverse("api:certification_get_application_file", kwargs={"candidacy_id": row.candidacy_id, "file_id": row.pk})}
