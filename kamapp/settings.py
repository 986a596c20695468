"""Settings, read from the environment with embedded defaults for a fresh clone.

A fresh clone runs with no services: SQLite for data, and an SQLite-backed Celery broker
so `make run` can start a real worker beside the web server. DEBUG is off unless the
environment turns it on (`make run`, `.env.example` and the test settings do); production
sets DATABASE_URL, REDIS_URL and SECRET_KEY.

Importing this module only reads: nothing is created on disk (the Celery app makes the
embedded broker's directory when it is configured).
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# The default key only works with DEBUG on; production must provide its own.
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "auditlog",
    "axes",
    "csp",
    # django-ninja: its templates and static files serve the API docs (no CDN).
    "ninja",
    "kamapp",
    "accounts",
    "scoring",
    # Pages that bring accounts and scoring together (the dashboard): depends on both.
    "core",
    # The demo company (`manage.py seed_demo`), built through the apps' services.
    "demo",
    # Managing the chosen accounts (plans, contacts, NPS, whitespace): depends on accounts
    # and reads scoring's decisions through its selectors.
    "planning",
    # The REST API under /api/v1/: depends on accounts and scoring.
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Under DEBUG, static files gzipped as whitenoise serves them from the finders.
    *(["kamapp.middleware.StaticGzipMiddleware"] if DEBUG else []),
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in responses carry account data: never cached (kamapp.middleware).
    "kamapp.middleware.PrivateNoStoreMiddleware",
    # Records who made each change in the audit trail.
    "auditlog.middleware.AuditlogMiddleware",
    # An API token's name goes with the writes made with it (api.audit); none outlives its request.
    "api.middleware.ApiTokenScopeMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in user's chosen language (top-bar switcher) overrides the browser's.
    "accounts.middleware.UserLanguageMiddleware",
    # Every error under /api/v1/ in the API's JSON shape, in the language chosen above.
    "api.middleware.ApiErrorShapeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kamapp.urls"
WSGI_APPLICATION = "kamapp.wsgi.application"
ASGI_APPLICATION = "kamapp.asgi.application"

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
                "accounts.context_processors.user_role",
                # `csp_nonce` for django-htmx's {% htmx_script %}.
                "kamapp.context_processors.csp_nonce",
                "accounts.context_processors.company_currency",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the Celery worker write while the web server reads.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Embedded broker: kombu's SQLAlchemy transport on an SQLite file, so `make run` needs
    # no service and long jobs still leave the request cycle.
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
    CELERY_RESULT_BACKEND = f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
# A round's rating cells as the matrix reads them, keyed on a fingerprint of the rows
# (scoring.selectors.cells), so a copy is never stale: kept in each process, a few rounds.
CACHES["cells"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cells",
    "TIMEOUT": 15 * 60,
    "OPTIONS": {"MAX_ENTRIES": 16},
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing a job from a page gives up within seconds when the broker is down, so the user
# gets the 503 page at once (not a 500 after Celery's default retries): a short connection
# timeout, and two quick retries of the publish (0.2 s apart) for a broker that blinks.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
if REDIS_URL:
    # A Redis that accepts connections but does not answer times out too (above the
    # worker's 1 s BRPOP, which must not time out).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        "socket_timeout": CELERY_BROKER_CONNECTION_TIMEOUT + 1,
    }
    # The result backend is read for an import's progress: a down Redis answers quickly.
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
# A queued or running import or recompute with no sign of progress for this long is taken
# for dead (its worker was killed) and marked failed by a check every few minutes.
JOB_STALE_MINUTES = env.int("JOB_STALE_MINUTES", default=15)

# --- Auth -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses sign-in while a username and address are locked out; must come first.
    "kamapp.auth.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after 5 failed sign-ins for one username from one address, that pair is
# locked out for 15 minutes (locking a username alone would let anyone lock out a user).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A try while locked does not restart the cool-off: the lock ends on time whatever is tried.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind reverse proxies, set TRUSTED_PROXY_COUNT to how many there are (each appending to
# X-Forwarded-For): sign-in locks then key on the client address the proxies report
# (counted from the right, so a client cannot forge it) and one shared proxy address cannot
# lock every user. Without proxies (0) the lock keys on REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "kamapp.auth.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("id", _("Indonesian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The short date formats are the long ones: one date format per language (kamapp/formats).
FORMAT_MODULE_PATH = ["kamapp.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In production collectstatic writes hashed, precompressed (gzip and brotli) copies that
# whitenoise serves with `max-age` of ten years, immutable. Under DEBUG (`make run`)
# whitenoise serves the files from their finders as they are edited (runserver_nostatic
# keeps runserver's own handler out), kamapp.middleware.StaticGzipMiddleware compresses
# them, and the vendored files, whose names carry their version, are immutable too.
if DEBUG:
    WHITENOISE_IMMUTABLE_FILE_TEST = r"/vendor/[^/]+/[^/]+-\d+\.\d+\.\d+(\.min)?\.js$"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Sales-ledger import limits ---------------------------------------------------------
# Each is checked before the file is read: an upload past one is refused with a message
# instead of taking a web or worker process down. Whole numbers of at least 1.


def _limit(name: str, default: int) -> int:
    try:
        value = env.int(name, default=default)
    except ValueError:
        value = 0
    if value < 1:
        raise environ.ImproperlyConfigured(f"{name} must be a whole number of at least 1.")
    return value


LEDGER_MAX_UPLOAD_BYTES = _limit("LEDGER_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)
LEDGER_MAX_ROWS = _limit("LEDGER_MAX_ROWS", 2_000_000)  # the header and title rows count
LEDGER_MAX_COLUMNS = _limit("LEDGER_MAX_COLUMNS", 500)
LEDGER_MAX_CELLS = _limit("LEDGER_MAX_CELLS", 30_000_000)  # rows x columns
# An .xlsx is a zip: what its parts unpack to, and how many times its packed size the sheet
# and its shared strings unpack to (from a MiB): real sheets 5 to 20 times, zip bombs hundreds.
LEDGER_MAX_XLSX_UNCOMPRESSED_BYTES = _limit("LEDGER_MAX_XLSX_UNCOMPRESSED_BYTES", 1024**3)
LEDGER_MAX_XLSX_COMPRESSION_RATIO = _limit("LEDGER_MAX_XLSX_COMPRESSION_RATIO", 100)
# An import stores its lines this many to a transaction, so a rating saved meanwhile waits
# for one chunk, not the whole file (SQLite has one writer at a time); 0: the whole file in
# one transaction, PostgreSQL's default (its writers do not wait on one another's inserts).
LEDGER_IMPORT_CHUNK_LINES = env.int(
    "LEDGER_IMPORT_CHUNK_LINES",
    default=50_000 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 0,
)
if LEDGER_IMPORT_CHUNK_LINES < 0:
    raise environ.ImproperlyConfigured("LEDGER_IMPORT_CHUNK_LINES must be 0 or more.")

# --- NPS survey import and score ------------------------------------------------------
# Survey files are small and imported while the admin waits: one past these is refused.
NPS_MAX_UPLOAD_BYTES = _limit("NPS_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
NPS_MAX_ROWS = _limit("NPS_MAX_ROWS", 20_000)  # the header and title rows count
# An account's NPS in a quarter with fewer answers reads "too few answers", never a score.
NPS_MIN_RESPONDENTS = _limit("NPS_MIN_RESPONDENTS", 5)

# --- REST API ---------------------------------------------------------------------------
# Requests per personal token, sliding window (django-ninja's throttle syntax: "600/min",
# "10/s", "5000/h"); past it the API answers 429 with Retry-After. Counted in the default
# cache: set REDIS_URL so several web processes share the count.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
# Items per page of the list endpoints (`limit` may ask for fewer or up to the maximum).
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=100)
API_PAGE_SIZE_MAX = env.int("API_PAGE_SIZE_MAX", default=1000)
# Webhooks: seconds a receiver has to answer, attempts after the first (WEBHOOK_RETRY_DELAY
# seconds, doubled each time), and plain HTTP to this machine (development and tests only).
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_MAX_RETRIES = env.int("WEBHOOK_MAX_RETRIES", default=5)
WEBHOOK_RETRY_DELAY = env.int("WEBHOOK_RETRY_DELAY", default=30)
WEBHOOK_ALLOW_LOOPBACK_HTTP = env.bool("WEBHOOK_ALLOW_LOOPBACK_HTTP", default=DEBUG)

# --- E-mail (the nightly cadence digest) ---------------------------------------------
# Under DEBUG (`make run`) messages are printed to the console; in production they go out
# through the SMTP server the environment names. Tests use Django's in-memory outbox.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Where the file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend) writes.
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KAISM <kaism@localhost>")

# --- Security (production values follow from DEBUG=false) -------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): only our own files run; no inline script at all.
# Chart data travels as JSON (`json_script`), which the browser does not execute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # plotly.js writes <style> elements and style attributes as it draws (no nonce
        # support), so inline styles are allowed; scripts stay strict, and plotly needs no
        # 'unsafe-eval' for our charts (tests/e2e/test_security.py watches for violations).
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Audit trail ------------------------------------------------------------------------
# Old and new values are stored as JSON, so the history shows typed values, not reprs.
AUDITLOG_STORE_JSON_CHANGES = True
# A changed owner or segment is recorded by name, as it read then, not by a bare id.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# plotly's JavaScript: the partial "basic" bundle (scatter, bar and pie traces: every chart
# here is scatter or bar) and its Indonesian locale, vendored under static/vendor/plotly/
# with the version in their names (`make vendor-plotly` fetches them from npm). A new
# version is a new file name, so browsers may keep each file forever, hashed or not.
PLOTLY_JS_VERSION = "4.1.1"
PLOTLY_JS = f"vendor/plotly/plotly-basic-{PLOTLY_JS_VERSION}.min.js"
# plotly locale files by language code; other languages use plotly's built-in English.
PLOTLY_LOCALES = {"id": f"vendor/plotly/plotly-locale-id-{PLOTLY_JS_VERSION}.js"}

# django-axes logs every sign-in check at INFO; its warnings are what operators need.
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}
