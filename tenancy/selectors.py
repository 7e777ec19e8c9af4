"""Reads of the resident's own tenancy data. Every function takes the person's `Access` and returns
only what it allows; a lookup of anything else raises Http404."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .access import Access, MainTenancy
from .models import (
    AgreementParty,
    Building,
    Bulletin,
    BulletinRead,
    Invoice,
    Occupancy,
    OccupantChangeNotice,
    Person,
    RentalAgreement,
    TerminationNotice,
)

# Paid invoices older than this drop off the economy page; unpaid ones always stay.
RECENT_INVOICE_DAYS = 400


@dataclass
class InvoiceLine:
    invoice: Invoice
    paid: Decimal
    today: date

    @property
    def remaining(self) -> Decimal:
        return self.invoice.amount - self.paid

    @property
    def is_paid(self) -> bool:
        return self.remaining <= 0

    @property
    def is_partly_paid(self) -> bool:
        return 0 < self.paid < self.invoice.amount

    @property
    def is_overdue(self) -> bool:
        return not self.is_paid and self.invoice.due_on < self.today


@dataclass
class Economy:
    """What "My economy" shows of one agreement (TEN-3, TEN-4)."""

    tenancy: MainTenancy
    day: date
    parties: list[Person] = field(default_factory=list)
    occupants: list[Occupancy] = field(default_factory=list)
    all_invoices: list[InvoiceLine] = field(default_factory=list)
    termination: TerminationNotice | None = None

    @property
    def agreement(self) -> RentalAgreement:
        return self.tenancy.agreement

    @cached_property
    def invoices(self) -> list[InvoiceLine]:
        """Unpaid invoices and those of about the last year; older paid ones only add length."""
        cutoff = self.day - timedelta(days=RECENT_INVOICE_DAYS)
        return [line for line in self.all_invoices if not line.is_paid or line.invoice.due_on >= cutoff]

    @property
    def older_invoices_hidden(self) -> int:
        return len(self.all_invoices) - len(self.invoices)

    @property
    def balance(self) -> Decimal:
        """What is still to pay; negative when more was paid than invoiced."""
        return sum((line.remaining for line in self.all_invoices), Decimal(0))

    @property
    def overdue(self) -> Decimal:
        return sum((line.remaining for line in self.all_invoices if line.is_overdue), Decimal(0))


def economy_for(access: Access) -> list[Economy]:
    """Agreements with parties, occupants, invoices and open notices: four queries in all."""
    tenancies = access.main_tenancies()
    if not tenancies:
        return []
    economies = {tenancy.agreement.pk: Economy(tenancy, access.on) for tenancy in tenancies}
    by_apartment: dict[int, list[Economy]] = {}
    for economy in economies.values():
        by_apartment.setdefault(economy.agreement.apartment_id, []).append(economy)

    parties = AgreementParty.objects.filter(agreement_id__in=economies).select_related("person").order_by("pk")
    for link in parties:
        economies[link.agreement_id].parties.append(link.person)

    day = access.on
    occupants = (
        Occupancy.objects.filter(apartment_id__in=by_apartment, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person")
        .order_by("starts_on", "pk")
    )
    for occupancy in occupants:
        for economy in by_apartment[occupancy.apartment_id]:
            economy.occupants.append(occupancy)

    invoices = (
        Invoice.objects.filter(agreement_id__in=economies)
        .annotate(paid_total=Coalesce(Sum("payments__amount"), Value(Decimal(0))))
        .order_by("-due_on", "-pk")
    )
    for invoice in invoices:
        economies[invoice.agreement_id].all_invoices.append(InvoiceLine(invoice, invoice.paid_total, day))

    notices = TerminationNotice.objects.filter(agreement_id__in=economies, status__in=TerminationNotice.OPEN_STATUSES)
    for notice in notices:
        economies[notice.agreement_id].termination = notice
    return list(economies.values())


def termination_open_for(*, agreement: RentalAgreement) -> TerminationNotice | None:
    return TerminationNotice.objects.filter(agreement=agreement, status__in=TerminationNotice.OPEN_STATUSES).first()


def termination_notices_for(access: Access) -> QuerySet[TerminationNotice]:
    """Notices of the agreements the person is a main tenant of (theirs or a co-tenant's)."""
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    return (
        TerminationNotice.objects.filter(agreement_id__in=agreement_ids)
        .select_related("agreement__apartment__building", "submitted_by")
        .order_by("-created_at")
    )


def termination_notice_get_for(access: Access, pk: int) -> TerminationNotice:
    return get_object_or_404(termination_notices_for(access), pk=pk)


def occupant_change_notices_for(access: Access) -> QuerySet[OccupantChangeNotice]:
    """The notices this person sent, while they are still a main tenant of that agreement (TEN-5)."""
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    return (
        OccupantChangeNotice.objects.filter(submitted_by=access.person, agreement_id__in=agreement_ids)
        .select_related("agreement__apartment__building", "on_behalf_of")
        .order_by("-created_at")
    )


def occupant_change_notice_get_for(access: Access, pk: int) -> OccupantChangeNotice:
    return get_object_or_404(occupant_change_notices_for(access), pk=pk)


def buildings_for(access: Access) -> QuerySet[Building]:
    """The person's own buildings, a ward's included (TEN-8)."""
    return Building.objects.filter(pk__in=access.building_ids()).select_related("region").order_by("name", "pk")


def building_get_for(access: Access, pk: int) -> Building:
    return get_object_or_404(buildings_for(access), pk=pk)


def bulletins_for(access: Access, *, now: datetime | None = None, unread_only: bool = False) -> QuerySet[Bulletin]:
    """Bulletins in force that target everyone, one of the person's regions or buildings (TEN-9),
    each with `is_read` for this person; only those not read yet with `unread_only`."""
    moment = now or timezone.now()
    read = Exists(BulletinRead.objects.filter(bulletin=OuterRef("pk"), person=access.person))
    building_ids = access.building_ids()
    region_ids = {grant.building.region_id for grant in access.resident_grants()}
    targeted = Bulletin.objects.filter(
        Q(audience=Bulletin.Audience.EVERYONE)
        | Q(audience=Bulletin.Audience.REGIONS, regions__in=region_ids)
        | Q(audience=Bulletin.Audience.BUILDINGS, buildings__in=building_ids)
    ).values("pk")
    in_force = Bulletin.objects.filter(pk__in=targeted, published_at__lte=moment).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=moment)
    )
    if unread_only:
        in_force = in_force.filter(~read)
    return in_force.annotate(is_read=read).order_by("-published_at", "-pk")


def bulletin_get_for(access: Access, pk: int) -> Bulletin:
    return get_object_or_404(bulletins_for(access), pk=pk)
