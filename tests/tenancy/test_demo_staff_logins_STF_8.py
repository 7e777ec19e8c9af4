"""STF-8: the demo has a ready login for every staff group of STF-3. Each signs in on the resident
login page, lands in the admin (STF-6) and opens the pages of its own work, and only those."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from accounts.models import User
from tenancy.demo import DEMO_PASSWORD, STAFF_LOGINS, people_table
from tenancy.models import Building
from tenancy.staff_groups import BOOKING_HANDLER, CONTENT_EDITOR, CUSTOMER_SERVICE, GROUPS, OFFICE_CLERK

# The pages of each group's work, and pages of others' work it must not open.
WORK = {
    CUSTOMER_SERVICE: (
        [
            "/admin/servicerequests/defect/",
            "/admin/servicerequests/message/",
            "/admin/servicerequests/servicerequest/",
            "/admin/tenancy/terminationnotice/",
            "/admin/tenancy/occupantchangenotice/",
            "/admin/tenancy/person/",
            "/admin/bookings/reservation/",
        ],
        ["/admin/tenancy/bulletin/add/", "/admin/accounts/officeidentification/add/", "/admin/tenancy/person/add/"],
    ),
    OFFICE_CLERK: (
        [
            "/admin/accounts/officeidentification/add/",
            "/admin/tenancy/registerimport/add/",
            "/admin/tenancy/person/add/",
            "/admin/tenancy/rentalagreement/add/",
            "/admin/tenancy/occupancy/add/",
            "/admin/tenancy/guardianship/add/",
        ],
        ["/admin/tenancy/bulletin/add/", "/admin/bookings/saunaslot/add/", "/admin/accounts/user/"],
    ),
    BOOKING_HANDLER: (
        [
            "/admin/bookings/reservation/",
            "/admin/bookings/saunaslot/add/",
            "/admin/bookings/parkingspace/add/",
            "/admin/bookings/allocationrun/",
        ],
        ["/admin/tenancy/person/add/", "/admin/servicerequests/message/", "/admin/tenancy/bulletin/add/"],
    ),
    CONTENT_EDITOR: (
        ["/admin/tenancy/bulletin/add/", "/admin/tenancy/bulletin/", "/admin/tenancy/building/"],
        ["/admin/tenancy/person/", "/admin/servicerequests/defect/", "/admin/bookings/reservation/"],
    ),
}


@pytest.fixture
def demo(settings, tmp_path, db):
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    cache.clear()
    call_command("demo_data", stdout=StringIO())
    yield
    cache.clear()


def test_every_staff_group_has_a_demo_login_listed_in_the_docs_STF_8(demo):
    assert sorted(group for _email, group, _work in STAFF_LOGINS) == sorted(GROUPS)
    logins = {login for _name, _role, login in people_table()}
    for email, group, _work in STAFF_LOGINS:
        assert email in logins
        user = User.objects.get(email=email)
        assert user.is_staff
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]


@pytest.mark.parametrize(("email", "group"), [(email, group) for email, group, _work in STAFF_LOGINS])
def test_each_demo_staff_login_lands_in_the_admin_and_does_its_own_work_STF_8_STF_6(client, demo, email, group):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"

    may, may_not = WORK[group]
    index = client.get("/admin/").content.decode()
    for path in may:
        changelist = path.removesuffix("add/")
        assert f'href="{changelist}"' in index, f"{group}: the admin index does not link {changelist}"
        assert client.get(path).status_code == 200, f"{group} cannot open {path}"
    for path in may_not:
        assert client.get(path).status_code == 403, f"{group} may open {path}"


def test_content_editor_demo_login_edits_a_building_text_STF_8(client, demo):
    client.post("/accounts/login/", {"login": "sisallot@heka.example", "password": DEMO_PASSWORD})
    building = Building.objects.get(code="KONT7")
    assert client.get(f"/admin/tenancy/building/{building.pk}/change/").status_code == 200
