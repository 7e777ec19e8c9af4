"""The application service's pages (APP-1..APP-6).

Applicants need not be residents, so these pages do not use the resident gate. Who may see what is
decided by `session.viewer_get` and the scoped selectors; every page sends no-store (X-8).

The confirmation path of seed 003: submit → "Go on to confirm the application" → accept the
confirmation page's cookies → "Continue to identification" → strong identification → terms of use
→ "Accept" → choose the application → "Confirm application". A co-applicant walks the same steps
from their e-mailed link, with the identity checked against them before the terms.
"""

from .application import detail, index, new, resend_link, submitted
from .common import CONSENT_COOKIE
from .confirmation import choose, co_applicant, co_applicant_identify, co_confirm, confirm, cookies, identify, terms
from .username import set_password, sign_in, sign_out, username, username_sent

__all__ = [
    "CONSENT_COOKIE",
    "choose",
    "co_applicant",
    "co_applicant_identify",
    "co_confirm",
    "confirm",
    "cookies",
    "detail",
    "identify",
    "index",
    "new",
    "resend_link",
    "set_password",
    "sign_in",
    "sign_out",
    "submitted",
    "terms",
    "username",
    "username_sent",
]
