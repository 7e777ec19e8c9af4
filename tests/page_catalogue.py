"""One example of every page family of the portal, rendered through the test client in a given
language: public pages, login and registration, each resident page (with forms showing their
errors), refusals, the applications pages and the error pages. The HTML validity and IBM Equal
Access rule tests read these pages (tests/test_html_validity.py)."""

from collections.abc import Iterator
from datetime import date, time, timedelta
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone

from accounts.models import User
from bookings.models import Reservation
from notifications.kinds import Kind
from notifications.models import Outage
from notifications.services import About, notify
from servicerequests.forms import SERVICE_FORMS
from tests.accounts.conftest import identify
from tests.factories.bookings import ParkingSpaceFactory, ReservationFactory, SaunaSlotFactory
from tests.factories.documents import DocumentFactory, add_rescue_plan
from tests.factories.servicerequests import DefectFactory, MessageFactory, ReplyFactory, ServiceRequestFactory, StatusEntryFactory
from tests.factories.tenancy import InvoiceFactory
from tests.factories.tenancy_pages import BulletinFactory, OccupantChangeNoticeFactory, PaymentFactory, TerminationNoticeFactory

PASSWORD = "Sal4sana!"


def page_data(household) -> SimpleNamespace:
    """Records for the pages to show, on top of the `household` fixture."""
    h = household
    h.building.information = "Saunavuorot varataan huoltoyhtiöltä."
    h.building.information_sv = "Bastuturer bokas hos fastighetsskötseln."
    h.building.save()
    add_rescue_plan(h.building)
    h.document = DocumentFactory(building=h.building, title="Ordningsregler", language="sv")
    paid = InvoiceFactory(agreement=h.agreement, due_on=h.agreement.starts_on + timedelta(days=400))
    PaymentFactory(invoice=paid, amount=paid.amount)
    h.overdue_invoice = InvoiceFactory(
        agreement=h.agreement, due_on=timezone.localdate() - timedelta(days=3), reference_number="22225"
    )
    h.bulletin = BulletinFactory(title="Vesikatko", body="Torstaina klo 9-12.", title_en="Water cut", body_en="On Thursday.")
    h.change = OccupantChangeNoticeFactory(agreement=h.agreement, submitted_by=h.main_tenant)
    h.termination = TerminationNoticeFactory(agreement=h.stranger_agreement, submitted_by=h.stranger)
    h.defect = DefectFactory(submitted_by=h.main_tenant, apartment=h.apartment)
    StatusEntryFactory(request=h.defect)
    ReplyFactory(request=h.defect, text="Huoltomies tulee tiistaina.")
    # NTF-7: marked done yesterday, so its page offers to confirm the repair or reopen it.
    h.done_defect = DefectFactory(
        submitted_by=h.main_tenant, apartment=h.apartment, status="done", done_at=timezone.now() - timedelta(days=1)
    )
    h.message = MessageFactory(submitted_by=h.main_tenant, apartment=h.apartment, subject="Avain")
    ReplyFactory(request=h.message)
    h.service_request = ServiceRequestFactory(submitted_by=h.main_tenant, apartment=h.apartment)
    h.space = ParkingSpaceFactory(building=h.building, number="P 7")
    h.slots = [SaunaSlotFactory(building=h.building, weekday=1, starts_at=time(hour)) for hour in (18, 19)]
    h.reservation = ReservationFactory(
        agreement=h.agreement,
        requested_by=h.main_tenant,
        status=Reservation.Status.ACTIVE,
        wanted_start=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        resource=h.space,
        resource__held_from=date(2025, 1, 1),
    )
    h.users = {
        who: User.objects.create_user(f"{who}@example.com", PASSWORD, person=getattr(h, who))
        for who in ("main_tenant", "family_member", "sublessee", "guardian", "future_tenant", "stranger", "former_tenant")
    }
    h.staff = User.objects.create_superuser("staff@heka.example", PASSWORD)
    now = timezone.now()
    h.outage = Outage.objects.create(
        utility="water",
        planned=True,
        starts_at=now,
        expected_end_at=now + timedelta(hours=3),
        version=1,
        description="Putkityöt.",
    )
    h.outage.buildings.add(h.building)
    notify(
        recipient=h.main_tenant,
        kind=Kind.TERMINATION_CONFIRMED,
        about=About.of(h.termination, reference="I-1", url_name="termination_detail", url_args=[h.termination.pk]),
        params={
            "item": "termination",
            "notice_date": "2026-11-02",
            "ends_on": "2026-12-31",
            "reservations": [{"kind": "parking", "reference": "B-1", "place": "P 7"}],
        },
        key="catalogue-termination",
    )
    notify(
        recipient=h.main_tenant,
        kind=Kind.REQUEST_REPLY,
        about=About(reference="M-1"),
        params={"item": "message"},
        key="catalogue-reply",
    )
    return h


