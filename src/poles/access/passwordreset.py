"""Password-reset e-mails, sent by a task so a request takes the same path for any address.

The page only counts the request (rate limits) and enqueues `send_password_reset`; looking the
address up, rendering and sending happen in the task, so a visitor cannot tell a known address
from an unknown one by the page's answer or its timing. Links are built from SITE_URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from poles.core.tasks import task

EMAIL_TEMPLATE = "access/accounts/password_reset_email.txt"


@task()
def send_password_reset(email: str, language: str) -> None:
    """Send the reset link to every active account with a usable password using `email`."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    with translation.override(language):
        form.save(domain_override=site.netloc, use_https=site.scheme == "https",
                  email_template_name=EMAIL_TEMPLATE,
                  extra_email_context={"site_url": settings.SITE_URL.rstrip("/"), "site_name": site.netloc})
