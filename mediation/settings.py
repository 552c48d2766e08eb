"""Settings for Tafel, read from environment variables.

A fresh checkout runs with no variables at all: development mode, SQLite and a dev mailbox in
the ignored `var/` folder. `TAFEL_ENV=production` switches to production mode, which refuses to
start without its secrets and names the one that is missing. Every variable is listed, with one
line of explanation, in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from mediation.crypto import master_keys_problem
from mediation.env import (
    MissingSetting,
    cache_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

TAFEL_ENV = env_str("TAFEL_ENV", "development")
if TAFEL_ENV not in {"development", "production"}:
    raise MissingSetting(f"TAFEL_ENV must be development or production, not {TAFEL_ENV!r}.")
PRODUCTION = TAFEL_ENV == "production"

# The instance folder holds what a development machine generates (database, mailbox). It is
# ignored by git. Production keeps nothing that must be shared on local disk.
VAR_DIR = Path(env_str("TAFEL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_secret(
    "TAFEL_SECRET_KEY",
    required=PRODUCTION,
    default="django-insecure-development-only-key-never-use-in-production",
)
# Master keys for confidential text: Fernet keys, newest first, comma-separated
# (`python manage.py generate_key`). Development generates var/master.keys instead.
TAFEL_MASTER_KEYS = env_secret("TAFEL_MASTER_KEYS", required=PRODUCTION)
if TAFEL_MASTER_KEYS and (_keys_problem := master_keys_problem(TAFEL_MASTER_KEYS)):
    raise MissingSetting(f"TAFEL_MASTER_KEYS cannot be used: {_keys_problem}.")
DEBUG = False if PRODUCTION else env_bool("TAFEL_DEBUG", True)
ALLOWED_HOSTS = env_list("TAFEL_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise MissingSetting(
        "TAFEL_ALLOWED_HOSTS is not set: production mode needs the host names it serves."
    )
CSRF_TRUSTED_ORIGINS = env_list("TAFEL_CSRF_TRUSTED_ORIGINS")
# The address people use to reach Tafel, for links in email (invites, RSVP, notifications).
TAFEL_BASE_URL = env_str("TAFEL_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip(
    "/"
)
if PRODUCTION and not TAFEL_BASE_URL.startswith("https://"):
    raise MissingSetting(
        "TAFEL_BASE_URL is not set to an https:// address: production mode needs it for links "
        "in email."
    )

INSTALLED_APPS = [
    "audit.admin_config.AuditedAdminConfig",  # django.contrib.admin, every change audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm",
    "guardian",
    "django_otp",
    # Their tables stay empty: twofactor's own devices keep the app keys sealed and the recovery
    # codes hashed; these remain for the migration that moved their plain rows over.
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "mediation",
    "audit",
    "cases",
    "twofactor",
    "parties",
    "scheduling",
    "agreements",
    "surveys",
    "documents",
    "letters",
    "doctemplates",
    "portal",
    "dossier",
    "zgw",
    "reporting",
    "dashboard",
    "api",
    "demo",
    # The API (issue 21): Django REST framework, its OpenAPI schema, and the docs page's
    # assets served from here (no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Headers: Content-Security-Policy and Permissions-Policy (see "Headers" below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in user's 404 on a case page goes to the audit trail, throttled.
    "cases.middleware.CaseNotFoundAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it signs out after TAFEL_IDLE_TIMEOUT_MINUTES without a request, with a message.
    "mediation.idle.IdleTimeoutMiddleware",
]

ROOT_URLCONF = "mediation.urls"
WSGI_APPLICATION = "mediation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mediation.context_processors.roles",
                "mediation.context_processors.environment",
                "mediation.context_processors.idle_warning",
            ],
        },
    },
]

# Database: SQLite in the instance folder unless DATABASE_URL names another (PostgreSQL).
_database_url = env_secret("DATABASE_URL", required=PRODUCTION)
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            # Wait for the write lock instead of failing at once when two requests write.
            # secure_delete: SQLite overwrites what it deletes, so destroyed records (retention,
            # erasure) do not linger in the file's free pages.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA secure_delete = ON;",
            },
            # Kept between requests, as with DATABASE_URL: reconnecting cost the case list a
            # fifth of its time under gunicorn (bench/RESULTS.md).
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Parties have no account and nothing is public: guardian needs no anonymous user.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Days from the last approval of an agreement to its follow-up (nazorg), by default.
TAFEL_FOLLOW_UP_DAYS = env_int("TAFEL_FOLLOW_UP_DAYS", 42)

# A participant's personal page link works this many days after it was made (issue 20).
TAFEL_PORTAL_LINK_DAYS = env_int("TAFEL_PORTAL_LINK_DAYS", 90)

# Documents on a case (issue 22): the largest file a mediator may upload, in bytes (20 MB).
# The upload page reads a document into memory only, up to this size (documents/uploads.py):
# Django's own handlers would keep a file above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) in a
# temporary file, unsealed; so the plain bytes never reach the disk. This holds under a WSGI
# server (gunicorn): an ASGI server would spool a request body above 2.5 MB to a temporary file.
TAFEL_DOCUMENT_MAX_BYTES = env_int("TAFEL_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

# The supervisor's home lists open cases on which nothing happened for this many days.
TAFEL_QUIET_DAYS = env_int("TAFEL_QUIET_DAYS", 14)

# Sessions: a working day at most, gone when the browser closes; cookies only over HTTPS in
# production. Notes are confidential, so an unattended browser must not stay logged in.
SESSION_COOKIE_AGE = env_int("TAFEL_SESSION_AGE_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Headers: scripts, styles and everything else only from Tafel's own files, never inline (no
# `unsafe-inline`: a planted <script> or style attribute does not run); no framing; no
# plug-ins. Pages keep their JavaScript and CSS in static files (docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features Tafel never uses are off, for every page and frame; passkeys (WebAuthn)
# and copying the calendar address stay allowed on Tafel's own pages.
_FEATURES_OFF = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY: dict[str, str | list[str]] = {
    **{feature: [] for feature in _FEATURES_OFF},
    "clipboard-write": "self",
    "publickey-credentials-create": "self",
    "publickey-credentials-get": "self",
}

# Signed out after this many minutes without a request (WCAG 2.2.1: a warning comes
# TAFEL_IDLE_WARNING_MINUTES before, with a button to stay signed in). Kept in seconds here.
TAFEL_IDLE_TIMEOUT_SECONDS = 60 * env_int("TAFEL_IDLE_TIMEOUT_MINUTES", 30)
TAFEL_IDLE_WARNING_SECONDS = 60 * env_int("TAFEL_IDLE_WARNING_MINUTES", 5)
if not 0 < TAFEL_IDLE_WARNING_SECONDS < TAFEL_IDLE_TIMEOUT_SECONDS:
    raise MissingSetting(
        "TAFEL_IDLE_WARNING_MINUTES must be at least 1 and less than TAFEL_IDLE_TIMEOUT_MINUTES."
    )
# Set when a load balancer terminates TLS and forwards the client's address.
TAFEL_BEHIND_PROXY = env_bool("TAFEL_BEHIND_PROXY", False)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TAFEL_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("TAFEL_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TAFEL_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("TAFEL_HSTS_PRELOAD", True)
    if TAFEL_BEHIND_PROXY:
        # The load balancer terminates TLS and says so in this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Language and time: Dutch by default, English through the browser or the switcher.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
# Production serves collected files (`collectstatic`) through WhiteNoise; development serves them
# straight from the apps, so it needs no collected folder.
STATIC_ROOT = (
    Path(env_str("TAFEL_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
    if PRODUCTION or env_str("TAFEL_STATIC_ROOT")
    else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: a file mailbox in the instance folder during development, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("TAFEL_DEFAULT_FROM_EMAIL", "" if PRODUCTION else "tafel@localhost")
if PRODUCTION and not DEFAULT_FROM_EMAIL:
    raise MissingSetting(
        "TAFEL_DEFAULT_FROM_EMAIL is not set: production mode needs the sender of invites."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of every Message-ID Tafel writes: the sender's, unless set.
TAFEL_MAIL_DOMAIN = env_str(
    "TAFEL_MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
)
# Date headers in Dutch time with its offset (+0100, +0200), not UTC.
EMAIL_USE_LOCALTIME = True
# The ORGANIZER of every invite: the mailbox whose answers Tafel reads (the mediator's name
# stays as CN). Calendar programs send their Accept/Decline buttons' replies here.
TAFEL_ORGANIZER_EMAIL = env_str("TAFEL_ORGANIZER_EMAIL", DEFAULT_FROM_EMAIL)
# That mailbox over IMAP (`manage.py fetch_mail`, and `run_worker` every interval); off when
# no host is set. Security: tls (IMAPS, default port 993), starttls or none (port 143).
TAFEL_IMAP_HOST = env_str("TAFEL_IMAP_HOST")
TAFEL_IMAP_SECURITY = env_str("TAFEL_IMAP_SECURITY", "tls")
if TAFEL_IMAP_SECURITY not in {"tls", "starttls", "none"}:
    raise MissingSetting(
        f"TAFEL_IMAP_SECURITY must be tls, starttls or none, not {TAFEL_IMAP_SECURITY!r}."
    )
TAFEL_IMAP_PORT = env_int("TAFEL_IMAP_PORT", 993 if TAFEL_IMAP_SECURITY == "tls" else 143)
TAFEL_IMAP_USER = env_str("TAFEL_IMAP_USER", TAFEL_ORGANIZER_EMAIL)
TAFEL_IMAP_PASSWORD = env_secret("TAFEL_IMAP_PASSWORD", required=bool(TAFEL_IMAP_HOST))
TAFEL_IMAP_FOLDER = env_str("TAFEL_IMAP_FOLDER", "INBOX")
# Where handled answers are filed, and answers that were refused (forged, malformed).
TAFEL_IMAP_DONE_FOLDER = env_str("TAFEL_IMAP_DONE_FOLDER", "Tafel processed")
TAFEL_IMAP_REFUSED_FOLDER = env_str("TAFEL_IMAP_REFUSED_FOLDER", "Tafel refused")
TAFEL_IMAP_INTERVAL_SECONDS = env_int("TAFEL_IMAP_INTERVAL_SECONDS", 60)
TAFEL_IMAP_TIMEOUT_SECONDS = env_int("TAFEL_IMAP_TIMEOUT_SECONDS", 30)
# Where people report accessibility problems (the accessibility statement); default: the sender.
TAFEL_ACCESSIBILITY_CONTACT = env_str("TAFEL_ACCESSIBILITY_CONTACT")
# Retention (dossier app): days after closing that working notes are kept, years after the end
# that the dossier and contact details are kept (at least 5), and the audit trail's years.
TAFEL_RETENTION_WORKING_NOTES_DAYS = env_int("TAFEL_RETENTION_WORKING_NOTES_DAYS", 30)
TAFEL_RETENTION_DOSSIER_YEARS = env_int("TAFEL_RETENTION_DOSSIER_YEARS", 5)
if TAFEL_RETENTION_DOSSIER_YEARS < 5:
    raise MissingSetting(
        "TAFEL_RETENTION_DOSSIER_YEARS must be at least 5 (civil code art. 7:412, MfN register)."
    )
TAFEL_RETENTION_AUDIT_YEARS = env_int("TAFEL_RETENTION_AUDIT_YEARS", 10)
# A destruction list needs a second supervisor's approval (four eyes).
TAFEL_DESTRUCTION_FOUR_EYES = env_bool("TAFEL_DESTRUCTION_FOUR_EYES", False)
# How long before a session its reminders go out (`manage.py send_reminders`).
TAFEL_REMINDER_HOURS = env_int("TAFEL_REMINDER_HOURS", 24)
if PRODUCTION or env_str("TAFEL_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("TAFEL_EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("TAFEL_EMAIL_PORT", 587 if PRODUCTION else 25)
    EMAIL_HOST_USER = env_str("TAFEL_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_secret("TAFEL_EMAIL_PASSWORD", required=False)
    EMAIL_USE_TLS = env_bool("TAFEL_EMAIL_USE_TLS", PRODUCTION)
    EMAIL_TIMEOUT = env_int("TAFEL_EMAIL_TIMEOUT_SECONDS", 30)
else:
    # Development: mail lands in var/mailbox/, listed at /dev/mailbox/.
    EMAIL_BACKEND = "mediation.mail.DevMailboxBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("TAFEL_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request errors are logged without request bodies (Django's default handler would
        # e-mail them to ADMINS with POST data, which may hold confidential text).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Two-factor sign-in (twofactor app): a code from an authenticator app (TOTP), a passkey
# (WebAuthn) or a single-use recovery code after the password. Required in production for
# mediators, supervisors and administrators; off by default in development and the demo, so the
# Quick start stays two commands. Coordinators too when TAFEL_2FA_COORDINATORS is set.
TAFEL_REQUIRE_2FA = env_bool("TAFEL_REQUIRE_2FA", PRODUCTION)
TAFEL_2FA_COORDINATORS = env_bool("TAFEL_2FA_COORDINATORS", False)
OTP_TOTP_ISSUER = "Tafel"
# Passkeys are bound to a host name (the relying party). By default the host of TAFEL_BASE_URL;
# development uses localhost (a browser accepts passkeys on http://localhost, not on an IP
# address), so open http://localhost:8000 there to try passkeys.
_webauthn_base = urlsplit(TAFEL_BASE_URL or "http://localhost:8000")
# Browsers refuse passkeys on plain http except on localhost (and on IP addresses always), and
# django-otp-webauthn refuses to start with such an origin: `make run ADDRESS=192.168.1.20:8000`
# falls back to localhost for passkeys.
_webauthn_local = _webauthn_base.scheme != "https" or _webauthn_base.hostname in {
    None,
    "127.0.0.1",
    "::1",
    "localhost",
}
TAFEL_WEBAUTHN_RP_ID = env_str(
    "TAFEL_WEBAUTHN_RP_ID", "localhost" if _webauthn_local else (_webauthn_base.hostname or "")
)
OTP_WEBAUTHN_RP_ID_CALLABLE = "twofactor.webauthn.relying_party_id"
OTP_WEBAUTHN_RP_NAME = "Tafel"
# The addresses (scheme, host and port) a passkey may be used from.
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "TAFEL_WEBAUTHN_ORIGINS",
    [f"http://localhost:{_webauthn_base.port or 8000}"]
    if _webauthn_local
    else [f"{_webauthn_base.scheme}://{_webauthn_base.netloc}"],
)
# A passkey is a second factor after the password, never a sign-in of its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# WCAG 2.2.2 (enough time): the browser's passkey prompt stays open five minutes.
OTP_WEBAUTHN_TIMEOUT_SECONDS = 5 * 60
# Sign-in throttling, link rate limits and secrets kept out of output (issue 17).
# After TAFEL_LOGIN_FAILURE_LIMIT failed sign-ins for one account, or
# TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT from one client address (over any accounts), signing in
# from there is refused for TAFEL_LOGIN_COOLOFF_MINUTES; a supervisor or administrator can
# unlock earlier (/accounts/lockouts/). django-axes keeps the attempts in the database, so
# every app process sees them (mediation/throttle.py).
TAFEL_LOGIN_FAILURE_LIMIT = env_int("TAFEL_LOGIN_FAILURE_LIMIT", 5)
TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
TAFEL_LOGIN_COOLOFF_MINUTES = env_int("TAFEL_LOGIN_COOLOFF_MINUTES", 15)
if (
    min(TAFEL_LOGIN_FAILURE_LIMIT, TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT, TAFEL_LOGIN_COOLOFF_MINUTES)
    < 1
):
    raise MissingSetting(
        "TAFEL_LOGIN_FAILURE_LIMIT, TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT and "
        "TAFEL_LOGIN_COOLOFF_MINUTES must each be at least 1."
    )
AXES_FAILURE_LIMIT = TAFEL_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=TAFEL_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "mediation.throttle.SignInThrottle"
AXES_LOCKOUT_CALLABLE = "mediation.throttle.lockout_response"
AXES_USERNAME_CALLABLE = "mediation.throttle.attempted_username"
# The same client address as the audit trail's (TAFEL_BEHIND_PROXY).
AXES_CLIENT_IP_CALLABLE = "audit.context.client_address_of"
# A successful sign-in does not wipe the address's failures: that would let someone with one
# account clear the count of the accounts they are guessing.
AXES_RESET_ON_SUCCESS = False
# Unlocking goes through Tafel's audited page, not axes' own admin.
AXES_ENABLE_ADMIN = False
AXES_HTTP_RESPONSE_CODE = 429
# Axes' own access log (who signed in when) duplicates the audit trail: off.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Axes logs every sign-in and failure; the audit trail has them (and the lockouts).
cast(dict, LOGGING["loggers"])["axes"] = {
    "handlers": ["console"],
    "level": "ERROR",
    "propagate": False,
}

# The cache holds the rate limits of the links opened without an account (answer, approval
# and calendar feed links). The default, local memory, is per process: production with
# several app processes needs a shared cache, e.g. `db://tafel_cache` (the database; run
# `manage.py createcachetable` once) or `redis://host:6379/0`.
TAFEL_CACHE_URL = env_str("TAFEL_CACHE_URL", "locmem://")
CACHES = {"default": cache_from_url(TAFEL_CACHE_URL)}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "audit.context.client_address_for_limits"
# Requests per client address: answer and approval links; calendar feeds (calendar programs
# poll them, several mediators' feeds from one provider's address).
TAFEL_LINK_RATE_LIMIT = env_str("TAFEL_LINK_RATE_LIMIT", "30/m")
TAFEL_FEED_RATE_LIMIT = env_str("TAFEL_FEED_RATE_LIMIT", "120/m")

# The API for municipal systems (issue 21, the `api` app): a client's bearer token only (no
# session, so no CSRF), JSON only, errors as JSON, rate limits per client address and per
# client (in the cache above), bodies of at most TAFEL_API_MAX_BODY_BYTES.
TAFEL_API_ADDRESS_RATE_LIMIT = env_str("TAFEL_API_ADDRESS_RATE_LIMIT", "300/m")
TAFEL_API_CLIENT_RATE_LIMIT = env_str("TAFEL_API_CLIENT_RATE_LIMIT", "120/m")
TAFEL_API_MAX_BODY_BYTES = env_int("TAFEL_API_MAX_BODY_BYTES", 256 * 1024)
# Webhooks (api.webhooks): at most this many per client; plain http:// only when allowed (a
# receiver on the same machine in development and tests), never in production.
TAFEL_WEBHOOKS_PER_CLIENT = env_int("TAFEL_WEBHOOKS_PER_CLIENT", 5)
TAFEL_WEBHOOKS_ALLOW_HTTP = False if PRODUCTION else env_bool("TAFEL_WEBHOOKS_ALLOW_HTTP", DEBUG)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsApiClient"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "api_address": TAFEL_API_ADDRESS_RATE_LIMIT,
        "api_client": TAFEL_API_CLIENT_RATE_LIMIT,
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tafel API",
    "DESCRIPTION": (
        "Referrals in, status and outcome out, for the systems of the municipalities that "
        "refer conflicts to mediation. Each client has its own token and scopes and reads only "
        "the referrals it made: status, dates and outcome, never what was said."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Codes only: the labels are translated, and the schema must read the same in any language.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.CaseStatus",
        "OutcomeEnum": "cases.models.Outcome",
        "UrgencyEnum": "cases.models.Urgency",
        "PartyKindEnum": "parties.models.PartyKind",
    },
}

# A signed-in user's first case pages not found in an hour are each an audit event; after
# that, counts (cases/services/refusals.py).
TAFEL_NOT_FOUND_AUDIT_LIMIT = env_int("TAFEL_NOT_FOUND_AUDIT_LIMIT", 5)

# Error pages in DEBUG and `diffsettings`-like output hide every setting whose name says it
# holds a secret: Django's list plus master keys, database and cache URLs.
DEFAULT_EXCEPTION_REPORTER_FILTER = "mediation.secrets.SecretHidingFilter"
