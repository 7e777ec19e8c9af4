"""The notification list, the e-mail choices on the profile and an outage on the dashboard, in
headless Chromium with axe-core, in each language on a phone and a desktop (NTF-2, NTF-3, NTF-8)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from notifications.kinds import Kind
from notifications.models import Notification, Outage
from notifications.services import About, notify
from tests.factories.tenancy import AgreementPartyFactory, PersonFactory, RentalAgreementFactory

PASSWORD = "Kes4kuu!ilta"
UNREAD = {"fi": "1 lukematon", "sv": "1 oläst", "en": "1 unread"}


@pytest.fixture
def resident(db):
    today = timezone.localdate()
    person = PersonFactory.create(first_names="Liisa", last_name="Mäkinen")
    agreement = RentalAgreementFactory.create(signed_on=today - timedelta(days=400), starts_on=today - timedelta(days=365))
    AgreementPartyFactory.create(agreement=agreement, person=person)
    outage = Outage.objects.create(
        utility=Outage.Utility.WATER,
        planned=True,
        starts_at=timezone.now() + timedelta(hours=2),
        expected_end_at=timezone.now() + timedelta(hours=6),
        description="Vesi katkaistaan putkitöiden vuoksi.",
        version=1,
    )
    outage.buildings.add(agreement.apartment.building)
    notify(
        recipient=person,
        kind=Kind.BANK_ACCOUNT_CHANGED,
        about=About(url_name="accounts:profile"),
        params={},
        key=f"browser-{person.pk}",
    )
    return User.objects.create_user("liisa@example.com", PASSWORD, person=person)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_notifications_choices_and_outage_read_well_and_pass_axe_NTF_2_NTF_3_NTF_8(
    resident, open_page, assert_accessible, screenshot, language, viewport
):
    page = open_page(viewport=viewport, language=language, user=resident)

    page.goto("/dashboard/")
    assert page.locator("html").get_attribute("lang") == language
    assert "Vesi katkaistaan" in page.content()
    assert UNREAD[language] in page.content()
    assert_accessible(page)
    screenshot(page, f"notifications-dashboard-{language}-{viewport}")

    page.goto("/notifications/")
    assert_accessible(page)
    screenshot(page, f"notifications-list-{language}-{viewport}")

    page.goto("/accounts/profile/")
    assert_accessible(page)
    screenshot(page, f"notifications-choices-{language}-{viewport}")

    page.goto("/notifications/")
    with page.expect_navigation():
        page.locator("form[action$='/notifications/read-all/'] button").click()
    assert not Notification.objects.filter(recipient=resident.person, read_at__isnull=True).exists()
