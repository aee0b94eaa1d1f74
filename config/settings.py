"""Crossing settings: one env-driven file (STYLE.md synthesis, after Healthchecks and HackSoft).

CROSSING_ENV selects the deployment kind:
- ``dev``/``demo``: local use; a throwaway SECRET_KEY is allowed, DEBUG on for dev.
- ``test``: the test suite (fast hasher, locmem cache, dummy task backend).
- ``production``: everything that matters must come from the environment; ``check --deploy`` is clean.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# pytest (>= 8.2) announces itself in PYTEST_VERSION: a bare `pytest` then runs with test settings.
CROSSING_ENV = env.str("CROSSING_ENV", default="test" if "PYTEST_VERSION" in os.environ else "production")
if CROSSING_ENV not in {"dev", "demo", "test", "production"}:
    raise environ.ImproperlyConfigured(f"CROSSING_ENV must be dev, demo, test or production, not {CROSSING_ENV!r}")
IS_LOCAL = CROSSING_ENV in {"dev", "demo", "test"}


def _secret(name: str, default: str | None = None) -> str:
    """Read NAME, or the file named by NAME_FILE (container secrets), failing loudly."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    if default is None:
        return env.str(name)
    return env.str(name, default=default)


# Outside dev/demo/test a missing SECRET_KEY is an error, never a silent default.
SECRET_KEY = _secret("SECRET_KEY", default="insecure-local-only-key-for-dev-demo-and-tests" if IS_LOCAL else None)
# Keys the audit hash chain; must stay the same for the life of the log (defaults to SECRET_KEY).
CROSSING_AUDIT_KEY = _secret("CROSSING_AUDIT_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=CROSSING_ENV == "dev")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if IS_LOCAL else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "django_tasks",
    "csp",
    "crossing.core",
    "crossing.access",
    "crossing.registry",
    "crossing.intake",
    "crossing.linkage",
    "crossing.screening",
    "crossing.repatriation",
    "crossing.network",
    "crossing.flows",
    "crossing.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "crossing.access.middleware.TwoFactorRequiredMiddleware",
    "crossing.access.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "crossing.web.context.crossing",
            ],
        },
    }
]

# SQLite is the embedded default; PostgreSQL comes only from DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions avoid "database is locked" upgrades; WAL lets readers work during imports;
    # a 128 MB page cache keeps the name-token index in memory while large lists are imported.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
        "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["crossing.access.backends.LockoutModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

# Account hygiene: lock-out after repeated failures; idle sessions end.
CROSSING_LOCKOUT_THRESHOLD = env.int("CROSSING_LOCKOUT_THRESHOLD", default=5)
CROSSING_LOCKOUT_MINUTES = env.int("CROSSING_LOCKOUT_MINUTES", default=15)
# Thai-side processing rules for departures (scenario-facts: about 300 people a weekday; crossing
# within 24 hours of departure). Capacity per weekday, Monday first; a jurisdiction sets its own.
CROSSING_DEPARTURE_CAPACITY = env.list("CROSSING_DEPARTURE_CAPACITY", cast=int, default=[300, 300, 300, 300, 300, 0, 0])
CROSSING_CROSSING_WINDOW_HOURS = env.int("CROSSING_CROSSING_WINDOW_HOURS", default=24)
# The hour Thai immigration opens for crossings (crossing/repatriation/border.py).
CROSSING_PROCESSING_OPENS = env.int("CROSSING_PROCESSING_OPENS", default=8)
# Money flows (issue 7): transactions as Parquet files here, readable only by the service account.
CROSSING_FLOWS_DIR = Path(env.str("CROSSING_FLOWS_DIR", default=str(BASE_DIR / "var" / "flows")))
# The public complaint page: per client address and in all, per hour (floods are refused, not queued).
CROSSING_COMPLAINTS_PER_ADDRESS_HOUR = env.int("CROSSING_COMPLAINTS_PER_ADDRESS_HOUR", default=5)
CROSSING_COMPLAINTS_PER_HOUR = env.int("CROSSING_COMPLAINTS_PER_HOUR", default=500)
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout, not an absolute one
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Two-factor is required for roles that see sensitive sections. Demo mode may relax it, visibly.
CROSSING_REQUIRE_2FA = env.bool("CROSSING_REQUIRE_2FA", default=CROSSING_ENV not in {"dev", "demo"})
CROSSING_BREAK_GLASS_HOURS = env.int("CROSSING_BREAK_GLASS_HOURS", default=4)
CROSSING_API_TOKEN_HOURS = env.int("CROSSING_API_TOKEN_HOURS", default=12)
CROSSING_IMPORT_MAX_MB = env.int("CROSSING_IMPORT_MAX_MB", default=25)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
OTP_TOTP_ISSUER = "Crossing"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("th", "ไทย")]
LOCALE_PATHS = [BASE_DIR / "crossing" / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if CROSSING_ENV == "production"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "crossing.access.api_auth.BearerTokenAuthentication",
        "crossing.access.api_auth.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "crossing.core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Crossing API",
    "DESCRIPTION": "Registry, intake and access-controlled case data for the scam-compound response. "
    "Every call is scoped by the caller's grants and audited.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if IS_LOCAL else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="crossing@localhost")

# Content Security Policy from day one: only our own origin, scripts by nonce; no CDN anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Hardening that check --deploy asks for; on by default except on a local http demo.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not IS_LOCAL)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not IS_LOCAL)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not IS_LOCAL)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if IS_LOCAL else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not IS_LOCAL
SECURE_HSTS_PRELOAD = not IS_LOCAL
# Behind a TLS-terminating proxy: trust its scheme header and the address it appends.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Log no personal data: only event types, ids and counts reach the log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

if CROSSING_ENV == "test":
    import tempfile

    CROSSING_FLOWS_DIR = Path(tempfile.mkdtemp(prefix="crossing-flows-test-"))
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
