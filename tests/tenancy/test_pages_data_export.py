"""X-10: "Download my data" gives the person everything the portal holds about them, and nothing
about anyone else (GDPR access)."""

import json
from decimal import Decimal

import pytest

from accounts.models import User
from tenancy import hetu
from tenancy.export import exporters
from tests.factories.tenancy import InvoiceFactory
from tests.factories.tenancy_pages import BulletinFactory, OccupantChangeNoticeFactory, PaymentFactory, TerminationNoticeFactory
from tests.tenancy.pages import FUTURE, LOGIN, REFUSED, WHO, Sees, check, login, visit

JSON = Sees(headers={"Content-Type": "application/json", "Content-Disposition": "attachment"})
EXPECTED = dict.fromkeys(WHO, JSON) | {"future_tenant": FUTURE, "former_tenant": REFUSED, "anonymous": LOGIN}


@pytest.mark.parametrize("who", WHO)
def test_each_resident_downloads_their_own_data_X_10(client, household, who):
    response = visit(client, household, who, "/profile/data/")
    check(response, household, EXPECTED[who])
    if EXPECTED[who] is JSON:
        data = json.loads(response.content)
        person = getattr(household, who)
        assert data["tenancy"]["person"]["last_name"] == person.last_name
        assert data["tenancy"]["person"]["identity_code"] == person.hetu_masked()


@pytest.fixture
def history(household):
    """The main tenant and the co-tenant each have their own notices, reads and contact details."""
    h = household
    for person, phone in ((h.main_tenant, "040 111 1111"), (h.co_tenant, "050 999 9999")):
        person.phone, person.iban = phone, "FI2112345600000785" if person == h.main_tenant else "FI4950009420028730"
        person.save()
    invoice = InvoiceFactory(agreement=h.agreement, amount=Decimal("850.00"), reference_number="12344")
    PaymentFactory(invoice=invoice, amount=Decimal("850.00"))
    OccupantChangeNoticeFactory(agreement=h.agreement, submitted_by=h.main_tenant, occupant_name="Oma Ilmoitus")
    OccupantChangeNoticeFactory(
        agreement=h.agreement, submitted_by=h.co_tenant, occupant_name="Puolison Ilmoitus", details="Puolison salaisuus"
    )
    TerminationNoticeFactory(agreement=h.agreement, submitted_by=h.co_tenant, message="Puolison irtisanomisviesti")
    mine, theirs = BulletinFactory.create(title="Luettu itse"), BulletinFactory.create(title="Puolison lukema")
    mine.reads.create(person=h.main_tenant)
    theirs.reads.create(person=h.co_tenant)
    User.objects.create_user("matti@example.com", "x", person=h.co_tenant)
    return h


def test_download_holds_the_persons_data_and_none_of_the_co_tenants_X_10(client, history):
    h = history
    code = "010280-952L"
    h.main_tenant.set_hetu(code)
    h.main_tenant.save()
    user = login(client, h.main_tenant, email="maija@example.com")

    raw = client.get("/profile/data/").content.decode()
    data = json.loads(raw)["tenancy"]

    assert data["person"]["phone"] == "040 111 1111"
    assert data["person"]["bank_account"] == "FI2112345600000785"
    assert data["person"]["identity_code"] == "010280-****"
    assert [account["email"] for account in data["accounts"]] == [user.email]
    [agreement] = data["agreements"]
    assert agreement["number"] == h.agreement.number
    assert agreement["invoices"][0]["reference_number"] == "12344"
    assert agreement["invoices"][0]["payments"][0]["amount"] == "850.00"
    assert [notice["person_moving"] for notice in data["occupant_change_notices"]] == ["Oma Ilmoitus"]
    assert data["termination_notices"] == []
    assert [read["title"] for read in data["bulletins_read"]] == ["Luettu itse"]
    for foreign in ("050 999 9999", "FI4950009420028730", "matti@example.com", "Puolison", h.co_tenant.hetu_masked()):
        assert foreign not in raw
    for secret in (code, h.main_tenant.hetu_hash, h.main_tenant.hetu_encrypted, hetu.lookup_hash(code)):
        assert secret not in raw


def test_every_app_with_an_export_module_contributes_its_part_X_10():
    assert "tenancy" in exporters()
