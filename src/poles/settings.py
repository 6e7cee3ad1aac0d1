"""Django settings: one module, read from the environment, defaults that work after cloning."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from poles.env import (
    PROJECT_DIR,
    VAR_DIR,
    env_bool,
    env_int,
    env_list,
    env_str,
    node_modules,
    secret_key,
)


def cache_database(default: dict, url: str) -> dict:
    """The cache's own connection: CACHE_DATABASE_URL, else a second connection beside the default.

    On SQLite that is a second file next to the main one (its own write lock, so a long import
    holding the main file never blocks a cache write); elsewhere the same database.
    """
    if url:
        database = dj_database_url.parse(url, conn_max_age=60)
    else:
        database = {**default, "OPTIONS": dict(default.get("OPTIONS", {}))}
    database["TEST"] = dict(database.get("TEST") or {})
    if not database["ENGINE"].endswith("sqlite3"):
        return database
    name = str(database["NAME"])
    if name and name != ":memory:" and not name.startswith("file:"):
        path = Path(name) if url else Path(name).with_name(f"{Path(name).stem}-cache.sqlite3")
        database["NAME"] = str(path)
        database["TEST"].setdefault("NAME", str(path.with_name(f"{path.stem}-test.sqlite3")))
    database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE", "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    database["CONN_MAX_AGE"] = 600
    return database


BASE_DIR = PROJECT_DIR
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_key()
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)  # served over TLS (usually by a reverse proxy): see docs/deploy.md
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",  # its static files: Swagger UI served from the package, not a CDN
    "django_tasks",  # Django 6: remove (django.tasks is built in)
    "django_tasks_db",
    "poles.core",
    "poles.access",
    "poles.territories",
    "poles.nomenclatures",
    "poles.registry",
    "poles.projects",
    "poles.calls",
    "poles.certification",
    "poles.policy",
    "poles.imports",
    "poles.demo",
    "poles.search",
    "poles.indicators",
    "poles.api",
    "poles.web",
    "poles.survey",
    "poles.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "poles.core.middleware.PrivateAnswersMiddleware",
    "poles.web.busy.DatabaseBusyMiddleware",
    "poles.web.pagecache.PersonalPagesMiddleware",
]

ROOT_URLCONF = "poles.urls"
WSGI_APPLICATION = "poles.wsgi.application"
ASGI_APPLICATION = "poles.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "poles.web.context.nav_items",
                "poles.web.context.layout",
                "poles.web.context.cached_csrf",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'poles.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),  # seconds a write waits for another (docs/web.md)
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("SQLITE_CONN_MAX_AGE", 60)  # seconds a worker keeps its connection (docs/web.md)
DATABASES["cache"] = cache_database(DATABASES["default"], env_str("CACHE_DATABASE_URL", ""))
DATABASE_ROUTERS = ["poles.core.cache.CacheRouter"]
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, adopted now
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "src" / "poles" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic fills it; whitenoise wants it to exist
STATICFILES_DIRS = [d for d in [node_modules() / "htmx.org" / "dist"] if d.exists()]
# The State's design system (@gouvfr/dsfr, docs/web.md): the files the pages use, from its package,
# under static/dsfr/.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "poles.web.staticfinders.DsfrFinder",
]
# "neutral" (default): no Marianne brand block, logo or font; "state": only for a site run by the
# State (DSFR's usage terms, docs/web.md).
POLES_BRAND = env_str("POLES_BRAND", "neutral")
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_AGE = 12 * 60 * 60
# Content-Security-Policy (django-csp): same-origin assets only, no inline script or style anywhere
# (templates, htmx with its indicator styles off, Django's admin, Swagger UI from django-ninja);
# data: images for the icons inlined in Swagger UI's and the admin's style sheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if HTTPS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# HTTPS=1: redirect http to https and tell browsers to use https for a year (subdomains included;
# HSTS_PRELOAD=0 or HSTS_INCLUDE_SUBDOMAINS=0 opt out, and `check --deploy` then says so).
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", HTTPS)
# Only behind a proxy that sets this header on every request and strips it from clients' requests.
if env_str("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + env_str("SECURE_PROXY_SSL_HEADER", "").upper().replace("-", "_"), "https")

AUTHENTICATION_BACKENDS = ["poles.access.backends.RateLimitedModelBackend"]
LOGIN_RATE_LIMIT = (5, 15 * 60)  # failed logins per account (from any address), per seconds
LOGIN_ADDRESS_RATE_LIMIT = (20, 15 * 60)  # failed logins per client address (any account)
PASSWORD_RESET_RATE_LIMIT = (3, 60 * 60)  # reset requests per e-mail address
PASSWORD_RESET_ADDRESS_RATE_LIMIT = (10, 60 * 60)  # reset requests per client address
CLIENT_ADDRESS_HEADER = env_str("CLIENT_ADDRESS_HEADER", "")  # e.g. X-Real-IP, set by the proxy

# One cache shared by every worker and the task worker: Redis when REDIS_URL is set, else the
# database cache on its own connection (alias "cache", see poles.core.cache).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "KEY_PREFIX": "poles", "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }}
else:
    CACHES = {"default": {
        "BACKEND": "poles.core.cache.DatabaseCache", "LOCATION": "poles_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }}
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# The observatory's regional data for the factsheet tables on region pages (Table 1, Table 2,
# Figure 1 of the ECCP factsheet): a Eurostat dump or tidy file, e.g. ../shared/data/eurostat/
# sbs_r_nuts06_r2.tsv.gz with the filter indic_sb=V16110 (persons employed). Unset: no tables.
OBSERVATORY_PANEL = env_str("POLES_OBSERVATORY_PANEL", "")
OBSERVATORY_FILTERS = env_list("POLES_OBSERVATORY_FILTERS", ["indic_sb=V16110"])
OBSERVATORY_YEAR = env_int("POLES_OBSERVATORY_YEAR", 0)  # 0: the latest year with data
OBSERVATORY_REFERENCE = env_str("POLES_OBSERVATORY_REFERENCE", "eu")

# E-mail (invitations, password resets): SMTP when EMAIL_HOST is set, else printed on the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                        else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "poles@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # each role's home (poles.web.navigation.home_for)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

# Imports from pages (docs/imports.md): the largest file, the largest sheet, errors kept in a report
POLES_IMPORT_MAX_BYTES = env_int("POLES_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
POLES_IMPORT_MAX_ROWS = env_int("POLES_IMPORT_MAX_ROWS", 100_000)
POLES_IMPORT_MAX_ERRORS = env_int("POLES_IMPORT_MAX_ERRORS", 200)
FILE_UPLOAD_MAX_MEMORY_SIZE = min(POLES_IMPORT_MAX_BYTES, 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # request bodies other than files (Django's default, stated)
POLES_IMPORT_INLINE_BYTES = env_int("POLES_IMPORT_INLINE_BYTES", 64 * 1024)  # smaller files run at once

# Documents attached to files of calls (docs/calls.md): kept by Django's storage under var/documents,
# outside STATIC_ROOT and with no URL of their own; only the permission layer serves them.
POLES_DOCUMENTS_DIR = env_str("POLES_DOCUMENTS_DIR", str(VAR_DIR / "documents"))
POLES_DOCUMENT_MAX_BYTES = min(env_int("POLES_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024), POLES_IMPORT_MAX_BYTES)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(VAR_DIR / "files"), "base_url": None}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                  "OPTIONS": {"location": POLES_DOCUMENTS_DIR, "base_url": None}},
}

# Long work runs as tasks (poles.core.tasks) in the database, run by `poles worker` (docs/web.md)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
POLES_JOB_LEASE = env_int("POLES_JOB_LEASE", 30)  # seconds without a heartbeat before a job is recovered
POLES_REPORTS_DIR = env_str("POLES_REPORTS_DIR", str(VAR_DIR / "reports"))  # files of report runs
POLES_REPORT_JOBS = env_int("POLES_REPORT_JOBS", 2)  # processes laying out PDFs in a run
# Uploaded files kept through Django's storage (certification evidence, docs/certification.md): no
# MEDIA_URL, never served as static media, only through the permission layer's views
MEDIA_ROOT = env_str("POLES_MEDIA_DIR", str(VAR_DIR / "media"))
POLES_EVIDENCE_MAX_BYTES = env_int("POLES_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

FILE_UPLOAD_HANDLERS = [
    "poles.web.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
