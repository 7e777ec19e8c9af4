"""Reads of the resident's own tenancy data. Every function takes the person's `Access` and returns
only what it allows; a lookup of anything else raises Http404."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
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
    Payment,
    Person,
    RentalAgreement,
    TerminationNotice,
)
from .virtual_barcode import virtual_barcode

# PAY-3: My economy shows the open invoices and those due in about the last 12 months; older
# ones a year at a time.
RECENT_INVOICE_DAYS = 365
# PAY-2: at most this many open invoices with their bar codes, oldest first; all are in the table.
PAYABLE_INVOICES = 12
# PAY-1: at most this many overdue invoices on the dashboard; My economy has them all.
DASHBOARD_OVERDUE = 5


@dataclass
class InvoiceLine:
    invoice: Invoice
    paid: Decimal
    today: date
    payee_iban: str = ""

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

    @cached_property
    def virtual_barcode(self) -> str | None:
        """PAY-2: the bar code of what is left to pay, for an open invoice with a valid reference."""
        if self.is_paid or not self.payee_iban:
            return None
        return virtual_barcode(
            iban=self.payee_iban,
            reference=self.invoice.reference_number,
            amount=self.remaining,
            due_on=self.invoice.due_on,
        )


@dataclass
class Economy:
    """What "My economy" shows of one agreement (TEN-3, TEN-4, PAY-2, PAY-3)."""

    tenancy: MainTenancy
    day: date
    year: int | None = None
    parties: list[Person] = field(default_factory=list)
    occupants: list[Occupancy] = field(default_factory=list)
    invoices: list[InvoiceLine] = field(default_factory=list)
    balance: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    termination: TerminationNotice | None = None

    @property
    def agreement(self) -> RentalAgreement:
        return self.tenancy.agreement

    @property
    def open_invoices(self) -> list[InvoiceLine]:
        return [line for line in self.invoices if not line.is_paid]

    @property
    def payable_invoices(self) -> list[InvoiceLine]:
        """The open invoices shown with their payment details and bar codes, the oldest first."""
        return list(reversed(self.open_invoices))[:PAYABLE_INVOICES]

    @property
    def older_years(self) -> list[int]:
        """The years before the last 12 months that this agreement may have invoices in, newest first."""
        cutoff = recent_invoices_from(self.day)
        first = self.agreement.starts_on.year
        if self.agreement.starts_on >= cutoff:
            return []
        return list(range(self.day.year, first - 1, -1))


def recent_invoices_from(day: date) -> date:
    return day - timedelta(days=RECENT_INVOICE_DAYS)


def _paid_total() -> Coalesce:
    paid = Payment.objects.filter(invoice=OuterRef("pk")).values("invoice").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(paid, output_field=DecimalField()), Value(Decimal(0)), output_field=DecimalField())


def invoices_with_paid() -> QuerySet[Invoice]:
    """Invoices each with `paid_total`, what has been paid of it (read it with `paid_of`)."""
    return Invoice.objects.annotate(paid_total=_paid_total())


def paid_of(invoice: Invoice) -> Decimal:
    """What has been paid of an invoice from `invoices_with_paid`."""
    paid: Decimal = invoice.paid_total  # type: ignore[attr-defined]
    return paid


def economy_years_for(access: Access) -> list[int]:
    """Every year My economy offers to show for the person's agreements (PAY-3), newest first."""
    day = access.on
    cutoff = recent_invoices_from(day)
    starts = [tenancy.agreement.starts_on for tenancy in access.main_tenancies() if tenancy.agreement.starts_on < cutoff]
    return list(range(day.year, min(starts).year - 1, -1)) if starts else []


def economy_for(access: Access, *, payee_iban: str = "", year: int | None = None) -> list[Economy]:
    """Agreements with parties, occupants, the invoices to show, the balance and open notices:
    five queries in all, however long the history (PAY-3).

    The invoices shown are the open ones and those due in the last 12 months, or with `year` those
    due in that year. The balance and what is overdue are summed by the database over all of them."""
    tenancies = access.main_tenancies()
    if not tenancies:
        return []
    economies = {tenancy.agreement.pk: Economy(tenancy, access.on, year) for tenancy in tenancies}
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

    invoices = invoices_with_paid().filter(agreement_id__in=economies)
    totals = (
        invoices.order_by()
        .values("agreement_id")
        .annotate(
            balance=Sum(F("amount") - F("paid_total")),
            overdue=Sum(F("amount") - F("paid_total"), filter=Q(due_on__lt=day, amount__gt=F("paid_total"))),
        )
    )
    for row in totals:
        economies[row["agreement_id"]].balance = row["balance"] or Decimal(0)
        economies[row["agreement_id"]].overdue = row["overdue"] or Decimal(0)

    if year is None:
        shown = invoices.filter(Q(amount__gt=F("paid_total")) | Q(due_on__gte=recent_invoices_from(day)))
    else:
        shown = invoices.filter(due_on__year=year)
    for invoice in shown.order_by("-due_on", "-pk"):
        economies[invoice.agreement_id].invoices.append(InvoiceLine(invoice, paid_of(invoice), day, payee_iban))

    notices = TerminationNotice.objects.filter(agreement_id__in=economies, status__in=TerminationNotice.OPEN_STATUSES)
    for notice in notices:
        economies[notice.agreement_id].termination = notice
    return list(economies.values())


def overdue_invoices_for(access: Access, *, limit: int = DASHBOARD_OVERDUE) -> tuple[list[InvoiceLine], int]:
    """PAY-1: the overdue invoices of the agreements the person is a main tenant of, oldest first
    (at most `limit`), and how many there are in all: two queries."""
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    if not agreement_ids:
        return [], 0
    overdue = invoices_with_paid().filter(agreement_id__in=agreement_ids, due_on__lt=access.on, amount__gt=F("paid_total"))
    lines = [
        InvoiceLine(invoice, paid_of(invoice), access.on)
        for invoice in overdue.select_related("agreement__apartment__building").order_by("due_on", "pk")[:limit]
    ]
    count = len(lines) if len(lines) < limit else overdue.count()
    return lines, count


def invoice_get_for(access: Access, pk: object) -> Invoice | None:
    """An invoice of an agreement the person is a main tenant of, or None (also for a pk that is not
    a number): the payment-agreement form is prefilled only with the person's own (PAY-1)."""
    try:
        number = int(str(pk))
    except ValueError:
        return None
    if not 0 < number < 2**63:
        return None
    agreement_ids = [tenancy.agreement.pk for tenancy in access.main_tenancies()]
    return invoices_with_paid().filter(agreement_id__in=agreement_ids, pk=number).select_related("agreement").first()


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
