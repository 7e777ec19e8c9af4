"""A fixed-window limit on how often one client may try something (ACC-12's spirit for applicants)."""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest


def allow(request: HttpRequest, action: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `action` by this client address; False once `limit` is exceeded."""
    # Behind a proxy REMOTE_ADDR is the proxy's, shared by every client; allauth knows the real one.
    client = get_adapter(request).get_client_ip(request)
    digest = hashlib.sha256(f"{action}|{client}".encode()).hexdigest()[:32]
    key = f"heka:applications:throttle:{digest}"
    try:
        cache.add(key, 0, timeout=window_seconds)
        attempts = cache.incr(key)
    except Exception:  # the cache is down: do not lock everyone out
        return True
    return attempts <= limit
