"""Documents for the file questions of a call's form: uploaded by the coordinator side, read by the file's readers.

- `add_document`: the coordinator side uploads a document for a question of kind *file* while the
  file may change (`consortium.is_editable`); its type and size are checked (`calls.filetypes`), it is
  stored with Django's storage (`STORAGES["documents"]`, under a random name, no URL), and becomes the
  answer to the question (the document's id). Audited on the file.
- `visible_document`: a document of a file the user may open (`permissions.visible_applications`:
  the consortium, the clusters it asked, its assigned reviewers, the programme officers), else None;
  pages and API serve it as an attachment, never inline, from there only.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import get_language

from poles.calls import permissions
from poles.calls.consortium import is_editable
from poles.calls.filetypes import KINDS, check_document, clean_name, extension
from poles.calls.models import Application, Document
from poles.calls.reasons import Reason
from poles.core import audit


def file_questions(application: Application) -> dict[str, object]:
    """The call's questions of kind file, by key."""
    return {q.key: q for q in application.setup.questions() if q.kind == "file"}


def _refuse(reason: Reason) -> ValidationError:
    return ValidationError(reason.text(get_language() or settings.LANGUAGE_CODE))


@transaction.atomic
def add_document(user, application: Application, question: str, name: str, content: bytes, *,
                 channel: str = "page") -> Document:
    """Store a document as the answer to a file question of the draft."""
    permissions.check(permissions.can_edit_application(user, application))
    if not is_editable(application):
        raise _refuse(Reason("Un dossier ne change qu’avant la décision sur sa recevabilité.",
                             "A file is edited only before its eligibility is decided."))
    if question not in file_questions(application):
        raise _refuse(Reason(f"« {question} » n’est pas une question à document de cet appel.",
                             f"'{question}' is not a document question of this call."))
    reason = check_document(name, content[:64], len(content), max_bytes=settings.POLES_DOCUMENT_MAX_BYTES)
    if reason is not None:
        raise _refuse(reason)
    document = Document(application=application, question=question, name=clean_name(name),
                        content_type=KINDS[extension(name)].content_type, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), uploaded_by=user)
    document.file.save("document", ContentFile(content), save=False)
    document.save()
    before = audit.snapshot(application, ["answers"])
    application.answers = {**(application.answers or {}), question: document.pk}
    application.save(update_fields=["answers", "updated_at"])
    audit.record(user, "create", document, {"question": [None, question], "name": [None, document.name],
                                            "size": [None, document.size], "sha256": [None, document.sha256]},
                 channel)
    audit.record(user, "update", application, audit.diff(before, audit.snapshot(application, ["answers"])), channel)
    return document


def visible_document(user, application_id: int, document_id: int) -> Document | None:
    """The document, when it belongs to a file `user` may open (None otherwise: its existence is not told)."""
    application = permissions.visible_applications(user).filter(pk=application_id).first()
    if application is None:
        return None
    return Document.objects.filter(application=application, pk=document_id).select_related("application").first()


def documents_of(user, application: Application) -> list[Document]:
    """The documents of a file the user may open, newest first per question."""
    if not permissions.visible_applications(user).filter(pk=application.pk).exists():
        return []
    return list(application.documents.all())


def attachment(document: Document):
    """The document as a download: its checked type, as an attachment, never sniffed nor rendered, never cached."""
    from django.http import FileResponse

    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
