"""Minyi settings: one module, driven by the environment, safe by default.

With no environment at all the project runs on embedded defaults (a
PostgreSQL under .data/, a folder broker, mail on the console) but DEBUG is
off; `make run` switches development mode on itself.
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production)."
        )
    SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # After allauth: an earlier app's catalogue wins for a shared message.
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "config.apps.SiteConfig",
    "civic",
    "accounts",
    "consultations",
    "surveys",
    "hearings",
    "moderation",
    "demands",
    "notifications",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.preferences",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: a real server when DATABASE_URL is set, else the embedded one.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": environ.Env.db_url_config(
            embedded.postgres_url(DATA_DIR / "pg", "minyi")
        )
    }
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
# Each test run gets its own database, so runs side by side never collide.
DATABASES["default"]["TEST"] = {
    "NAME": env.str(
        "TEST_DATABASE_NAME",
        default=f"test_{DATABASES['default']['NAME']}_{os.getpid()}",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://minyi"),
}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Room for the pages and comment pieces a busy process caches (the
    # default, 300 entries, would evict them again and again), bounded: a
    # page is about 30 KB.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: no language prefix in paths; cookie or browser.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Mail: console by default, any server through EMAIL_URL.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="民意 Minyi <noreply@minyi.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a real broker when CELERY_BROKER_URL is set, else a folder.
if env.str("CELERY_BROKER_URL", default=""):
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = embedded.filesystem_broker(
        DATA_DIR / "broker"
    )
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "mail-sweep": {"task": "notifications.tasks.email_sweep", "schedule": 60.0},
    "broadcast-sweep": {
        "task": "notifications.tasks.broadcast_sweep",
        "schedule": 120.0,
    },
    "consultations-closing": {
        "task": "consultations.tasks.closing_announce",
        "schedule": 300.0,
    },
    "hearings-reminders": {"task": "hearings.tasks.reminders_send", "schedule": 300.0},
    # Residents behind a demand are told of each public update; restart
    # any fan-out whose task was lost (demands.services.notices).
    "demands-update-notices": {
        "task": "demands.tasks.demand_update_notice_sweep",
        "schedule": 300.0,
    },
    # Demand analysis of the day's new inputs, 02:30 local (demands.pipeline).
    "demands-analysis-nightly": {
        "task": "demands.tasks.analysis_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    "moderation-queue-alerts": {
        "task": "moderation.tasks.queue_alerts_send",
        "schedule": 300.0,
    },
    "ratelimit-prune": {"task": "moderation.tasks.ratelimit_prune", "schedule": 600.0},
    # Nightly CSV/JSON dumps of all public data (api.exports), 03:10 local.
    "open-data-dump": {
        "task": "api.tasks.open_data_dump",
        "schedule": crontab(hour=3, minute=10),
    },
    # Residents' digests at 08:00 Beijing time: daily, and on Mondays.
    "notifications-digest-daily": {
        "task": "notifications.tasks.digest_send",
        "schedule": crontab(hour=8, minute=0),
        "args": ("daily",),
    },
    "notifications-digest-weekly": {
        "task": "notifications.tasks.digest_send",
        "schedule": crontab(hour=8, minute=5, day_of_week="mon"),
        "args": ("weekly",),
    },
    "accounts-data-exports-expire": {
        "task": "accounts.tasks.data_exports_expire",
        "schedule": 3600.0,
    },
}

# django-allauth: email is the login; verification is mandatory.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[民意 Minyi] "
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Minyi 民意"
# The sessions page (/accounts/sessions/) lists each browser signed in
# (recorded at login, so pages cost no extra query); "log out everywhere"
# ends the others.
USERSESSIONS_TRACK_ACTIVITY = False
# A changed email address replaces the old one only once it is verified.
ACCOUNT_CHANGE_EMAIL = True

# Hearing streams are embedded only from these hosts (over HTTPS); the CSP
# frames exactly these and nothing else.
HEARING_STREAM_HOSTS = [h.lower() for h in env.list("HEARING_STREAM_HOSTS", default=[])]

# Security: strict by default; production adds HTTPS-only settings.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [f"https://{host}" for host in HEARING_STREAM_HOSTS] or [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# Minyi's own settings.
HEALTHZ_BROKER_TIMEOUT = 2
# Paths that officials, moderators and administrators may only use with MFA.
MFA_REQUIRED_PATHS = ["/console/", "/moderation/", "/admin/"]

# Moderation's automatic rules: distinct residents' reports that hide a
# comment pending review, and the age under which an account's links are
# held for review.
MODERATION_AUTO_HIDE_REPORTS = env.int("MODERATION_AUTO_HIDE_REPORTS", default=3)
MODERATION_NEW_ACCOUNT_DAYS = env.int("MODERATION_NEW_ACCOUNT_DAYS", default=7)

# Rate limits (config/ratelimit.py): "action=N/S" per account and
# "action:ip=N/S" per network address, over the defaults there; the
# counters' store ("auto": the cache if shared, else PostgreSQL); trusted
# proxies appending to X-Forwarded-For in front of the web processes.
RATE_LIMITS = env.str("RATE_LIMITS", default="")
RATE_LIMIT_STORE = env.str("RATE_LIMIT_STORE", default="auto")
RATE_LIMIT_PROXY_COUNT = env.int("RATE_LIMIT_PROXY_COUNT", default=0)
# Moderators are alerted when their queue holds this many items, or when
# an item has waited this many minutes (at most once per that period).
MODERATION_QUEUE_ALERT_SIZE = env.int("MODERATION_QUEUE_ALERT_SIZE", default=50)
MODERATION_QUEUE_ALERT_MINUTES = env.int("MODERATION_QUEUE_ALERT_MINUTES", default=60)

# Public API (api/): read-only, anonymous, throttled per client address.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": None,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "NUM_PROXIES": env.int("RATE_LIMIT_PROXY_COUNT", default=0),
}
# Requests per client address for anonymous API, Open311 and feed readers.
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", default="600/min")
# Seconds a public API response is reused (and may be cached by proxies).
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=10)
SPECTACULAR_SETTINGS = {
    "TITLE": "Minyi 民意 public API",
    "DESCRIPTION": (
        "Read-only open data of the Minyi participation portal: consultations, "
        "public comments, surveys and published results, hearings and records, "
        "demands, the civic directory and accountability statistics."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "LICENSE": {"name": "Open data, free to reuse with attribution"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_common_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ConsultationStatusEnum": "consultations.models.Consultation.Status",
        "SurveyStatusEnum": "surveys.models.Survey.Status",
        "HearingStatusEnum": "hearings.models.Hearing.State",
        "DemandStatusEnum": "demands.models.Demand.Status",
        "CommentStatusEnum": "api.serializers.consultations.PUBLIC_COMMENT_STATUSES",
    },
}
# Cross-origin reads of the open data; nothing else is shared.
CORS_URLS_REGEX = r"^/(api|open311|feeds)/.*$|^/data/(?!keys/).*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]
# Where the nightly open-data dumps are written (and served from /data/).
OPEN_DATA_DIR = env.path("OPEN_DATA_DIR", default=str(DATA_DIR / "open-data"))
