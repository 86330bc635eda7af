"""Crewbase settings: everything an operator changes comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CREWBASE_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CREWBASE_DEBUG", False)
SECRET_KEY = (
    os.environ.get("CREWBASE_SECRET_KEY") or "insecure-development-key-change-me-" + "x" * 20
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CREWBASE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CREWBASE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
CREWBASE_BASE_URL = os.environ.get("CREWBASE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.usersessions' session list uses it
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "crewbase.core",
    "crewbase.accounts",
    "crewbase.access",
    "crewbase.people",
    "crewbase.org",
    "crewbase.audit",
    "crewbase.api",
    "crewbase.webhooks",
    "crewbase.bulk",
    "crewbase.mfa",
    "crewbase.signin",
    "crewbase.identity.sso",
    "crewbase.identity.scim",
    "crewbase.work",
    "crewbase.governance",
    "crewbase.console",
    "crewbase.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "crewbase.core.middleware.CurrentMemberMiddleware",
    "crewbase.signin.timezone.PersonTimeZoneMiddleware",
    "crewbase.mfa.gate.RequiredTwoFactorMiddleware",
    "crewbase.core.language.PersonLanguageMiddleware",
]

ROOT_URLCONF = "crewbase.config.urls"
WSGI_APPLICATION = "crewbase.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'crewbase.sqlite3'}",
        conn_max_age=int(os.environ.get("CREWBASE_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the worker and the web server read while the other writes;
            # IMMEDIATE makes a write transaction take the lock up front so that two
            # writers queue instead of failing half-way (our select_for_update on SQLite).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                # Read pages through a memory map: connections here last one request, so their
                # own page cache starts cold; the map shares the OS cache (3x on a 1M members
                # list, docs/performance.md).
                " PRAGMA mmap_size=1073741824;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-crewbase.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.Person"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "crewbase",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Server-side sessions in the database: ending them is a DELETE, seen by every process.
# (signin.session_store: the database backend, refusing malformed keys before any query.)
SESSION_ENGINE = "crewbase.signin.session_store"
SESSION_COOKIE_AGE = int(os.environ.get("CREWBASE_SESSION_SECONDS", str(14 * 24 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CREWBASE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

PASSWORD_HASHERS = [
    "crewbase.people.hashers.OwaspArgon2idHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "crewbase.people.passwords.LengthValidator"},
    {"NAME": "crewbase.people.passwords.CommonPasswordValidator"},
    {"NAME": "crewbase.people.passwords.PersonalInfoValidator"},
]
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]

# django-allauth: email is the only identifier; sign-up happens through invitations only.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "crewbase.people.allauth_adapter.CrewbaseAccountAdapter"
# The sign-in's writes in one transaction (people/login_form.py).
ACCOUNT_FORMS = {
    "login": "crewbase.people.login_form.CrewbaseLoginForm",
    # A reset link sent before SSO enforcement opens on the way to SSO (identity/sso).
    "reset_password_from_key": "crewbase.identity.sso.forms.SsoAwareResetPasswordKeyForm",
}
# Single sign-on: one allauth provider app per account connection (identity/sso).
SOCIALACCOUNT_ADAPTER = "crewbase.identity.sso.adapter.SsoAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Subjects are written in full in our templates; no "[site]" prefix.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Asking for a reset of an unknown address sends nothing (the page looks the same either way):
# Crewbase has no sign-up to point strangers to, and it would let anyone mail any address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# A person's email never changes (LIFE-5): allauth's email page may not add a second one.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
# Failed sign-ins are throttled by signin/throttle.py alone (AUTH-2: growing waits per email and
# per address, lockouts recorded in activity, counters shared through Redis). allauth's own
# fixed-window limits would refuse first, after 5 failures, with other words, no growing wait
# and no record, and cost ~25 cache round trips per sign-in; they are off for sign-in.
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_SESSION_REMEMBER = None
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
USERSESSIONS_TRACK_ACTIVITY = True

# allauth.mfa (AUTH-4): TOTP with ten recovery codes, shown once (our page offers the download
# while they are shown). Activation needs a verified EmailAddress (people/signin.py) and a
# recent re-authentication: signing in counts, so enrolment right after sign-in needs none.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_RECOVERY_CODE_COUNT = 10
MFA_RECOVERY_CODES_SHOW_ONCE = True
# No tolerance: a code lives one 30-second step, which allauth's used-code cache covers, so a
# code can never be replayed (a wider window would outlive that cache).
MFA_TOTP_ISSUER = "Crewbase"
# Wrong TOTP / recovery codes at sign-in go through the sign-in throttle (AUTH-2).
# So do wrong codes at the re-authentication prompt (before turning two-factor off, say).
MFA_FORMS = {
    "authenticate": "crewbase.mfa.code_throttle.ThrottledAuthenticateForm",
    "reauthenticate": "crewbase.mfa.code_throttle.ThrottledReauthenticateForm",
}

PASSWORD_RESET_TIMEOUT = 3600

# Anything sent with Django's send_mail() is queued in the outbox like the rest; only the
# worker really sends, through SMTP_URL (smtp://, smtp+starttls://, smtps://user:pass@host:port).
EMAIL_BACKEND = "crewbase.core.mail.OutboxOnlyBackend"
SMTP_URL = os.environ.get("SMTP_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("CREWBASE_FROM_EMAIL", "Crewbase <no-reply@crewbase.local>")
# With no SMTP_URL, delivered mail is written here as .eml files and listed at /dev/mailbox/.
# Readable only from the server's own machine; turn it off with CREWBASE_DEV_MAILBOX=0.
DEV_MAILBOX_DIR = DATA_DIR / "mailbox"
DEV_MAILBOX_ENABLED = env_bool("CREWBASE_DEV_MAILBOX", True)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "en"
# The console speaks these; a person picks one in their settings (SELF-1), otherwise the
# browser's Accept-Language decides.
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# The largest body any endpoint takes: a host's batch of 1,000 work events with long fields can
# be several MB, and it must get per-event answers rather than a refusal of the whole batch.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CREWBASE_LOG_LEVEL", "WARNING")},
}
