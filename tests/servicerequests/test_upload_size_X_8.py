"""X-4, X-8: an oversized request body is refused before anything reads it, so that nobody can fill
the server's disk with uploads (Django streams file parts of any size to temporary files)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from servicerequests.models import Defect
from servicerequests.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from tests.tenancy.pages import login

from .test_defect_photos import defect_data


def test_oversized_upload_is_refused_before_it_is_read_X_8(client, household, settings, monkeypatch):
    settings.HEKA_MAX_REQUEST_BYTES = 1024 * 1024
    started = []
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", lambda *args, **kwargs: started.append(args))
    person = household.sublessee
    login(client, person)
    big = SimpleUploadedFile("big.jpg", b"\xff" * (3 * 1024 * 1024), content_type="image/jpeg")

    response = client.post("/requests/defects/new/", defect_data(household, person, photos=[big]))

    assert response.status_code == 400
    assert "400.html" in [template.name for template in response.templates]
    assert started == []
    assert not Defect.objects.exists()


def test_anonymous_oversized_post_is_refused_before_the_csrf_check_reads_it_X_8(settings, monkeypatch):
    from django.test import Client

    settings.HEKA_MAX_REQUEST_BYTES = 1024 * 1024
    started = []
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", lambda *args, **kwargs: started.append(args))
    client = Client(enforce_csrf_checks=True)
    big = SimpleUploadedFile("big.jpg", b"\xff" * (3 * 1024 * 1024), content_type="image/jpeg")

    response = client.post("/accounts/login/", {"login": "x@example.com", "photos": [big]})

    assert response.status_code == 400
    assert started == []


def test_default_limit_leaves_room_for_every_allowed_photo_X_8():
    from heka_portal.middleware import MAX_REQUEST_BYTES

    assert MAX_REQUEST_BYTES > MAX_PHOTOS * MAX_PHOTO_BYTES
