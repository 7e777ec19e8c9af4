"""Settings for measuring pages under gunicorn: the local settings on PostgreSQL, DEBUG off,
a Server-Timing header with the time Django spent, and a bare authenticated view as the ceiling."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")

from heka_portal.settings.local import *  # noqa: F403
from heka_portal.settings.local import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
