"""X-4: hostile input to the resident's contact details, bank account, occupant change and
termination forms."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from heka_portal.models import OutboxEmail
from tenancy.dates import termination_end_date
from tenancy.models import OccupantChangeNotice, Person, TerminationNotice

from .strategies import (
    FUZZ,
    as_received,
    assert_rejected_clearly,
    changed,
    iso,
    plausible_text,
    post,
    post_raw,
    raw_bodies,
    row_counts,
    submissions,
)

PASSWORD = "Sal4sana!x"
CONTACT_FIELDS = ("phone", "street_address", "postal_code", "city")

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(household):
    Person.objects.filter(pk=household.main_tenant.pk).update(
        phone="040 123 4567", street_address="Testikatu 1 A 1", postal_code="00100", city="Helsinki", iban="FI2112345600000785"
    )
    return User.objects.create_user("maija.virtanen@example.com", PASSWORD, person=household.main_tenant, language="en")


def _contact(person: Person) -> dict:
    person.refresh_from_db()
    return {name: getattr(person, name) for name in (*CONTACT_FIELDS, "iban")}


@FUZZ
@given(
    data=submissions(
        {
            "phone": st.one_of(st.sampled_from(["040 123 4567", "+358 40 123 4567", "(09) 310 1234"]), st.text(max_size=40)),
            "street_address": plausible_text(200),
            "postal_code": st.from_regex(r"\A[0-9]{5}\Z"),
            "city": plausible_text(100),
        }
    )
)
def test_contact_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    client = fresh_client(resident)
    person = household.main_tenant
    stored, before = _contact(person), row_counts()

    response = post(client, "/profile/contact/", data)

    after = _contact(person)
    if response.status_code == 302:
        assert response["Location"] == "/profile/contact/"
        # Every field is saved, none half: a missing field is saved empty.
        for name in CONTACT_FIELDS:
            sent = data.get(name, "")
            assert after[name] == (sent.strip() if isinstance(sent, str) else after[name])
    else:
        assert_rejected_clearly(response)
        assert after == stored
        assert changed(before, row_counts()) == {}


VALID_IBANS = ["FI2112345600000785", "FI21 1234 5600 0007 85", "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432"]


@FUZZ
@given(
    data=submissions(
        {
            "bank-iban": st.one_of(st.sampled_from(VALID_IBANS), st.from_regex(r"\AFI[0-9]{16}\Z")),
            "bank-password": st.one_of(st.just(PASSWORD), st.text(max_size=30)),
        }
    )
)
def test_bank_account_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    client = fresh_client(resident)
    person = household.main_tenant
    stored, before, outbox = _contact(person), row_counts(), OutboxEmail.objects.count()

    response = post(client, "/profile/contact/bank-account/", data)

    after = _contact(person)
    if response.status_code == 302:
        assert as_received(data["bank-password"]) == PASSWORD
        assert after["iban"] == as_received(data["bank-iban"]).replace(" ", "").upper()
        announced = OutboxEmail.objects.count() - outbox
        assert announced == (1 if after["iban"] != stored["iban"] else 0), "a changed account number is always announced"
    else:
        assert_rejected_clearly(response)
        assert after == stored
        assert changed(before, row_counts()) == {}


@FUZZ
@given(
    data=submissions(
        {
            "kind": st.sampled_from(OccupantChangeNotice.Kind.values),
            "occupant_name": plausible_text(200),
            "occupant_birth_date": iso(),
            "moves_on": st.integers(-400, 400).map(lambda days: (timezone.localdate() + timedelta(days=days)).isoformat()),
            "details": st.text(max_size=300),
        }
    )
)
def test_occupant_change_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    client = fresh_client(resident)
    before, notices = row_counts(), OccupantChangeNotice.objects.count()

    response = post(client, f"/economy/agreements/{household.agreement.pk}/occupant-changes/new/", data)

    if response.status_code == 302:
        notice = OccupantChangeNotice.objects.latest("pk")
        assert OccupantChangeNotice.objects.count() == notices + 1
        assert response["Location"] == f"/economy/occupant-changes/{notice.pk}/"
        assert notice.agreement == household.agreement
        assert notice.kind == as_received(data["kind"])
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@FUZZ
@given(
    data=submissions(
        {
            "forwarding_address": plausible_text(300),
            "message": st.text(max_size=300),
            "expected_end": st.one_of(st.just("END"), iso()),
            "step": st.sampled_from(["confirm", "send", "edit"]),
        }
    )
)
def test_termination_form_never_errors_on_hostile_input_X_4(fresh_client, resident, household, data):
    TerminationNotice.objects.all().delete()  # one open notice per agreement: start each example without
    if as_received(data.get("expected_end")) == "END":
        data["expected_end"] = termination_end_date(timezone.localdate()).isoformat()
    client = fresh_client(resident)
    before = row_counts()

    response = post(client, f"/economy/agreements/{household.agreement.pk}/terminate/", data)

    if response.status_code == 302:
        notice = TerminationNotice.objects.get()
        assert response["Location"] == f"/economy/terminations/{notice.pk}/"
        assert as_received(data["step"]) == "send"
        assert notice.ends_on.isoformat() == as_received(data["expected_end"])
    else:
        # Not sent: the form with its errors, the form again (Edit), or the confirmation step.
        if as_received(data.get("step")) != "edit":
            assert_rejected_clearly(response, also=("Confirm the termination",))
        assert changed(before, row_counts()) == {}


@pytest.mark.parametrize(
    "path",
    [
        "/profile/contact/",
        "/profile/contact/bank-account/",
        "/economy/agreements/{agreement.pk}/occupant-changes/new/",
        "/economy/agreements/{agreement.pk}/terminate/",
    ],
)
@FUZZ
@given(raw=raw_bodies)
def test_tenancy_forms_never_error_on_malformed_bodies_X_4(fresh_client, resident, household, path, raw):
    client = fresh_client(resident)
    stored, before = _contact(household.main_tenant), row_counts()

    response = post_raw(client, path.format(agreement=household.agreement), *raw)

    assert changed(before, row_counts()) == {}
    if response.status_code != 302:
        assert _contact(household.main_tenant) == stored
    else:
        # Only the contact form, whose fields are all optional: what was not sent is saved empty.
        assert path == "/profile/contact/"