def _client(language: str, user: User | None = None) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def rendered_pages(h: SimpleNamespace, language: str) -> Iterator[tuple[str, str, str]]:
    """(name, path, HTML) of every page family in `language`."""

    def page(client: Client, path: str, *, method: str = "get", data: dict | None = None, name: str = "") -> tuple:
        response = getattr(client, method)(path, data or {})
        assert "text/html" in response["Content-Type"], f"{method} {path}: {response['Content-Type']}"
        return (name or f"{method} {path}", path, response.content.decode())

    anonymous = _client(language)
    for path in (
        "/",
        "/help/",
        "/accessibility/",
        "/privacy/",
        # strong identification's refusals: a cancel at the identity provider, a foreign identity
        # without a Finnish identity code (SFI-2, SFI-4), a logout whose session was gone
        "/saml/refused/cancelled/",
        "/saml/refused/no_identity_code/",
        "/saml/refused/logout/",
        "/saml/refused/invalid/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-x/",
        "/accounts/register/",
        "/accounts/register/office/",
        "/accounts/register/sent/",
        "/accounts/activate/new/",
        "/accounts/activate/not-a-token/",
        "/applications/",
        "/applications/new/",
        "/applications/confirm/",
        "/applications/sign-in/",
        "/applications/username/",
        "/applications/username/sent/",
        "/applications/link/not-a-token/",
        "/no-such-page/",
    ):
        yield page(anonymous, path)
    yield page(anonymous, "/accounts/login/", method="post", data={"login": "x@example.com", "password": "wrong"})
    yield page(anonymous, "/accounts/register/office/", method="post", data={"email": "not an address"})
    yield page(anonymous, "/applications/sign-in/", method="post", data={"email": "", "password": ""})
    yield page(anonymous, "/applications/new/", method="post", data={"first_names": ""}, name="applications form with errors")
    refused = _client(language)
    yield page(refused, "/accounts/login/", method="post", data={"login": "former_tenant@example.com", "password": PASSWORD})

    registering = _client(language)
    identify(registering, h.co_tenant)
    yield page(registering, "/accounts/register/details/")
    yield page(registering, "/accounts/register/details/", method="post", data={"email": "x", "password1": "a"})
    identify(registering, h.former_tenant)
    yield page(registering, "/accounts/register/details/", name="registration refused")

    tenant = _client(language, h.users["main_tenant"])
    for path in (
        "/dashboard/",
        "/economy/",
        f"/economy/?year={h.agreement.starts_on.year}",
        "/documents/",
        f"/requests/messages/new/?invoice={h.overdue_invoice.pk}",
        f"/economy/agreements/{h.agreement.pk}/occupant-changes/new/",
        f"/economy/occupant-changes/{h.change.pk}/",
        f"/economy/agreements/{h.agreement.pk}/terminate/",
        "/profile/contact/",
        "/profile/my-data/",
        "/building/",
        "/bulletins/",
        f"/bulletins/{h.bulletin.pk}/",
        "/accounts/profile/",
        "/accounts/password/change/",
        "/requests/defects/",
        "/requests/defects/new/",
        f"/requests/defects/{h.defect.pk}/",
        f"/requests/defects/{h.done_defect.pk}/",
        "/requests/messages/",
        "/requests/messages/new/",
        f"/requests/messages/{h.message.pk}/",
        "/requests/service/",
        *(f"/requests/service/new/{kind}/" for kind in SERVICE_FORMS),
        f"/requests/service/{h.service_request.pk}/",
        "/bookings/",
        f"/bookings/agreements/{h.agreement.pk}/new/",
        f"/bookings/agreements/{h.agreement.pk}/new/parking/",
        f"/bookings/agreements/{h.agreement.pk}/new/sauna/",
        f"/bookings/{h.reservation.pk}/",
        f"/bookings/{h.reservation.pk}/terminate/",
        "/notifications/",
    ):
        yield page(tenant, path)
    for path, data in (
        (f"/economy/agreements/{h.agreement.pk}/occupant-changes/new/", {"kind": ""}),
        (f"/economy/agreements/{h.agreement.pk}/terminate/", {"step": "confirm", "expected_end": "2000-01-01"}),
        ("/profile/contact/", {"phone": "x" * 50}),
        ("/profile/contact/bank-account/", {"bank-iban": "FI00", "bank-password": "x"}),
        ("/requests/defects/new/", {"description": ""}),
        (f"/requests/defects/{h.done_defect.pk}/reopen/", {"reopen-reason": ""}),
        ("/requests/messages/new/", {"subject": ""}),
        (f"/bookings/agreements/{h.agreement.pk}/new/parking/", {"wanted_start": "x"}),
        (f"/bookings/{h.reservation.pk}/terminate/", {"step": "confirm"}),
        ("/notifications/preferences/", {"email_kinds": ["account_closed"]}),
    ):
        yield page(tenant, path, method="post", data=data, name=f"post {path} with errors")
    tenant.post("/bookings/calendar-link/")
    yield page(tenant, "/bookings/", name="bookings with a calendar link")
    ends_on = _termination_end(tenant, h)
    if ends_on:
        yield page(
            tenant,
            f"/economy/agreements/{h.agreement.pk}/terminate/",
            method="post",
            data={"step": "confirm", "expected_end": ends_on, "forwarding_address": "Uusitie 1, 00100 Helsinki"},
            name="termination confirmation",
        )

    for who, path in (
        ("family_member", "/economy/"),
        ("family_member", "/bookings/"),
        ("family_member", "/requests/service/"),
        ("sublessee", "/dashboard/"),
        ("guardian", "/economy/"),
        ("guardian", "/dashboard/"),
        ("future_tenant", "/dashboard/"),
        ("former_tenant", "/dashboard/"),
        ("stranger", f"/economy/terminations/{h.termination.pk}/"),
    ):
        yield page(_client(language, h.users[who]), path, name=f"{who} {path}")


def _termination_end(client: Client, h: SimpleNamespace) -> str:
    form = client.get(f"/economy/agreements/{h.agreement.pk}/terminate/").content.decode()
    marker = 'name="expected_end" value="'
    return form.split(marker, 1)[1].split('"', 1)[0] if marker in form else ""
