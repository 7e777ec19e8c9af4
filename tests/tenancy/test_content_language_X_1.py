"""X-1: content entered in several languages shows the visitor's one, and content shown in another
language than the page's carries `lang` (WCAG 3.1.2): building information, office opening hours,
bulletins."""

import re

import pytest

from heka_portal.content import localized
from tenancy.models import Bulletin
from tests.factories.tenancy_pages import BulletinFactory
from tests.tenancy.pages import login

FI = "Saunavuorot perjantaisin."
SV = "Bastuturer på fredagar."
EN = "Sauna slots on Fridays."


@pytest.fixture
def building(household):
    building = household.building
    building.information, building.information_sv, building.information_en = FI, SV, EN
    building.save()
    region = building.region
    region.opening_hours, region.opening_hours_sv, region.opening_hours_en = "ma-to 9-15", "mån-tors 9-15", "Mon-Thu 9-15"
    region.save()
    return building


def _page(client, person, path: str, language: str) -> str:
    login(client, person)
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "shown", "hidden"), [("fi", FI, (SV, EN)), ("sv", SV, (FI, EN)), ("en", EN, (FI, SV))])
def test_building_information_shows_only_the_visitors_language_X_1_TEN_8(client, household, building, language, shown, hidden):
    page = _page(client, household.main_tenant, "/building/", language)
    assert shown in page
    for other in hidden:
        assert other not in page
    assert {"fi": "ma-to 9-15", "sv": "mån-tors 9-15", "en": "Mon-Thu 9-15"}[language] in page


def test_building_information_without_a_translation_is_finnish_and_marked_so_X_1(client, household, building):
    building.information_en = ""
    building.save()
    building.region.opening_hours_en = ""
    building.region.save()

    page = _page(client, household.main_tenant, "/building/", "en")

    assert re.search(r'<div class="building-information"\s+lang="fi">\s*<p>' + re.escape(FI), page)
    assert '<span lang="fi">ma-to 9-15</span>' in page


def test_office_hours_on_the_help_page_follow_the_language_X_1(client, household, building):
    client.cookies["django_language"] = "sv"
    page = client.get("/help/").content.decode()
    assert "mån-tors 9-15" in page
    assert "ma-to 9-15" not in page


def test_finnish_bulletin_on_the_english_site_carries_lang_fi_X_1_TEN_9(client, household):
    bulletin = BulletinFactory.create(
        title="Vesikatko tiistaina", body="Vesi on poikki klo 9-12.", audience=Bulletin.Audience.EVERYONE
    )

    listing = _page(client, household.main_tenant, "/bulletins/", "en")
    assert re.search(rf'<a href="/bulletins/{bulletin.pk}/"\s+lang="fi">Vesikatko tiistaina</a>', listing)
    assert '<p lang="fi">Vesi on poikki klo 9-12.</p>' in listing
    dashboard = client.get("/dashboard/").content.decode()  # before reading it: the dashboard lists unread ones
    assert re.search(r'lang="fi">Vesikatko tiistaina</a>', dashboard)
    detail = client.get(f"/bulletins/{bulletin.pk}/").content.decode()
    assert re.search(r'<article lang="fi">\s*<h1>Vesikatko tiistaina</h1>', detail)


def test_translated_bulletin_has_no_foreign_lang_X_1_TEN_9(client, household):
    bulletin = BulletinFactory.create(title="Vesikatko", body="Vesi on poikki.", title_en="Water cut", body_en="No water.")

    detail = _page(client, household.main_tenant, f"/bulletins/{bulletin.pk}/", "en")
    assert "<article >" in detail or "<article>" in detail
    assert "Water cut" in detail
    assert "Vesikatko" not in detail


def test_localized_falls_back_to_finnish():
    class Office:
        opening_hours, opening_hours_sv, opening_hours_en = "ma 9-12", "", "Mon 9-12"

    assert (localized(Office(), "opening_hours", "sv").text, localized(Office(), "opening_hours", "sv").foreign) == (
        "ma 9-12",
        True,
    )
    assert localized(Office(), "opening_hours", "en").language == "en"
    assert not localized(Office(), "opening_hours", "fi").foreign
