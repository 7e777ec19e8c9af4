"""X-10: "My data" is also a readable page, in the reader's language, with the JSON file and a zip
of the photos to download. Like every page with resident data it shows each person only their own
data: a stranger, a co-tenant, a sublessee and a guardian each see theirs, an anonymous visitor is
sent to log in."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from servicerequests.models import DefectPhoto
from tenancy.export import person_data_export
from tenancy.my_data import FREE_FORM, LABELS, readable
from tests.factories.servicerequests import DefectFactory
from tests.factories.tenancy_pages import OccupantChangeNoticeFactory
from tests.tenancy.pages import FUTURE, LOGIN, REFUSED, WHO, Sees, check, login, visit

OWN = {
    "main_tenant": Sees(contains=("My data", "Maija", "Oma ilmoitus", "Download as a file (JSON)"), lacks=("Matti",)),
    "co_tenant": Sees(contains=("My data", "Matti"), lacks=("Maija", "Oma ilmoitus")),
    "family_member": Sees(contains=("My data", "Aino"), lacks=("Maija", "Oma ilmoitus")),
    "sublessee": Sees(contains=("My data", "Sami"), lacks=("Maija", "Oma ilmoitus")),
    "guardian": Sees(contains=("My data", "Helena", "Eero Virtanen"), lacks=("Maija", "Oma ilmoitus")),
    "stranger": Sees(contains=("My data", "Veikko"), lacks=("Maija", "Oma ilmoitus")),
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "anonymous": LOGIN,
}


@pytest.fixture
def data(household):
    OccupantChangeNoticeFactory(agreement=household.agreement, submitted_by=household.main_tenant, occupant_name="Oma ilmoitus")
    return household


@pytest.mark.parametrize("who", WHO)
def test_my_data_page_shows_each_person_only_their_own_data_X_10(client, data, who):
    response = visit(client, data, who, "/profile/my-data/")
    check(response, data, OWN[who])
    if response.status_code == 200:
        assert "no-store" in response["Cache-Control"]


def test_my_data_page_is_in_the_readers_language_X_1_X_10(client, data):
    login(client, data.main_tenant)
    client.cookies["django_language"] = "sv"
    page = client.get("/profile/my-data/").content.decode()
    assert "Mina uppgifter" in page
    assert "Anmälningar om inflyttning eller utflyttning" in page
    assert "Inflyttning" in page, "a coded value is shown with its label"
    assert "moving_in" not in page


def _keys(value, parent: str = "") -> set[str]:
    if isinstance(value, dict):
        keys = set() if parent in FREE_FORM else set(value)
        for key, child in value.items():
            keys |= _keys(child, key)
        return keys
    if isinstance(value, list):
        return set().union(*(_keys(child, parent) for child in value)) if value else set()
    return set()


def test_every_key_of_the_export_has_a_label_X_10(data):
    DefectFactory.create(submitted_by=data.main_tenant, apartment=data.apartment)
    export = person_data_export(person=data.main_tenant)
    missing = _keys(export) - set(LABELS) - {"exported_at", "service"}
    assert not missing, f"give these keys a label in tenancy.my_data.LABELS: {sorted(missing)}"
    assert readable(export)


@pytest.fixture
def photos(data, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    own = DefectFactory.create(submitted_by=data.main_tenant, apartment=data.apartment)
    theirs = DefectFactory.create(submitted_by=data.co_tenant, apartment=data.apartment)
    for defect, content in ((own, b"\x89PNG own"), (theirs, b"\x89PNG co-tenant")):
        photo = DefectPhoto(defect=defect, extension="png", width=1, height=1, size=len(content))
        photo.image.save("x.png", ContentFile(content), save=False)
        photo.save()
    data.own_defect = own
    return data


def test_photos_come_as_one_zip_of_the_persons_own_photos_X_10(client, photos):
    login(client, photos.main_tenant)
    client.cookies["django_language"] = "en"
    assert "Download your photos (zip)" in client.get("/profile/my-data/").content.decode()

    response = client.get("/profile/data/photos.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    [name] = archive.namelist()
    assert name.startswith(f"defect-{photos.own_defect.pk}-photo-")
    assert archive.read(name) == b"\x89PNG own"


@pytest.mark.parametrize("who", ["sublessee", "stranger", "anonymous"])
def test_nobody_gets_anothers_photos_X_10(client, photos, who):
    response = visit(client, photos, who, "/profile/data/photos.zip")
    if who == "anonymous":
        assert response.status_code == 302
        return
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == []


def test_my_data_page_queries_do_not_grow_with_the_history_X_10(client, data, django_assert_max_num_queries):
    login(client, data.main_tenant)
    for n in range(20):
        OccupantChangeNoticeFactory(agreement=data.agreement, submitted_by=data.main_tenant, occupant_name=f"Ilmoitus {n}")
        DefectFactory.create(submitted_by=data.main_tenant, apartment=data.apartment)
    with django_assert_max_num_queries(40):
        assert client.get("/profile/my-data/").status_code == 200
