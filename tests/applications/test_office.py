"""Office identification in the admin counts as confirmation (APP-5)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from applications import services
from applications.models import Applicant, OfficeIdentification
from tenancy import hetu

from .flow import ANNA, confirm_as_main, kalle_with_email

KALLE_CODE = "010469-999W"


@pytest.fixture
def clerk(db):
    call_command("setup_groups", verbosity=0)
    user = User.objects.create_user("clerk@heka.example", "Clerk-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Office clerk"))
    return user


def _add(client, applicant, code=KALLE_CODE, **extra):
    data = {
        "applicant": applicant.pk,
        "document_type": "passport",
        "identity_code": code,
        "office_name": "Työpajankatu 8, Helsinki",
        "identified_at_0": timezone.localdate().isoformat(),
        "identified_at_1": "10:15:00",
        "email": "",
        **extra,
    }
    return client.post("/admin/accounts/officeidentification/add/", data)


def test_office_identification_counts_as_confirmation_APP_5(client, submit, clerk):
    """APP-5: the clerk records document type and time; the clerk is whoever is signed in; the
    co-applicant is then identified and confirmed, and with everyone confirmed the application is valid."""
    application = submit(co_applicants=[kalle_with_email("")])
    confirm_as_main(client, ANNA)
    kalle = application.applicants.get(first_names="Kalle")
    client.force_login(clerk)

    add_page = client.get(f"/admin/accounts/officeidentification/add/?applicant={kalle.pk}")
    assert add_page.status_code == 200
    response = _add(client, kalle)

    assert response.status_code == 302, response.content.decode()[:3000]
    record = OfficeIdentification.objects.get()
    assert (record.clerk, record.document_type) == (clerk, "passport")
    kalle.refresh_from_db()
    assert kalle.identification_method == Applicant.Method.OFFICE
    assert kalle.confirmed_at == kalle.identified_at == record.identified_at
    assert kalle.person.hetu_hash == hetu.lookup_hash(KALLE_CODE)
    assert KALLE_CODE not in str(kalle.person.hetu_encrypted)
    application.refresh_from_db()
    assert application.is_valid


def test_office_identification_with_a_wrong_identity_code_is_refused_APP_5(client, submit, clerk):
    application = submit(co_applicants=[kalle_with_email("")])
    kalle = application.applicants.get(first_names="Kalle")
    client.force_login(clerk)

    response = _add(client, kalle, code="010280-952L")
    assert response.status_code == 200
    assert "does not match the applicant" in response.content.decode()
    response = _add(client, kalle, code="010469-999X")
    assert response.status_code == 200
    assert not OfficeIdentification.objects.exists()
    kalle.refresh_from_db()
    assert kalle.confirmed_at is None


def test_co_applicant_without_e_mail_can_only_confirm_at_the_office_and_the_page_says_so_APP_5(client, submit):
    application = submit(co_applicants=[kalle_with_email("")])
    kalle = application.applicants.get(first_names="Kalle")

    assert services.co_applicant_link_send(applicant=kalle) is None
    confirm_as_main(client, ANNA)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "can only confirm by identifying at the rental" in page
    assert "Send Kalle a new link" not in page


def test_customer_service_may_read_but_not_record_APP_5(client, submit, db):
    call_command("setup_groups", verbosity=0)
    user = User.objects.create_user("cs@heka.example", "Clerk-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Customer service"))
    application = submit()
    client.force_login(user)
    assert client.get(f"/admin/applications/application/{application.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/officeidentification/add/").status_code == 403


def test_office_identified_after_strong_identification_keeps_the_same_person_APP_5(submit, clerk):
    """An applicant who identified online and later at the office: the identity code must be the same."""
    application = submit(co_applicants=[kalle_with_email()])
    kalle = application.applicants.get(first_names="Kalle")
    services.office_identification_record(
        applicant=kalle,
        document_type="identity_card",
        identity_code=KALLE_CODE,
        office="Työpajankatu 8",
        clerk=clerk,
        identified_at=timezone.now() - timedelta(minutes=5),
    )
    kalle.refresh_from_db()
    assert kalle.is_confirmed
    assert not kalle.links.filter(used_at__isnull=True, revoked_at__isnull=True).exists()


def test_admin_pages_of_applications_render_for_the_clerk_STF_2(client, submit, clerk):
    application = submit(co_applicants=[kalle_with_email("")])
    kalle = application.applicants.get(first_names="Kalle")
    client.force_login(clerk)
    _add(client, kalle, email="kalle@example.com")
    record = OfficeIdentification.objects.get()

    for url in [
        "/admin/applications/application/",
        "/admin/applications/application/?valid=no",
        f"/admin/applications/application/{application.pk}/change/",
        "/admin/applications/applicant/",
        "/admin/accounts/officeidentification/",
        f"/admin/accounts/officeidentification/{record.pk}/change/",
        "/admin/autocomplete/?app_label=accounts&model_name=officeidentification&field_name=applicant&term=Korh",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/accounts/officeidentification/{record.pk}/change/").content.decode()
    assert KALLE_CODE not in page

    response = client.post(f"/admin/accounts/officeidentification/{record.pk}/change/", {"email": "Kalle.K@Example.com"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.email == "kalle.k@example.com"
    assert record.clerk == clerk
