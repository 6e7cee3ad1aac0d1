"""Helpers for tests that upload a member list on the import page: the preview, then the confirmation."""

from __future__ import annotations

from django.urls import reverse


def confirm(client, response, language: str = "fr"):
    """Confirm the preview the upload `response` (followed) shows; returns the job page, or `response` as is."""
    context = response.context
    job = context.get("job") if context is not None else None
    if job is None or job.status != "preview":
        return response
    url = reverse("workspace_import_confirm", args=[job.cluster.slug, job.pk])
    return client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE=language)
