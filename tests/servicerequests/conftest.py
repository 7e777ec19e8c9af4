from types import SimpleNamespace

import pytest

from servicerequests import services
from servicerequests.forms import Home
from servicerequests.photos import clean_photo
from tests.factories.servicerequests import DefectFactory, MessageFactory, ReplyFactory, ServiceRequestFactory, png_upload


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Uploaded photos go to a folder of the test's own."""
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    return tmp_path


@pytest.fixture
def sent(household):
    """What each person of the household has sent: the main tenant a defect with a photo, a message
    with a reply and a service request; the co-tenant on the same agreement a defect and a message
    of their own; the guardian a defect for the ward."""
    h = household
    home = Home(h.apartment, h.main_tenant, False, h.agreement)
    defect = services.defect_create(
        person=h.main_tenant,
        home=home,
        category="water",
        location="kitchen",
        location_details="Tiskipöydän alla",
        description="Maijan hana vuotaa",
        master_key_allowed=True,
        has_pets=True,
        pets_details="Kissa",
        photos=[clean_photo(png_upload())],
    )
    message = MessageFactory(submitted_by=h.main_tenant, apartment=h.apartment, subject="Maijan viesti")
    ReplyFactory(request=message, text="Vastaus Maijalle")
    service_request = ServiceRequestFactory(
        submitted_by=h.main_tenant,
        apartment=h.apartment,
        details={"new_last_name": "Maijan uusi nimi", "changed_on": "2026-10-01"},
    )
    spouse_defect = DefectFactory(submitted_by=h.co_tenant, apartment=h.apartment, description="Matin ikkuna")
    spouse_message = MessageFactory(submitted_by=h.co_tenant, apartment=h.apartment, subject="Matin viesti")
    ward_defect = DefectFactory(submitted_by=h.guardian, on_behalf_of=h.ward, apartment=h.apartment, description="Eeron ovi")
    return SimpleNamespace(
        defect=defect,
        photo=defect.photos.get(),
        message=message,
        service_request=service_request,
        spouse_defect=spouse_defect,
        spouse_message=spouse_message,
        ward_defect=ward_defect,
    )
