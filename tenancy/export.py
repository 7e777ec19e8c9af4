"""Everything the portal holds about one person, for "Download my data" (X-10, GDPR access).

Each app contributes its part by defining `export_for_person(person) -> dict` in a module named
`export` (like this one); `person_data_export` finds those modules in the installed apps, the way
the admin finds `admin` modules, and puts each app's dict under its label. An app's part holds
only data about that person: never another person's messages, requests or identity details.
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from .models import (
    AgreementParty,
    BulletinRead,
    Guardianship,
    Invoice,
    Occupancy,
    OccupantChangeNotice,
    Person,
    PersonalDataAccess,
    TerminationNotice,
)

Exporter = Callable[[Person], dict[str, Any]]

EXPORT_MODULE = "export"
EXPORT_FUNCTION = "export_for_person"


def exporters() -> dict[str, Exporter]:
    """The exporter of each installed app that has one, by app label, in INSTALLED_APPS order."""
    found: dict[str, Exporter] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, EXPORT_MODULE):
            continue
        function = getattr(import_module(f"{config.name}.{EXPORT_MODULE}"), EXPORT_FUNCTION, None)
        if callable(function):
            found[config.label] = function
    return found


def person_data_export(*, person: Person) -> dict[str, Any]:
    return {
        "exported_at": timezone.now(),
        "service": "Heka Resident Portal",
        **{label: function(person) for label, function in exporters().items()},
    }


def export_for_person(person: Person) -> dict[str, Any]:
    """The tenancy register's data about `person`."""
    return {
        "person": _person(person),
        "accounts": _accounts(person),
        "agreements": _agreements(person),
        "occupancies": [
            {
                "apartment": occupancy.apartment.address,
                "moved_in_on": occupancy.starts_on,
                "last_day": occupancy.ends_on,
                "sublessee": occupancy.is_sublessee,
            }
            for occupancy in Occupancy.objects.filter(person=person).select_related("apartment__building").order_by("starts_on")
        ],
        "guardianships": [
            {
                "role": "guardian" if link.guardian_id == person.pk else "ward",
                "other_person": (link.ward if link.guardian_id == person.pk else link.guardian).full_name,
                "starts_on": link.starts_on,
                "ends_on": link.ends_on,
            }
            for link in Guardianship.objects.filter(Q(guardian=person) | Q(ward=person)).select_related("guardian", "ward")
        ],
        "occupant_change_notices": [
            {
                "agreement": notice.agreement.number,
                "change": notice.kind,
                "person_moving": notice.occupant_name,
                "birth_date": notice.occupant_birth_date,
                "moves_on": notice.moves_on,
                "details": notice.details,
                "status": notice.status,
                "sent_at": notice.created_at,
            }
            for notice in OccupantChangeNotice.objects.filter(submitted_by=person).select_related("agreement")
        ],
        "termination_notices": [
            {
                "agreement": notice.agreement.number,
                "notice_date": notice.notice_date,
                "ends_on": notice.ends_on,
                "new_address": notice.forwarding_address,
                "message": notice.message,
                "status": notice.status,
                "sent_at": notice.created_at,
            }
            for notice in TerminationNotice.objects.filter(submitted_by=person).select_related("agreement")
        ],
        "bulletins_read": [
            {"title": read.bulletin.title, "published_at": read.bulletin.published_at, "read_at": read.read_at}
            for read in BulletinRead.objects.filter(person=person).select_related("bulletin").order_by("read_at")
        ],
        # Which staff saw the identity code or bank account and when; staff names stay internal.
        "personal_data_views_by_staff": [
            {"what": access.what, "at": access.at} for access in PersonalDataAccess.objects.filter(person=person).order_by("at")
        ],
    }


def _person(person: Person) -> dict[str, Any]:
    return {
        "first_names": person.first_names,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "identity_code": person.hetu_masked(),
        "preferred_language": person.preferred_language,
        "email": person.email,
        "phone": person.phone,
        "street_address": person.street_address,
        "postal_code": person.postal_code,
        "city": person.city,
        "bank_account": person.iban,
    }


def _accounts(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "email": account.email,
            "language": account.language,
            "active": account.is_active,
            "joined": account.date_joined,
            "last_login": account.last_login,
        }
        for account in get_user_model().objects.filter(person=person).order_by("date_joined")
    ]


def _agreements(person: Person) -> list[dict[str, Any]]:
    links = AgreementParty.objects.filter(person=person).select_related("agreement__apartment__building")
    agreements = {link.agreement_id: link.agreement for link in links}
    invoices: dict[int, list[dict[str, Any]]] = {pk: [] for pk in agreements}
    for invoice in Invoice.objects.filter(agreement_id__in=agreements).prefetch_related("payments").order_by("due_on"):
        invoices[invoice.agreement_id].append(
            {
                "number": invoice.number,
                "kind": invoice.kind,
                "period": invoice.period,
                "due_on": invoice.due_on,
                "amount": invoice.amount,
                "reference_number": invoice.reference_number,
                "payments": [{"paid_on": payment.paid_on, "amount": payment.amount} for payment in invoice.payments.all()],
            }
        )
    return [
        {
            "number": agreement.number,
            "apartment": agreement.apartment.address,
            "signed_on": agreement.signed_on,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "monthly_rent": agreement.rent,
            "deposit": agreement.deposit,
            "invoices": invoices[agreement.pk],
        }
        for agreement in agreements.values()
    ]
