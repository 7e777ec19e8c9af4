"""Every page family, in Finnish, Swedish and English, is valid HTML to the W3C Nu HTML checker
(X-2) and keeps three rules of the IBM Equal Access checker: the skip link inside a landmark, a
distinct accessible name for each form, and only valid autocomplete values (WCAG 1.3.5, 2.4.1, 4.1.2).

All pages go to the checker in one run of Java, so that the test takes seconds, not minutes."""

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from lxml import html

from tests.conftest import make_household
from tests.html_checker import nu_errors
from tests.page_catalogue import page_data, rendered_pages

LANGUAGES = ("fi", "sv", "en")
# The pages are rendered once for the module (see `pages`); the mark makes pytest-django set up the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker, tmp_path_factory) -> list[tuple[str, str, str, str]]:
    """(language, name, path, HTML) of every page family in every language, rendered once for the
    module in a transaction that is rolled back."""
    storage: dict[str, dict[str, Any]] = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path_factory.mktemp("media")}},
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storage), transaction.atomic():
        h = page_data(make_household(timezone.localdate()))
        rendered = [(language, *page) for language in LANGUAGES for page in rendered_pages(h, language)]
        transaction.set_rollback(True)
    return rendered


@pytest.mark.vnu
def test_every_page_family_is_valid_html_in_fi_sv_en_X_2(pages, tmp_path):
    files = {}
    for number, (language, name, _path, text) in enumerate(pages):
        file = tmp_path / f"page-{number:03d}-{language}.html"
        file.write_text(text, encoding="utf-8")
        files[file.as_uri()] = f"{language} {name}"
    assert len(files) > 150

    errors = nu_errors([Path(uri.removeprefix("file://")) for uri in files])

    report = [f"{files.get(error['url'], error['url'])}: {error['message']} [{error.get('extract', '')!r}]" for error in errors]
    assert not report, f"{len(report)} error(s):\n" + "\n".join(report[:60])


# -- IBM Equal Access rules ----------------------------------------------------------------------

LANDMARKS = {"header", "nav", "main", "footer", "aside"}
LANDMARK_ROLES = {"banner", "navigation", "main", "contentinfo", "complementary", "region", "search", "form"}
# The autofill field names of HTML by control group (HTML 5.2, 4.10.18.7.1), and the input types
# each group may be used on; a textarea and a select may take any of them, but "street-address"
# and the other multi-line names only those two.
AUTOFILL_GROUPS = {
    "text": (
        "name honorific-prefix given-name additional-name family-name honorific-suffix nickname organization-title "
        "username organization address-line1 address-line2 address-line3 address-level4 address-level3 address-level2 "
        "address-level1 country country-name postal-code cc-name cc-given-name cc-additional-name cc-family-name "
        "cc-number cc-type transaction-currency language sex tel-country-code tel-national tel-area-code tel-local "
        "tel-local-prefix tel-local-suffix tel-extension one-time-code"
    ),
    "multiline": "street-address",
    "password": "new-password current-password",
    "url": "url photo impp",
    "email": "email",
    "tel": "tel",
    "numeric": "cc-exp-month cc-exp-year transaction-amount bday-day bday-month bday-year",
    "month": "cc-exp",
    "date": "bday",
}
GROUP_INPUT_TYPES = {
    "text": {"text", "search"},
    "multiline": set(),
    "password": {"text", "search", "password"},
    "url": {"text", "search", "url"},
    "email": {"text", "search", "email"},
    "tel": {"text", "search", "tel"},
    "numeric": {"text", "search", "number"},
    "month": {"text", "search", "month"},
    "date": {"text", "search", "date"},
}
GROUP_OF = {name: group for group, names in AUTOFILL_GROUPS.items() for name in names.split()}
CONTACT_PREFIXES = {"home", "work", "mobile", "fax", "pager"}
CONTACT_FIELDS = {"email", "impp", "tel"}


def _in_landmark(element) -> bool:
    return any(ancestor.tag in LANDMARKS or ancestor.get("role") in LANDMARK_ROLES for ancestor in element.iterancestors())


