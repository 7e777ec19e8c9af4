"""The log of staff views of personal data (X-7, STF-3)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .register import Person


class PersonalDataAccess(models.Model):
    """A staff member saw a person's identity code or full bank account number (X-7, STF-3).

    Who, whose and when; never the value itself.
    """

    class What(models.TextChoices):
        IDENTITY_CODE = "identity_code", _("identity code")
        BANK_ACCOUNT = "bank_account", _("bank account")

    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="personal_data_accesses", verbose_name=_("staff user")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="personal_data_accesses", verbose_name=_("person"))
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]
        # The log is written by the portal only: staff may at most read it.
        default_permissions = ("view",)
        permissions = [("view_identity_code", _("Can view a person's full identity code"))]

    def __str__(self) -> str:
        return f"{self.staff_user} — {self.person} — {self.get_what_display()}"
