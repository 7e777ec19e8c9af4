"""SRQ-1, X-4, X-8: a defect is filed with photos that are checked, re-encoded without location
data and stored under names made by the server; a bad upload is refused with a clear message and
everything else that was typed stays on the form."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from servicerequests.models import Defect, DefectPhoto
from servicerequests.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from tests.factories.servicerequests import image_bytes, jpeg_upload, png_upload
from tests.tenancy.pages import login

GPS_IFD = 0x8825


def defect_data(household, person, **extra: Any) -> dict:
    return {
        "home": f"{household.apartment.pk}-{person.pk}",
        "category": "water",
        "location": "bathroom",
        "location_details": "Suihkun lattiakaivo",
        "description": "Lattiakaivo vetää huonosti",
        "master_key_allowed": "no",
        "has_pets": "yes",
        "pets_details": "Koira",
        **extra,
    }


def jpeg_with_location() -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (60.0, 10.0, 15.0), "E", (24.0, 56.0, 30.0)
    upload = jpeg_upload("IMG_1234.jpg", exif=exif.tobytes())
    assert b"Phone maker" in upload.read()
    upload.seek(0)
    return upload


def test_resident_files_a_defect_with_photos_stored_under_server_made_names_SRQ_1_X_8(client, household, private_storage):
    person = household.sublessee
    login(client, person)
    data = defect_data(household, person, photos=[jpeg_with_location(), png_upload("../../etc/passwd.png")])

    response = client.post("/requests/defects/new/", data)

    defect = Defect.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/requests/defects/{defect.pk}/"
    assert (defect.submitted_by, defect.apartment, defect.on_behalf_of) == (person, household.apartment, None)
    assert (defect.master_key_allowed, defect.has_pets, defect.pets_details) == (False, True, "Koira")
    assert list(defect.timeline.values_list("kind", "status")) == [("status", "received")]
    photos = list(defect.photos.all())
    assert [photo.extension for photo in photos] == ["jpg", "png"]
    for photo in photos:
        assert photo.image.name is not None
        assert photo.image.name.startswith("defect-photos/")
        assert "IMG_1234" not in photo.image.name
        assert "passwd" not in photo.image.name
        assert (private_storage / photo.image.name).is_file()


def test_photo_location_data_is_removed_X_8(client, household, private_storage):
    login(client, household.main_tenant)
    client.post("/requests/defects/new/", defect_data(household, household.main_tenant, photos=[jpeg_with_location()]))

    stored = (private_storage / DefectPhoto.objects.get().image.name).read_bytes()
    assert b"Phone maker" not in stored
    with Image.open(private_storage / DefectPhoto.objects.get().image.name) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(GPS_IFD)


BAD_UPLOADS = {
    "not an image": (
        SimpleUploadedFile("vuoto.png", b"<html><script>alert(1)</script></html>", "image/png"),
        "is not a JPEG or PNG photo",
    ),
    "a PDF": (SimpleUploadedFile("vuoto.jpg", b"%PDF-1.4 fake", "image/jpeg"), "is not a JPEG or PNG photo"),
    "a GIF": (SimpleUploadedFile("vuoto.gif", image_bytes("GIF"), "image/gif"), "is not a JPEG or PNG photo"),
    "too large": (SimpleUploadedFile("iso.jpg", b"\xff\xd8" + b"0" * MAX_PHOTO_BYTES, "image/jpeg"), "is too large"),
    "a PNG named JPEG": (
        SimpleUploadedFile("vuoto.jpg", image_bytes("PNG"), "image/jpeg"),
        "is named or labelled as another type",
    ),
    "a JPEG declared PNG": (
        SimpleUploadedFile("vuoto.jpg", image_bytes("JPEG"), "image/png"),
        "is named or labelled as another type",
    ),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_upload_is_refused_with_a_clear_message_and_the_form_kept_SRQ_1_X_4(client, household, case):
    upload, message = BAD_UPLOADS[case]
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"

    response = client.post("/requests/defects/new/", defect_data(household, household.main_tenant, photos=[png_upload(), upload]))

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert upload.name in body
    assert 'id="id_photos_error"' in body
    assert "Lattiakaivo vetää huonosti" in body
    assert 'value="Suihkun lattiakaivo"' in body
    assert 'id="id_master_key_allowed_1" checked' in body
    assert 'id="id_has_pets_0" checked' in body
    assert "Please choose them again." in body
    assert not Defect.objects.exists()
    assert not DefectPhoto.objects.exists()


def test_too_many_photos_are_refused_SRQ_1(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    photos = [png_upload(f"{number}.png") for number in range(MAX_PHOTOS + 1)]
    response = client.post("/requests/defects/new/", defect_data(household, household.main_tenant, photos=photos))
    assert f"Choose at most {MAX_PHOTOS} photos." in response.content.decode()
    assert not Defect.objects.exists()


def test_defect_without_photos_and_with_missing_answers_is_explained_SRQ_1_X_2(client, household):
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    data = defect_data(household, household.main_tenant)
    del data["master_key_allowed"]
    body = client.post("/requests/defects/new/", data).content.decode()
    assert 'id="id_master_key_allowed_error"' in body
    assert "Please correct the marked fields." in body
    assert not Defect.objects.exists()
