"""STF-2: content editors upload rescue plans and publish bulletins in the admin, and residents
get them (TEN-8, TEN-9). STF-3: each staff group reaches only the admin pages of its own work."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Document
from tenancy.models import Bulletin
from tenancy.staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE, OFFICE_CLERK
from tests.factories.documents import add_rescue_plan
from tests.tenancy.pages import login
from tests.tenancy.test_admin_audit import staff_in

PLAN = b"%PDF-1.4 uploaded rescue plan"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def document_form(building, **fields) -> dict:
    return {
        "building": building.pk,
        "kind": Document.Kind.RESCUE_PLAN,
        "title": "Pelastussuunnitelma",
        "language": "fi",
        **fields,
    }


def test_content_editor_uploads_a_rescue_plan_that_the_buildings_residents_download_STF_2_TEN_8(client, household, private_media):
    building = household.building
    staff_in(client, CONTENT_EDITOR)
    upload = SimpleUploadedFile("../Pelastussuunnitelma 2026.pdf", PLAN, "application/pdf")

    response = client.post("/admin/documents/document/add/", document_form(building, file=upload))

    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Document.objects.get(building=building, kind=Document.Kind.RESCUE_PLAN)
    assert plan.file.name is not None
    assert plan.file.name.startswith(f"documents/building-{building.pk}/")
    assert "Pelastussuunnitelma" not in plan.file.name, "the stored name is made by the server (X-8)"
    assert (private_media / plan.file.name).read_bytes() == PLAN
    assert plan.content_type == "application/pdf"

    client.logout()
    login(client, household.sublessee)
    download = client.get(f"/building/{building.pk}/rescue-plan/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PLAN
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.pdf", b"<html><script>alert(1)</script>"), ("plan.pdf", b""), ("plan.exe", b"MZ\x90\x00")],
)
def test_a_rescue_plan_that_is_not_a_pdf_is_refused_and_nothing_changes_STF_2_X_4(
    client, household, private_media, name, content
):
    building = household.building
    old = add_rescue_plan(building, PLAN)
    staff_in(client, CONTENT_EDITOR)
    upload = SimpleUploadedFile(name, content, "application/pdf")

    response = client.post(f"/admin/documents/document/{old.pk}/change/", document_form(building, file=upload))

    assert response.status_code == 200
    page = response.content.decode()
    assert "must be a PDF file" in page or "The submitted file is empty" in page
    assert list(Document.objects.values_list("pk", "file")) == [(old.pk, old.file.name)]


@pytest.mark.parametrize("group", [CUSTOMER_SERVICE, OFFICE_CLERK, BOOKING_HANDLER])
def test_only_content_editors_change_a_buildings_rescue_plan_STF_2_STF_3(client, household, private_media, group):
    building = household.building
    staff_in(client, group)
    upload = SimpleUploadedFile("plan.pdf", PLAN, "application/pdf")

    response = client.post("/admin/documents/document/add/", document_form(building, file=upload))

    assert response.status_code == 403
    assert not Document.objects.exists()


def test_content_editor_publishes_a_bulletin_for_one_building_and_only_its_residents_see_it_STF_2_TEN_9(client, household):
    staff_in(client, CONTENT_EDITOR)
    published = timezone.localtime() - timedelta(minutes=5)

    response = client.post(
        "/admin/tenancy/bulletin/add/",
        {
            "title": "Hissin huolto",
            "body": "Hissi on pois käytöstä maanantaina.",
            "title_en": "Lift maintenance",
            "body_en": "The lift is out of use on Monday.",
            "audience": Bulletin.Audience.BUILDINGS,
            "buildings": [household.building.pk],
            "published_at_0": published.strftime("%Y-%m-%d"),
            "published_at_1": published.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    bulletin = Bulletin.objects.get()
    client.logout()
    client.cookies["django_language"] = "en"
    login(client, household.family_member)
    assert "Lift maintenance" in client.get("/bulletins/").content.decode()
    client.logout()
    login(client, household.stranger)
    assert "Lift maintenance" not in client.get("/bulletins/").content.decode()
    assert client.get(f"/bulletins/{bulletin.pk}/").status_code == 404


# What each group's work needs in the admin, and nothing more (the admin answers 403 otherwise).
ADMIN_PAGES = {
    # content editors: bulletins and building information
    "/admin/tenancy/bulletin/add/": {CONTENT_EDITOR},
    # content editors: building and agreement documents, the rescue plan among them (DOC-1)
    "/admin/documents/document/add/": {CONTENT_EDITOR},
    "/admin/tenancy/bulletin/": {CONTENT_EDITOR, CUSTOMER_SERVICE},
    # office clerks: identifications at the office and the register
    "/admin/accounts/officeidentification/add/": {OFFICE_CLERK},
    "/admin/tenancy/registerimport/add/": {OFFICE_CLERK},
    "/admin/tenancy/person/add/": {OFFICE_CLERK},
    "/admin/tenancy/rentalagreement/add/": {OFFICE_CLERK},
    # customer service: the resident queues and notices
    "/admin/servicerequests/message/": {CUSTOMER_SERVICE, OFFICE_CLERK},
    "/admin/servicerequests/defect/": {CUSTOMER_SERVICE, OFFICE_CLERK},
    "/admin/tenancy/terminationnotice/": {CUSTOMER_SERVICE},
    "/admin/tenancy/invoice/": {CUSTOMER_SERVICE},
    # booking handlers: spaces, slots and reservations
    "/admin/bookings/reservation/": {BOOKING_HANDLER, CUSTOMER_SERVICE},
    "/admin/bookings/parkingspace/add/": {BOOKING_HANDLER},
    # nobody in a group manages accounts or staff
    "/admin/accounts/user/": set(),
    "/admin/auth/group/": set(),
}


@pytest.mark.parametrize("group", [CUSTOMER_SERVICE, OFFICE_CLERK, BOOKING_HANDLER, CONTENT_EDITOR])
def test_each_staff_group_reaches_only_the_admin_pages_of_its_work_STF_3(client, db, group):
    staff_in(client, group)
    wrong = []
    for path, groups in ADMIN_PAGES.items():
        expected = 200 if group in groups else 403
        status = client.get(path).status_code
        # a model the admin does not register answers 404, which is as closed as 403
        if status != expected and not (expected == 403 and status == 404):
            wrong.append(f"{path}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)
