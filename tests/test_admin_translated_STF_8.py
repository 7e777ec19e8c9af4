"""STF-8: the admin is complete in Finnish and Swedish, help texts included: no page of the admin,
walked in fi and sv over the demo data, shows an English text that a catalogue translates, and the
admin's JavaScript strings (the help of the two-box selector) are translated too."""

import json
import re
from io import StringIO
from pathlib import Path

import django
import polib
import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from lxml import html

from accounts.models import User
from tests.mail import found

DJANGO_ADMIN_LOCALE = Path(django.__file__).parent / "contrib" / "admin" / "locale"
OUR_LOCALE = Path(__file__).resolve().parents[1] / "locale"


def english_texts(language: str) -> set[str]:
    """English texts that must not be seen in `language`: the catalogue's msgids without placeholders."""
    texts = set()
    for path in (
        DJANGO_ADMIN_LOCALE / language / "LC_MESSAGES" / "django.po",
        OUR_LOCALE / language / "LC_MESSAGES" / "django.po",
    ):
        for entry in polib.pofile(str(path)):
            if entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid or len(entry.msgid) < 4:
                continue
            texts.add(entry.msgid)
    with translation.override(language):
        return {text for text in texts if translation.gettext(text) != text}


def visible_texts(page: str) -> set[str]:
    document = html.fromstring(page)
    # Data, not the admin's own words: what staff typed (a sauna named "Sauna") and form values.
    for hidden in document.xpath("//script | //style | //textarea | //option | //td[contains(@class, 'field-sauna')]"):
        hidden.drop_tree()
    texts = {" ".join(text.split()) for text in document.xpath("//body//text()")}
    texts |= {" ".join(value.split()) for value in document.xpath("//@title | //@placeholder | //@aria-label")}
    return {text.rstrip(":") for text in texts if text}


@pytest.fixture
def demo_admin(client, settings, tmp_path, db):
    settings.HEKA_DEV_IDP_ENABLED = True
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}}}
    call_command("demo_data", stdout=StringIO())
    client.force_login(User.objects.get(email="staff@heka.example"))
    return client


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_admin_page_shows_untranslated_text_STF_8(demo_admin, language):
    demo_admin.cookies["django_language"] = language
    english = english_texts(language)
    found: dict[str, str] = {}
    for path in admin_pages_for(demo_admin):
        response = demo_admin.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for text in visible_texts(response.content.decode()) & english:
            found.setdefault(text, path)
    assert not found, "\n".join(f"{path}: {text!r}" for text, path in sorted(found.items(), key=lambda item: item[1]))


def admin_pages_for(client) -> list[str]:
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages += [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


SELECTOR_HELP = (
    'Choose %s by selecting them and then select the "Choose" arrow button.',
    'Remove %s by selecting them and then select the "Remove" arrow button.',
    "Choose all %s",
    "Remove all %s",
    "(click to clear)",
)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_admins_javascript_help_is_translated_STF_8(demo_admin, language):
    """The two-box selector of many-to-many fields read "Choose aluetoimistot by selecting them…"."""
    demo_admin.cookies["django_language"] = language
    script = demo_admin.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(found(re.compile(r"const newcatalog = (\{.*?\});", re.DOTALL), script, 1))
    for msgid in SELECTOR_HELP:
        assert catalogue.get(msgid) not in (None, "", msgid), f"{language}: {msgid!r} is not translated"
