"""X-8: every file the portal serves (defect photos to the resident and to staff, rescue plans,
"Download my data" and its zip of the person's photos) is an attachment with `nosniff`,
`no-store` and a sandboxing policy, asserted on each response; and every download goes through the
one response of heka_portal.http."""

import ast
from pathlib import Path

import pytest

from accounts.staff_groups import CUSTOMER_SERVICE
from tests.factories.documents import add_rescue_plan
from tests.tenancy.pages import login

from .test_staff_queues import staff_in

DOWNLOADS = ["resident defect photo", "staff defect photo", "rescue plan", "my data", "my photos"]


@pytest.fixture
def files(household, sent, private_storage):
    add_rescue_plan(household.building, b"%PDF-1.4 rescue plan")
    return sent


def _get(client, household, sent, download: str):
    if download == "staff defect photo":
        staff_in(client, CUSTOMER_SERVICE)
        return client.get(f"/admin/servicerequests/defect/{sent.defect.pk}/photos/{sent.photo.pk}/")
    login(client, household.main_tenant)
    return client.get(
        {
            "resident defect photo": f"/requests/defects/{sent.defect.pk}/photos/{sent.photo.pk}/",
            "rescue plan": f"/building/{household.building.pk}/rescue-plan/",
            "my data": "/profile/data/",
            "my photos": "/profile/data/photos.zip",
        }[download]
    )


@pytest.mark.parametrize("download", DOWNLOADS)
def test_each_download_is_a_never_sniffed_never_stored_attachment_X_8(client, household, files, download):
    response = _get(client, household, files, download)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    name = response["Content-Disposition"].split("filename=", 1)[1].strip('"')
    assert name.replace("-", "").replace(".", "").replace("_", "").isalnum(), "a server-made, safe file name"


def test_no_view_builds_a_download_of_its_own_X_8():
    """Only heka_portal/http.py makes FileResponses or attachment headers."""
    offenders = []
    for path in Path().glob("*/**/*.py"):
        if path.parts[0] in {".venv", "tests", "bench"} or "migrations" in path.parts or path == Path("heka_portal/http.py"):
            continue
        source = path.read_text(encoding="utf-8")
        names = {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}
        if ("FileResponse" in names and "FileResponse(" in source) or "Content-Disposition" in source:
            offenders.append(str(path))
    assert offenders == []
