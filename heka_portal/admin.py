from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_lists import LargeListAdmin
from .models import OutboxEmail

# STF-8: the admin is complete in Finnish and Swedish. Two admins of other apps show English:
# the staff groups' names (keys in English) and allauth's authenticators (fields without labels).
admin.site.unregister(Group)
admin.site.unregister(Authenticator)

# allauth leaves its model's names to Django, which makes them from the class name, untranslated.
# Only the admin reads them; they are not part of the model's migrations (not in original_attrs).
Authenticator._meta.verbose_name = _("authenticator")
Authenticator._meta.verbose_name_plural = _("authenticators")


def _translated_group_name(group: Group) -> str:
    return gettext(group.name)


# Wherever the admin names a group (filters, selectors, titles), it is in the reader's language.
# (Through setattr: the type checker, rightly, refuses a method replaced on a class.)
setattr(Group, "__str__", _translated_group_name)  # noqa: B010


@admin.register(Group)
class TranslatedGroupAdmin(GroupAdmin):
    list_display = ["translated_name"]

    @admin.display(description=_("name"), ordering="name")
    def translated_name(self, group: Group) -> str:
        return gettext(group.name)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """A staff member's second factor (X-9). A superuser may remove a lost one, so that its owner
    sets up a new one at the next login; nobody adds or edits one here, nor sees its secret."""

    list_display = ["owner", "kind", "created", "last_used"]
    list_select_related = ["user"]
    fields = ("user", "kind", "created", "last_used")
    readonly_fields = fields
    search_fields = ["user__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("user"), ordering="user__email")
    def owner(self, authenticator: Authenticator) -> object:
        return authenticator.user

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, authenticator: Authenticator) -> str:
        return authenticator.get_type_display()

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, authenticator: Authenticator) -> object:
        return authenticator.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, authenticator: Authenticator) -> object:
        return authenticator.last_used_at


# What each e-mail template is, in the staff member's language (STF-8).
TEMPLATE_LABELS = {
    "accounts_activation": _("Account activation"),
    "accounts_password_reset": _("Password reset"),
    "accounts_password_reset_unknown": _("Password reset asked for an unknown address"),
    "applications_co_applicant_link": _("Co-applicant's confirmation link"),
    "applications_submitted": _("Housing application received"),
    "applications_username": _("User name for the application service"),
    "bookings_termination_notice": _("Booking terminated, to customer service"),
    "tenancy_termination_notice": _("Notice of termination, to customer service"),
    "notification": _("Notification to a resident"),
}


class OutboxTemplateFilter(admin.SimpleListFilter):
    """The e-mail templates the portal has, read from its files: listing the templates found in the
    outbox would read the whole table."""

    title = _("template")
    parameter_name = "template"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        folder = settings.BASE_DIR / "templates" / "emails"
        names = sorted(path.name.removesuffix("_subject.txt") for path in folder.glob("*_subject.txt"))
        return [(name, str(TEMPLATE_LABELS.get(name, name))) for name in names]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(template=self.value()) if self.value() else queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(LargeListAdmin):
    """Read-only: staff see what went out and what is waiting, never a token or link."""

    list_display = ["created_at", "template_label", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", OutboxTemplateFilter, "created_at"]
    ordering = ["-created_at", "-pk"]
    prefix_search_fields = ["to"]
    search_help_text = _("The beginning of the recipient's e-mail address.")
    fields = ("created_at", "template", "to", "language", "status", "attempts", "last_error", "queued_at", "sent_at")
    readonly_fields = fields

    @admin.display(description=_("template"), ordering="template")
    def template_label(self, email: OutboxEmail) -> str:
        return str(TEMPLATE_LABELS.get(email.template, email.template))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
