"""Settings for Xieshang, read from the environment.

Every value a deployment may change comes from an environment variable with a
safe default for a single-machine demo (SQLite, console mail, console SMS).
`docs/configuration.md` lists them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Lets Django's generic classes be subscripted at run time (`forms.ModelForm[Rule]`), so the
# type checker in strict mode knows what each form, field, admin and feed holds.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XIESHANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("XIESHANG_DEBUG", False)
# A demo install (`make demo`): may run with the public demo secret key and derive the field and
# audit keys from it, and says so on every page. Any other install refuses to start with the
# demo key (xieshang.core.crypto.demo_key_refusal, system check xieshang.E004).
XIESHANG_DEMO = env_bool("XIESHANG_DEMO", False)
SECRET_KEY = os.environ.get(
    "XIESHANG_SECRET_KEY", "insecure-demo-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("XIESHANG_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("XIESHANG_CSRF_TRUSTED_ORIGINS")
# The host names of the platform itself (never a committee site's own host; default: every
# ALLOWED_HOSTS entry). Set it when committee sites have host names of their own, which are
# then listed in ALLOWED_HOSTS but not here (docs/configuration.md).
XIESHANG_PLATFORM_HOSTS = env_list("XIESHANG_PLATFORM_HOSTS")

# Our apps first: their translations and templates take precedence over Django's own.
INSTALLED_APPS = [
    "xieshang.core",
    "xieshang.members",
    "xieshang.proposals",
    "xieshang.opinions",
    "xieshang.activities",
    "xieshang.meetings",
    "xieshang.search",
    "xieshang.duties",
    "xieshang.portal",
    "xieshang.participation",
    "xieshang.clues",
    "xieshang.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "django_tasks_db",
    # Last: the demo and generated data build on every app above (the top layer).
    "xieshang.devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xieshang.portal.middleware.SiteHostMiddleware",
    "xieshang.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xieshang.core.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xieshang.core.middleware.ActingCommitteeMiddleware",
]

ROOT_URLCONF = "xieshang.urls"
WSGI_APPLICATION = "xieshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xieshang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xieshang.core.context_processors.shell",
                "xieshang.portal.context_processors.public_site",
                "django.template.context_processors.csp",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
# SQLite in WAL mode unless DATABASE_URL says otherwise (PostgreSQL in production).
VAR_DIR.mkdir(parents=True, exist_ok=True)
_DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xieshang.sqlite3'}")
# On SQLite a connection is kept for 10 minutes by default: opening one runs the PRAGMAs below
# and closing the process's last one checkpoints the WAL, 5-10 ms of CPU that a request paid
# twice (issue #20; benchmarks/proposal_cpu.py --wsgi). PostgreSQL keeps 0 unless configured.
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        conn_max_age=env_int("XIESHANG_DB_CONN_MAX_AGE",
                             600 if _DATABASE_URL.startswith("sqlite") else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=env_int("XIESHANG_DB_CONN_MAX_AGE", 0),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["xieshang.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["xieshang.core.auth_backends.PhoneOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xieshang.core.validators.CharacterClassValidator"},
    {"NAME": "xieshang.core.validators.PasswordHistoryValidator"},
]
# A new password may not be any of the last PASSWORD_HISTORY_COUNT ones.
PASSWORD_HISTORY_COUNT = env_int("XIESHANG_PASSWORD_HISTORY", 5)
# Days before a password must be changed (0: never). Accounts holding a staff or admin role
# anywhere use the staff value; everyone else the general one.
PASSWORD_MAX_AGE_DAYS = env_int("XIESHANG_PASSWORD_MAX_AGE_DAYS", 0)
STAFF_PASSWORD_MAX_AGE_DAYS = env_int("XIESHANG_STAFF_PASSWORD_MAX_AGE_DAYS", 90)
# TOTP second factor: required of every staff and admin account when true (a committee may also
# require it through its "mfa_required" policy); optional for everyone otherwise.
MFA_REQUIRED = env_bool("XIESHANG_MFA_REQUIRED", False)
MFA_ISSUER = os.environ.get("XIESHANG_MFA_ISSUER", "政协履职平台")
# A new login ends the account's older sessions.
SINGLE_SESSION = env_bool("XIESHANG_SINGLE_SESSION", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# API tokens end after at most this many days (a user may choose fewer).
XIESHANG_API_TOKEN_DAYS = env_int("XIESHANG_API_TOKEN_DAYS", 90)
# Lock an account for LOCKOUT_MINUTES after LOCKOUT_THRESHOLD failed logins in a row.
# Each new lock within a day lasts twice as long; a device the user logged in from before still
# gets in (xieshang.core.throttle). One address may fail XIESHANG_LOGIN_IP_THRESHOLD times in 15
# minutes before it must wait (a minute, then twice as long each time within a day).
LOCKOUT_THRESHOLD = env_int("XIESHANG_LOCKOUT_THRESHOLD", 5)
LOCKOUT_MINUTES = env_int("XIESHANG_LOCKOUT_MINUTES", 15)
XIESHANG_LOGIN_IP_THRESHOLD = env_int("XIESHANG_LOGIN_IP_THRESHOLD", 20)
# SMS-code login (xieshang.core.smslogin): a code lasts SMS_LOGIN_CODE_SECONDS; one number may ask
# once every SMS_LOGIN_PHONE_GAP_SECONDS and SMS_LOGIN_PHONE_PER_HOUR times an hour, one address
# SMS_LOGIN_IP_PER_HOUR times an hour (whether the number belongs to an account or not).
SMS_LOGIN_CODE_SECONDS = env_int("XIESHANG_SMS_LOGIN_CODE_SECONDS", 300)
SMS_LOGIN_PHONE_GAP_SECONDS = env_int("XIESHANG_SMS_LOGIN_PHONE_GAP_SECONDS", 60)
SMS_LOGIN_PHONE_PER_HOUR = env_int("XIESHANG_SMS_LOGIN_PHONE_PER_HOUR", 5)
SMS_LOGIN_IP_PER_HOUR = env_int("XIESHANG_SMS_LOGIN_IP_PER_HOUR", 30)
# Idle sessions end after SESSION_COOKIE_AGE seconds: the session is written when it changes and
# at least once a minute while in use (xieshang.core.middleware.SessionMiddleware), not on every
# request, so its expiry moves with the user's activity without a write per page.
SESSION_COOKIE_AGE = env_int("XIESHANG_SESSION_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("XIESHANG_HTTPS", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("XIESHANG_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("XIESHANG_HSTS_SECONDS", 31536000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XIESHANG_HSTS_SUBDOMAINS", SESSION_COOKIE_SECURE)
SECURE_HSTS_PRELOAD = env_bool("XIESHANG_HSTS_PRELOAD", SESSION_COOKIE_SECURE)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SESSION_COOKIE_SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: scripts and styles from our own files only (style attributes allowed),
# nothing from other sites, no framing. Pages need no CDN, so nothing else is allowed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Trust X-Forwarded-For for the audit log's IP only behind a known proxy.
XIESHANG_TRUST_X_FORWARDED_FOR = env_bool("XIESHANG_TRUST_X_FORWARDED_FOR", False)

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "xieshang" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The shell's own assets (xieshang/static/xieshang/); app assets come from each app's static/.
STATICFILES_DIRS = [BASE_DIR / "xieshang" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("XIESHANG_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES = {
    # FileSystemStorage that answers a full disk with a clear message (core/storage.py).
    "default": {"BACKEND": "xieshang.core.storage.UploadStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Background tasks -----------------------------------------------------
# The database backend needs no broker; `xieshang db_worker` runs the queue.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("XIESHANG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Mail and SMS ---------------------------------------------------------
_MAIL_BACKEND = os.environ.get(
    "XIESHANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("XIESHANG_EMAIL_HOST", "localhost"),
            "port": env_int("XIESHANG_EMAIL_PORT", 25),
            "username": os.environ.get("XIESHANG_EMAIL_USER", ""),
            "password": os.environ.get("XIESHANG_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("XIESHANG_EMAIL_TLS", False),
        } if _MAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("XIESHANG_FROM_EMAIL", "xieshang@localhost")
# Dotted path of an SMS sender class (see xieshang.core.sms) and its options.
SMS_BACKEND = os.environ.get("XIESHANG_SMS_BACKEND", "xieshang.core.sms.LogSmsBackend")
SMS_GATEWAY_URL = os.environ.get("XIESHANG_SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("XIESHANG_SMS_GATEWAY_KEY", "")
SMS_SIGN_NAME = os.environ.get("XIESHANG_SMS_SIGN_NAME", "政协")

# --- Cache ----------------------------------------------------------------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache",
         "LOCATION": os.environ["XIESHANG_REDIS_URL"]}
        if os.environ.get("XIESHANG_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The statistics page's and the dashboard's figures computed ahead by the worker when their
# inputs change (reports/precompute.py): only where the worker's results reach the web
# processes, i.e. with a shared cache. XIESHANG_PRECOMPUTE_FIGURES=0 turns it off.
REPORTS_PRECOMPUTE = env_bool("XIESHANG_PRECOMPUTE_FIGURES",
                              bool(os.environ.get("XIESHANG_REDIS_URL")))
# With Redis, sessions live there too (no database write per request; several app servers share
# them). Logging out everywhere still works: it changes the user's session salt, not rows.
# XIESHANG_SESSIONS_IN_DB=1 keeps them in the database. See docs/scaling.md.
if os.environ.get("XIESHANG_REDIS_URL") and not env_bool("XIESHANG_SESSIONS_IN_DB", False):
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "xieshang": {"handlers": ["console"],
                     "level": os.environ.get("XIESHANG_LOG_LEVEL", "INFO")},
        # Server errors (500s) with their tracebacks, also when DEBUG is off.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Field-level encryption keys for ID numbers and TOTP secrets (comma-separated Fernet keys,
# newest first; see xieshang.core.crypto). Derived from SECRET_KEY only on a demo install.
XIESHANG_FIELD_KEY = os.environ.get("XIESHANG_FIELD_KEY", "")
# The audit log's HMAC key(s) (comma-separated, newest first; see xieshang.core.audit), kept out
# of the database; derived from SECRET_KEY only on a demo install. Signed checkpoints of each
# chain's head are written to XIESHANG_AUDIT_CHECKPOINT_DIR (kept by `xieshang backup`).
XIESHANG_AUDIT_KEY = os.environ.get("XIESHANG_AUDIT_KEY", "")
XIESHANG_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("XIESHANG_AUDIT_CHECKPOINT_DIR",
                                                    VAR_DIR / "audit-checkpoints"))
# The day's checkpoint is written after the first audited change of the day (the suite turns
# it off; its tests write checkpoints themselves).
XIESHANG_AUDIT_CHECKPOINTS = True
