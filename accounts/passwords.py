"""Password policies of the seeds: P6 (ACC-2) and P8 (ACC-5).

Each failed rule is reported on its own, so the person learns everything that is missing at once.
Django's common-password and similarity validators (AUTH_PASSWORD_VALIDATORS) apply on top (X-9):
call `validate_password_policy`, which runs both.
"""

import string
from typing import TYPE_CHECKING

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from accounts.models import User

SPECIAL_CHARACTERS = string.punctuation  # !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~


def _has_upper(password: str) -> bool:
    return any(character.isupper() for character in password)


def _has_lower(password: str) -> bool:
    return any(character.islower() for character in password)


def _has_digit(password: str) -> bool:
    return any(character in string.digits for character in password)


def _has_special(password: str) -> bool:
    return any(character in SPECIAL_CHARACTERS for character in password)


class _PolicyValidator:
    min_length: int
    needs_lower: bool
    needs_digit: bool

    def validate(self, password: str, user: "User | None" = None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    ngettext(
                        "The password must be at least %(min_length)d character long.",
                        "The password must be at least %(min_length)d characters long.",
                        self.min_length,
                    ),
                    code="password_too_short",
                    params={"min_length": self.min_length},
                )
            )
        if not _has_upper(password):
            errors.append(ValidationError(_("The password must contain a capital letter."), code="password_no_upper"))
        if self.needs_lower and not _has_lower(password):
            errors.append(ValidationError(_("The password must contain a lower-case letter."), code="password_no_lower"))
        if self.needs_digit and not _has_digit(password):
            errors.append(ValidationError(_("The password must contain a digit."), code="password_no_digit"))
        if not _has_special(password):
            errors.append(
                ValidationError(
                    _("The password must contain a special character, one of %(characters)s"),
                    code="password_no_special",
                    params={"characters": SPECIAL_CHARACTERS},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        raise NotImplementedError


class P6Validator(_PolicyValidator):
    """ACC-2: at least 6 characters, a capital, a lower-case letter, a digit and a special character."""

    min_length = 6
    needs_lower = True
    needs_digit = True

    def get_help_text(self) -> str:
        return _(
            "At least 6 characters, with at least one capital letter, one lower-case letter, one digit and one special character."
        )


class P8Validator(_PolicyValidator):
    """ACC-5: at least 8 characters with a capital letter and a special character."""

    min_length = 8
    needs_lower = False
    needs_digit = False

    def get_help_text(self) -> str:
        return _("At least 8 characters, with at least one capital letter and one special character.")


POLICIES = {"P6": P6Validator, "P8": P8Validator}


def validate_password_policy(password: str, *, policy: str = "P6", user: "User | None" = None) -> None:
    """Raise ValidationError listing every failed rule of `policy` and of Django's validators."""
    errors: list[ValidationError] = []
    try:
        POLICIES[policy]().validate(password, user)
    except ValidationError as error:
        errors.extend(error.error_list)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def password_policy_help(policy: str = "P6") -> str:
    return POLICIES[policy]().get_help_text()
