"""X-2: forms work with the keyboard alone, and every error message is tied to its field."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Sal4sana!x"

TIED_ERRORS = """() => {
    const problems = [];
    for (const field of document.querySelectorAll('[aria-invalid="true"]')) {
        const holder = field.closest('fieldset[aria-describedby]') || field;
        const ids = (holder.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
        const texts = ids.map(id => document.getElementById(id)).filter(Boolean).map(el => el.textContent.trim());
        if (!texts.some(text => text.length > 0)) problems.push(field.name || field.id);
    }
    return {invalid: document.querySelectorAll('[aria-invalid="true"]').length, problems};
}"""


def test_resident_logs_in_with_the_keyboard_alone_X_2_ACC_6(household, open_page):
    User.objects.create_user("maija@example.com", PASSWORD, person=household.main_tenant)
    page = open_page(viewport="phone", language="fi")
    page.goto("/accounts/login/")
    page.locator("input[name=login]").focus()
    page.keyboard.type("maija@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")
    assert page.locator("h1").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/economy/agreements/{agreement.pk}/occupant-changes/new/",
        "/requests/defects/new/",
        "/requests/messages/new/",
    ],
)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_errors_are_tied_to_their_fields_after_a_keyboard_submit_X_2(household, open_page, path, language):
    user = User.objects.create_user("maija@example.com", PASSWORD, person=household.main_tenant)
    page = open_page(viewport="phone", language=language, user=None if "login" in path else user)
    page.goto(path.format(**vars(household)))
    submit = page.locator("main form button[type=submit], main form input[type=submit]").last
    submit.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    result = page.evaluate(TIED_ERRORS)
    assert result["invalid"] > 0, f"{path}: an empty form should show field errors"
    assert not result["problems"], f"{path}: errors not tied to {result['problems']}"
