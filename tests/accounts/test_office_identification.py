"""Registration after office identification (ACC-4, ACC-5), recorded by staff in the admin (STF-2)."""

import datetime

from django.core import mail
from django.utils import timezone

from accounts.models import OfficeIdentification, Registration, User
from accounts.services import office_identification_record
from tests.factories.accounts import OfficeIdentificationFactory, StaffUserFactory, UserFactory
from tests.factories.tenancy import RegionOfficeFactory

from .conftest import last_activation_path

P8_PASSWORD = "SAUNATONTTU!"


def _register_at_office(client, email, password=P8_PASSWORD, capture=None):
    identified = client.post("/accounts/register/office/", {"email": email})
    if identified.status_code != 302:
        return identified
    assert identified["Location"] == "/accounts/register/office/password/"
    return client.post("/accounts/register/office/password/", {"password1": password, "password2": password})


def test_office_path_creates_inactive_account_with_p8_and_activation_confirms_it_ACC_4(
    english, household, django_capture_on_commit_callbacks
):
    identification = OfficeIdentificationFactory.create(person=household.main_tenant, email="maija@example.com")
    assert "Office identification" in english.get("/accounts/register/office/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = _register_at_office(english, "Maija@Example.com")

    assert response["Location"] == "/accounts/register/sent/"
    user = User.objects.get(email="maija@example.com")
    assert (user.is_active, user.person) == (False, household.main_tenant)
    assert user.registration.method == Registration.Method.OFFICE
    assert len(mail.outbox) == 1
    english.get(last_activation_path())
    confirmed = english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": P8_PASSWORD})
    assert confirmed["Location"] == "/dashboard/"
    identification.refresh_from_db()
    assert identification.used_at is not None
    assert identification.account == user


def test_office_identification_is_usable_once_ACC_4(english, household, django_capture_on_commit_callbacks):
    OfficeIdentificationFactory.create(person=household.main_tenant, email="maija@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        _register_at_office(english, "maija@example.com")
    english.get(last_activation_path())
    english.post("/accounts/activate/confirm/", {"email": "maija@example.com", "password": P8_PASSWORD})
    english.post("/accounts/logout/")

    second = english.post("/accounts/register/office/", {"email": "maija@example.com"})

    assert second.status_code == 400
    assert "We found no valid office identification with this e-mail address" in second.content.decode()


def test_expired_office_identification_is_refused_ACC_4(english, household):
    OfficeIdentificationFactory.create(person=household.main_tenant, email="maija@example.com", expired=True)

    response = english.post("/accounts/register/office/", {"email": "maija@example.com"})

    assert response.status_code == 400
    assert "within 30 days" in response.content.decode()
    assert not User.objects.filter(person=household.main_tenant).exists()


def test_office_identification_expiry_is_configurable_ACC_4(household, settings):
    settings.HEKA_OFFICE_IDENTIFICATION_DAYS = 7
    identified_at = timezone.now() - datetime.timedelta(days=8)
    identification = office_identification_record(
        person=household.main_tenant,
        document_type=OfficeIdentification.DocumentType.IDENTITY_CARD,
        office=household.building.region,
        clerk=StaffUserFactory.create(),
        email="maija@example.com",
        identified_at=identified_at,
    )
    assert identification.expires_at == identified_at + datetime.timedelta(days=7)
    assert not identification.is_usable()


def test_default_expiry_is_30_days_ACC_4(household):
    identification = OfficeIdentificationFactory.create(person=household.main_tenant)
    assert identification.expires_at - identification.identified_at == datetime.timedelta(days=30)


def test_password_step_needs_the_identify_step_ACC_4(english, db):
    response = english.get("/accounts/register/office/password/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/office/"


def test_identification_expiring_between_the_steps_is_refused_ACC_4(english, household):
    identification = OfficeIdentificationFactory.create(person=household.main_tenant, email="maija@example.com")
    english.post("/accounts/register/office/", {"email": "maija@example.com"})
    OfficeIdentification.objects.filter(pk=identification.pk).update(expires_at=timezone.now())

    response = english.post("/accounts/register/office/password/", {"password1": P8_PASSWORD, "password2": P8_PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(email="maija@example.com").exists()


def test_former_tenant_with_office_identification_is_refused_ACC_10(english, household):
    OfficeIdentificationFactory.create(person=household.former_tenant, email="ville@example.com")

    response = english.post("/accounts/register/office/", {"email": "ville@example.com"})

    assert response.status_code == 403
    assert "no longer a Heka resident" in response.content.decode()
    assert not User.objects.filter(email="ville@example.com").exists()


def test_office_registration_for_a_person_with_an_account_says_so_ACC_11(english, household):
    UserFactory(email="maija@example.com", person=household.main_tenant)
    OfficeIdentificationFactory.create(person=household.main_tenant, email="maija@example.com")

    body = english.post("/accounts/register/office/", {"email": "maija@example.com"}).content.decode()

    assert "You already have an account" in body
    assert "m***a@example.com" in body
    assert "Register with a new e-mail address" not in body


def test_office_registration_with_a_new_address_may_replace_the_account_ACC_14(english, household):
    UserFactory(email="maija@example.com", person=household.main_tenant)
    OfficeIdentificationFactory.create(person=household.main_tenant, email="maija.new@example.com")

    body = english.post("/accounts/register/office/", {"email": "maija.new@example.com"}).content.decode()

    assert "You already have an account" in body
    assert 'href="/accounts/register/office/password/"' in body
    page = english.get("/accounts/register/office/password/").content.decode()
    assert "your current account m***a@example.com stops working" in page


def test_office_look_ups_are_rate_limited_ACC_12(english, db):
    answers = [english.post("/accounts/register/office/", {"email": f"x{n}@example.com"}) for n in range(11)]
    assert answers[-2].status_code == 400
    assert answers[-1].status_code == 429
    assert "Too many attempts" in answers[-1].content.decode()


def test_staff_record_office_identification_in_admin_clerk_and_expiry_set_ACC_4_STF_2(client, household):
    clerk = StaffUserFactory.create(email="clerk@heka.example")
    client.force_login(clerk)
    office = RegionOfficeFactory.create(name="Itä")
    assert client.get("/admin/accounts/officeidentification/add/").status_code == 200

    response = client.post(
        "/admin/accounts/officeidentification/add/",
        {
            "person": household.main_tenant.pk,
            "document_type": "driving_licence",
            "office": office.pk,
            "email": "Maija@Example.com",
            "identified_at_0": timezone.localdate().isoformat(),
            "identified_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    identification = OfficeIdentification.objects.get()
    assert identification.clerk == clerk
    assert identification.email == "maija@example.com"
    assert identification.expires_at - identification.identified_at == datetime.timedelta(days=30)
    assert identification.used_at is None
    listing = client.get("/admin/accounts/officeidentification/").content.decode()
    assert household.main_tenant.last_name in listing
