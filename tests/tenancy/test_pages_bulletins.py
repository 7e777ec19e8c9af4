"""TEN-9: resident bulletins targeted by staff to everyone, region offices or buildings; each
resident sees those of their own buildings and regions, marked read once opened."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenancy.access import access_for
from tenancy.models import Bulletin, BulletinRead
from tenancy.selectors import bulletins_for
from tests.factories.tenancy_pages import BulletinFactory
from tests.tenancy.pages import FUTURE, LOGIN, NOT_FOUND, REFUSED, WHO, Sees, check, login, visit

Audience = Bulletin.Audience


@pytest.fixture
def bulletins(household):
    now = timezone.now()
    other_building = household.stranger_agreement.apartment.building
    household.b_all = BulletinFactory.create(title="Kaikille")
    household.b_region = BulletinFactory.create(title="Alueelle", audience=Audience.REGIONS, regions=[household.building.region])
    household.b_building = BulletinFactory.create(title="Talolle", audience=Audience.BUILDINGS, buildings=[household.building])
    household.b_other_region = BulletinFactory.create(
        title="Muulle alueelle", audience=Audience.REGIONS, regions=[other_building.region]
    )
    household.b_other_building = BulletinFactory.create(
        title="Muulle talolle", audience=Audience.BUILDINGS, buildings=[other_building]
    )
    household.b_expired = BulletinFactory.create(
        title="Vanhentunut", published_at=now - timedelta(days=10), expires_at=now - timedelta(days=1)
    )
    household.b_future = BulletinFactory.create(title="Tuleva", published_at=now + timedelta(days=1))
    # A bulletin for chosen buildings with none chosen reaches nobody.
    household.b_nobody = BulletinFactory.create(title="Ei kenellekään", audience=Audience.BUILDINGS)
    return household


HOUSEHOLD = Sees(
    contains=("Kaikille", "Alueelle", "Talolle"),
    lacks=("Muulle alueelle", "Muulle talolle", "Vanhentunut", "Tuleva", "Ei kenellekään"),
)
LIST_EXPECTED = {
    "main_tenant": HOUSEHOLD,
    "co_tenant": HOUSEHOLD,
    "family_member": HOUSEHOLD,
    "sublessee": HOUSEHOLD,
    "guardian": HOUSEHOLD,
    "future_tenant": FUTURE,
    "former_tenant": REFUSED,
    "stranger": Sees(contains=("Kaikille", "Muulle alueelle", "Muulle talolle"), lacks=("Alueelle<", "Talolle<", "Vanhentunut")),
    "anonymous": LOGIN,
}


@pytest.mark.parametrize("who", WHO)
def test_bulletins_reach_everyone_the_region_or_the_building_TEN_9(client, bulletins, who):
    check(visit(client, bulletins, who, "/bulletins/"), bulletins, LIST_EXPECTED[who])


DETAIL = Sees(contains=("Talolle",))
DETAIL_EXPECTED = {
    **LIST_EXPECTED,
    **dict.fromkeys(["main_tenant", "co_tenant", "family_member", "sublessee", "guardian"], DETAIL),
}
DETAIL_EXPECTED["stranger"] = NOT_FOUND


@pytest.mark.parametrize("who", WHO)
def test_a_bulletin_for_another_building_is_not_found_TEN_9(client, bulletins, who):
    check(visit(client, bulletins, who, "/bulletins/{b_building.pk}/"), bulletins, DETAIL_EXPECTED[who])


def test_selector_targets_by_region_building_and_everyone_TEN_9(bulletins):
    h = bulletins
    assert set(bulletins_for(access_for(h.main_tenant))) == {h.b_all, h.b_region, h.b_building}
    assert set(bulletins_for(access_for(h.stranger))) == {h.b_all, h.b_other_region, h.b_other_building}
    # a bulletin aimed at two of the person's targets is listed once
    h.b_region.buildings.set([h.building])
    h.b_region.regions.add(h.stranger_agreement.apartment.building.region)
    assert bulletins_for(access_for(h.main_tenant)).filter(pk=h.b_region.pk).count() == 1


def test_opening_a_bulletin_marks_it_read_for_that_person_only_TEN_9(client, bulletins):
    login(client, bulletins.main_tenant)
    client.cookies["django_language"] = "en"
    assert client.get("/bulletins/").content.decode().count(">New<") == 3

    client.get(f"/bulletins/{bulletins.b_all.pk}/")
    client.get(f"/bulletins/{bulletins.b_all.pk}/")

    assert BulletinRead.objects.filter(person=bulletins.main_tenant).count() == 1
    assert client.get("/bulletins/").content.decode().count(">New<") == 2
    assert not BulletinRead.objects.filter(person=bulletins.co_tenant).exists()


@pytest.mark.parametrize(("language", "title"), [("en", "Water cut"), ("sv", "Vattenavbrott"), ("fi", "Vesikatko")])
def test_bulletin_is_shown_in_the_readers_language_or_in_finnish(client, household, language, title):
    bulletin = BulletinFactory.create(title="Vesikatko", body="Torstaina.", title_sv="Vattenavbrott", body_sv="På torsdag.")
    if language == "en":
        bulletin.title_en, bulletin.body_en = "Water cut", "On Thursday."
        bulletin.save()
    login(client, household.main_tenant)
    client.cookies["django_language"] = language
    assert f"<h1>{title}</h1>" in client.get(f"/bulletins/{bulletin.pk}/").content.decode()


def test_bulletins_are_paginated(client, household):
    for number in range(25):
        BulletinFactory.create(title=f"Numero {number:02d}", published_at=timezone.now() - timedelta(minutes=number + 1))
    login(client, household.main_tenant)
    client.cookies["django_language"] = "en"
    first = client.get("/bulletins/").content.decode()
    second = client.get("/bulletins/?page=2").content.decode()
    assert "Numero 00" in first
    assert "Numero 24" not in first
    assert "Numero 24" in second
    assert client.get("/bulletins/?page=junk").status_code == 200
