"""Settings for Huji, read from the environment with safe defaults.

``HUJI_ENV`` chooses the mode: ``development`` (the default, used by the demo),
``test`` or ``production``. Production refuses to start with DEBUG on, the default
secret key or no allowed hosts.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/huji
PROJECT_DIR = BASE_DIR.parent.parent
INSECURE_DEFAULT_SECRET_KEY = "huji-insecure-development-key-do-not-use-in-production"  # noqa: S105


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


HUJI_ENV = env("HUJI_ENV", "development")
if HUJI_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"HUJI_ENV must be development, test or production, not {HUJI_ENV!r}"
    )
PRODUCTION = HUJI_ENV == "production"

DATA_DIR = Path(env("HUJI_DATA_DIR", str(PROJECT_DIR / "var")))
DEBUG = env_bool("HUJI_DEBUG", HUJI_ENV == "development")
SECRET_KEY = env("HUJI_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list(
    "HUJI_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("HUJI_CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("HUJI_DEBUG is on")
    if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("HUJI_SECRET_KEY is unset, the default, or shorter than 50")
    if not ALLOWED_HOSTS:
        problems.append("HUJI_ALLOWED_HOSTS is empty")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production: " + "; ".join(problems) + "."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    # Huji's own apps, by domain.
    "huji.core",
    "huji.audit",
    "huji.organizations",
    "huji.accounts",
    "huji.workdays",
    "huji.notifications",
    "huji.catalog",
    "huji.materials",
    "huji.workflow",
    "huji.applications",
    "huji.appointments",
    "huji.residence",
    "huji.certificates",
    # Presentation.
    "huji.portal",
    "huji.backoffice",
    "huji.public",
    "huji.api",
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
    "huji.accounts.middleware.StaffSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huji.conf.urls"
WSGI_APPLICATION = "huji.conf.wsgi.application"

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
                "huji.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "sqlite:///" + str(DATA_DIR / "huji.sqlite3")),
        conn_max_age=int(env("HUJI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("HUJI_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "huji",
        }
    }

TASKS = {
    "default": {
        "BACKEND": env("HUJI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if HUJI_ENV == "test":
    # Argon2 is deliberately slow; tests that create many users need speed.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:sign_in"

# Staff sign-in: lock out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(env("HUJI_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("HUJI_AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/staff_locked_out.html"
AXES_VERBOSE = False

# Sessions: residents keep a browser session; staff have idle and absolute limits.
SESSION_COOKIE_AGE = int(env("HUJI_SESSION_COOKIE_AGE", str(60 * 60 * 24 * 7)))
HUJI_STAFF_IDLE_TIMEOUT = int(env("HUJI_STAFF_IDLE_TIMEOUT", str(30 * 60)))
HUJI_STAFF_ABSOLUTE_TIMEOUT = int(env("HUJI_STAFF_ABSOLUTE_TIMEOUT", str(10 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# One-time SMS codes.
HUJI_SMS_BACKEND = env("HUJI_SMS_BACKEND", "huji.notifications.sms.DatabaseSmsBackend")
HUJI_OTP_TTL_SECONDS = 300
HUJI_OTP_RESEND_SECONDS = 60
HUJI_OTP_MAX_ATTEMPTS = 5
HUJI_OTP_MAX_PER_HOUR = 10
HUJI_IDENTITY_PROVIDER = env(
    "HUJI_IDENTITY_PROVIDER", "huji.accounts.identity.InPersonAtFirstVisitProvider"
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("HUJI_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if env("HUJI_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("HUJI_S3_BUCKET"),
            "endpoint_url": env("HUJI_S3_ENDPOINT_URL") or None,
            "access_key": env("HUJI_S3_ACCESS_KEY") or None,
            "secret_key": env("HUJI_S3_SECRET_KEY") or None,
            "region_name": env("HUJI_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded documents are never served from a public URL: no MEDIA_URL.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("HUJI_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("HUJI_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("HUJI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100

HUJI_SITE_NAME = env("HUJI_SITE_NAME", "上海公安 · 户籍云窗口")
HUJI_DOMAIN_DIR = PROJECT_DIR / "data"
