"""SFI-4: where a SAML session at the identity provider lives in the portal.

A logout started at another Suomi.fi service reaches /saml/slo/ inside a hidden cross-site
iframe, without our session cookie. The LogoutRequest names only the NameID and SessionIndex of
the identification, so the portal remembers, for each identification, which of its sessions it
belongs to. Only digests of the NameID and SessionIndex are kept, and a row is made only for a
fully validated assertion.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SamlSession(models.Model):
    issuer = models.CharField(_("identity provider"), max_length=1024)
    name_id_digest = models.CharField(max_length=64, db_index=True)
    session_index_digest = models.CharField(max_length=64, blank=True)
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("SAML session")
        verbose_name_plural = _("SAML sessions")

    def __str__(self) -> str:
        return f"SAML session {self.pk} of {self.issuer}"
