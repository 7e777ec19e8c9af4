import pytest

from servicerequests import services as request_services
from servicerequests.forms.common import Home


@pytest.fixture
def defect(household):
    """A defect the main tenant reported through the service (with its receipt)."""
    h = household
    return request_services.defect_create(
        person=h.main_tenant,
        home=Home(h.apartment, h.main_tenant, False, h.agreement),
        category="water",
        location="kitchen",
        location_details="",
        description="Hana vuotaa",
        master_key_allowed=False,
        has_pets=False,
        pets_details="",
        photos=[],
    )
