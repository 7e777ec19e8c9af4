"""Settings for bench/outbox.py: the local settings on PostgreSQL with a real broker and a real SMTP
server, DEBUG off, logging as in production (JSON at INFO), and the bench's link builder."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")

from heka_portal.settings.local import *  # noqa: F403
from heka_portal.settings.local import INSTALLED_APPS

DEBUG = False
# bench/links.py: a link with a signed token per e-mail, made by the worker at sending.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
