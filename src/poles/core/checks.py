"""Deployment checks of our own settings, run by `poles check --deploy` beside Django's."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


@register(Tags.security, deploy=True)
def site_url(app_configs, **kwargs) -> list[Warning]:
    """SITE_URL starts every link sent by e-mail: it must be the public https address."""
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and url.hostname not in LOCAL_HOSTS:
        return []
    return [Warning(
        f"SITE_URL is {settings.SITE_URL!r}: links in invitation and password-reset e-mails "
        "would point there.",
        hint="Set SITE_URL to the public https address of the site, e.g. https://poles.example.org.",
        id="poles.W001",
    )]


@register(Tags.security, deploy=True)
def email_backend(app_configs, **kwargs) -> list[Warning]:
    """The console backend prints invitations and reset links to the server's log."""
    if not settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        return []
    return [Warning(
        "E-mails (invitations, password resets) are printed to the console, not sent.",
        hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).",
        id="poles.W002",
    )]
