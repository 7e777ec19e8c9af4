from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# No inline script or style anywhere: pages use only files from our own origin. form-action is
# left out on purpose: starting strong identification redirects a form POST to the identity
# provider, which browsers would otherwise block.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Content-Security-Policy and Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "HEKA_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view that sets its own policy (`allow_in_policy`) keeps it.
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def allow_in_policy(response: HttpResponseBase, directives: dict[str, tuple[str, ...]]) -> None:
    """The site's policy on `response` with the named directives replaced, for a view that must be
    framed by a named origin, or frame one (SFI-4: the identity provider's hidden logout iframe at
    /saml/slo/); every other page stays unframable."""
    policy = getattr(settings, "HEKA_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
    response.headers["Content-Security-Policy"] = with_directives(policy, directives)


def with_directives(policy: str, directives: dict[str, tuple[str, ...]]) -> str:
    """`policy` with the named directives replaced (or added) by the given sources."""
    kept = [part.strip() for part in policy.split(";") if part.strip() and part.split()[0] not in directives]
    return "; ".join([*kept, *(f"{name} {' '.join(sources)}" for name, sources in directives.items())])


# Five photos of at most 10 MB each (servicerequests.photos) and the form around them.
MAX_REQUEST_BYTES = 60 * 1024 * 1024


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than HEKA_MAX_REQUEST_BYTES before anything reads it.

    Django limits only the non-file part of a form (DATA_UPLOAD_MAX_MEMORY_SIZE); uploaded files
    are streamed to temporary files of any size, and the CSRF check reads the whole body even for
    an anonymous visitor. The answer is the 400 page, as for Django's own size limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = int(getattr(settings, "HEKA_MAX_REQUEST_BYTES", MAX_REQUEST_BYTES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            raise RequestDataTooBig(f"Request body of {length} bytes exceeds HEKA_MAX_REQUEST_BYTES ({self.limit}).")
        return self.get_response(request)


# Text that compresses; photos, PDFs and ZIP downloads are compressed already or not worth it.
COMPRESSED_TYPES = ("text/html", "text/plain", "text/csv", "application/json")


class PageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for pages and other text (PRF-3), with its BREACH mitigation.

    BREACH reads a secret out of the compressed length of pages that reflect what an attacker
    sends. Django answers it twice: since 4.2 the middleware pads every compressed response with
    a random-length (up to 100 bytes) file name in the gzip header ("Heal the BREACH"), and the
    CSRF token on a page is masked with a new random value on every request, so the secret is
    never the same string twice. Files are left alone (static files come precompressed from
    WhiteNoise).
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
