"""`poles check --deploy` is clean with the production settings of docs/deploy.md; dev defaults stay http."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = PROJECT / "docs" / "deploy.md"
SETTINGS_PRINTER = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps({k: getattr(s, k, None) for k in (
    "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "SITE_URL", "EMAIL_BACKEND")}
    | {"upgrade": s.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("upgrade-insecure-requests", False)}))
"""


def documented_environment() -> dict[str, str]:
    """The NAME=value lines of the environment file shown in docs/deploy.md."""
    block = re.search(r"```sh title=\"/etc/poles/env\"\n(.*?)```", DEPLOY_DOC.read_text(), re.S)
    assert block, "docs/deploy.md shows no environment file"
    pairs = (line.split("=", 1) for line in block.group(1).splitlines()
             if line.strip() and not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def run_poles(tmp_path: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`poles …` in a fresh interpreter with only `extra` as configuration (var/ in tmp_path)."""
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "LANG", "POLES_NODE_MODULES", "SYSTEMROOT")}
    env.update(PYTHONPATH=str(PROJECT / "src"), POLES_VAR_DIR=str(tmp_path), **extra)
    return subprocess.run([sys.executable, "-c", "from poles.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=300)


def printed_settings(tmp_path: Path, extra: dict[str, str]) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(PYTHONPATH=str(PROJECT / "src"), POLES_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="poles.settings", **extra)
    done = subprocess.run([sys.executable, "-c", SETTINGS_PRINTER], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout)


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    env = documented_environment()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)  # the doc says how to make one
    return env


def test_documented_environment_names_every_production_setting(production):
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "SECURE_COOKIES", "SITE_URL", "DATABASE_URL",
            "REDIS_URL", "EMAIL_HOST", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER"} <= set(production)
    assert production["DATABASE_URL"].startswith("postgres://")


def test_deploy_check_is_clean_with_the_documented_production_settings(tmp_path, production):
    done = run_poles(tmp_path, production, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_production_settings_force_https_behind_the_proxy(tmp_path, production):
    values = printed_settings(tmp_path, production)
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["upgrade"] is True


def test_deploy_check_names_what_the_dev_defaults_lack(tmp_path):
    done = run_poles(tmp_path, {}, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    for code in ("security.W008", "security.W012", "poles.W001", "poles.W002"):
        assert code in done.stderr + done.stdout, (code, done.stderr)


def test_dev_defaults_serve_plain_http_on_localhost(tmp_path):
    assert run_poles(tmp_path, {}, "check").returncode == 0
    values = printed_settings(tmp_path, {})
    assert values == {
        "DEBUG": False, "SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0, "SECURE_PROXY_SSL_HEADER": None,
        "SITE_URL": "http://127.0.0.1:8000",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "upgrade": False,
    }


@pytest.mark.django_db
def test_dev_defaults_answer_http_without_redirect_or_hsts(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
