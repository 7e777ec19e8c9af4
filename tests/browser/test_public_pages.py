"""The front page and the help page in headless Chromium, in every language and at both widths."""

import pytest

LANGUAGES = ["fi", "sv", "en"]
VIEWPORTS = ["phone", "desktop"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", ["/", "/help/", "/accessibility/"])
def test_public_page_renders_and_passes_axe_X_1_X_2(open_page, assert_accessible, screenshot, language, viewport, path):
    page = open_page(viewport=viewport, language=language)
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    name = path.strip("/") or "home"
    screenshot(page, f"public-{name}-{language}-{viewport}")


@pytest.mark.django_db(transaction=True)
def test_language_switcher_changes_language_X_1(open_page):
    page = open_page(language="fi")
    page.goto("/")
    page.get_by_role("button", name="Svenska").or_(page.get_by_role("link", name="Svenska")).first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
