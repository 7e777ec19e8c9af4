"""Password-reset links (ACC-7), made by the worker at the moment the e-mail is sent (X-6).

The outbox row holds only the account id. allauth's token is derived from the account's password
hash, last login and e-mail address and carries the time it was made, so a token made at sending
is as valid as one made at the request: it expires after PASSWORD_RESET_TIMEOUT (24 hours) and
stops working once the password has been changed with it.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from heka_portal.http import site_url
from heka_portal.outbox import LinkUnavailable, register_link_builder

from .models import User

PASSWORD_RESET_LINK_BUILDER = "accounts_password_reset"  # noqa: S105 (a builder name)


if TYPE_CHECKING:
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    _Generator = PasswordResetTokenGenerator
else:
    # Whichever generator allauth is configured with (PASSWORD_RESET_TOKEN_GENERATOR).
    _Generator = type(default_token_generator)


class _TokenMadeAt(_Generator):
    """allauth's reset token as if made at `at`, so that an e-mail sent again repeats its link (OPS-6)."""

    def __init__(self, at: datetime) -> None:
        super().__init__()
        # Django's generator counts in naive local time (`datetime.now()`).
        self._made_at = datetime.fromtimestamp(at.timestamp())

    def _now(self) -> datetime:
        return self._made_at


@register_link_builder(PASSWORD_RESET_LINK_BUILDER)
def password_reset_link(args: dict, *, issued_at: datetime) -> str:
    user = User.objects.filter(pk=args["user_id"], is_active=True).first()
    if user is None:
        raise LinkUnavailable("The account is gone or no longer active.")
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": _TokenMadeAt(issued_at).make_token(user)},
    )
    return site_url(path)