def _accessible_name(form, document) -> str:
    if form.get("aria-label"):
        return form.get("aria-label").strip()
    if form.get("aria-labelledby"):
        return " ".join(
            " ".join(document.get_element_by_id(ref).text_content().split())
            for ref in form.get("aria-labelledby").split()
            if document.xpath(f"//*[@id='{ref}']")
        )
    return ""


def _autocomplete_problem(element) -> str | None:
    """The ACT rule 73f2c2 "autocomplete attribute has valid value", which IBM's checker applies."""
    value = " ".join(element.get("autocomplete", "").lower().split())
    if value in ("", "on", "off") or element.get("type") == "hidden":
        return None
    tokens = value.split(" ")
    if tokens[0].startswith("section-"):
        tokens = tokens[1:]
    if tokens and tokens[0] in ("shipping", "billing"):
        tokens = tokens[1:]
    if len(tokens) == 2 and tokens[0] in CONTACT_PREFIXES and (tokens[1] in CONTACT_FIELDS or tokens[1].startswith("tel-")):
        tokens = tokens[1:]
    if len(tokens) != 1 or tokens[0] not in GROUP_OF:
        return f"invalid autocomplete {value!r}"
    group = GROUP_OF[tokens[0]]
    if element.tag == "select" or (element.tag == "textarea" and group in ("text", "multiline")):
        return None
    if element.tag == "input" and (element.get("type") or "text") in GROUP_INPUT_TYPES[group]:
        return None
    return f"{value!r} is not for a field of type {element.get('type') or element.tag!r}"


def test_the_skip_link_is_inside_a_landmark_on_every_page_IBM_skip_main_exists(pages):
    problems = []
    for language, name, _path, text in pages:
        document = html.fromstring(text)
        skip = document.xpath("//a[contains(concat(' ', @class, ' '), ' skip-link ')]")
        if not skip:
            continue  # the admin's own pages and bare error pages
        if not _in_landmark(skip[0]):
            problems.append(f"{language} {name}")
        target = skip[0].get("href", "").removeprefix("#")
        if not document.xpath(f"//*[@id='{target}']"):
            problems.append(f"{language} {name}: the skip link's target #{target} is missing")
    assert not problems, problems


def test_forms_on_a_page_have_distinct_accessible_names_IBM_form_label_unique(pages):
    problems = []
    for language, name, _path, text in pages:
        document = html.fromstring(text)
        forms = document.xpath("//form")
        if not forms:
            continue
        # The phone menu repeats the desktop navigation, and only one of them is shown at a time.
        shown = [form for form in forms if not form.xpath("ancestor::nav[contains(@class, 'site-nav-narrow')]")]
        names = Counter(_accessible_name(form, document) for form in shown)
        unnamed = names.pop("", 0) + sum(1 for form in forms if form not in shown and not _accessible_name(form, document))
        duplicates = [form_name for form_name, count in names.items() if count > 1]
        if unnamed or duplicates:
            problems.append(f"{language} {name}: {unnamed} form(s) without a name, repeated names {duplicates}")
    assert not problems, "\n".join(problems)


def test_autocomplete_values_are_valid_for_their_fields_IBM_input_autocomplete_valid(pages):
    problems = []
    for language, name, _path, text in pages:
        for element in html.fromstring(text).xpath(
            "//input[@autocomplete] | //textarea[@autocomplete] | //select[@autocomplete]"
        ):
            if problem := _autocomplete_problem(element):
                problems.append(f"{language} {name}: <{element.tag} name={element.get('name')!r}> {problem}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_timeline_times_have_a_valid_datetime_without_microseconds_X_2(pages):
    """The Nu checker allows at most three digits of a second's fraction."""
    stamps = [
        (language, name, value)
        for language, name, _path, text in pages
        for value in re.findall(r'<time datetime="([^"]+)"', text)
    ]
    assert stamps, "the catalogue shows request timelines"
    bad = [stamp for stamp in stamps if re.search(r"\.\d{4,}", stamp[2])]
    assert not bad, bad
