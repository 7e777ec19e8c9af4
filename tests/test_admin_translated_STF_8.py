"""STF-8: the admin is complete in Finnish and Swedish, help texts included: no page of the admin,
walked in fi and sv over the demo data, shows an English text that a catalogue translates, and the
admin's JavaScript strings (the help of the two-box selector) are translated too."""

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import django
import polib
import pytest
from django.apps import apps
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


def catalogue_state(language: str) -> tuple[set[str], set[str]]:
    """The msgids of our catalogue and of Django's that are translated, and those that are kept
    the same on purpose (a msgstr equal to its msgid, such as "IBAN")."""
    translated, same = set(), set()
    folders = [Path(django.__file__).parent / "conf" / "locale", OUR_LOCALE]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    for folder in folders:
        path = folder / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.translated():
                translated.add(entry.msgid)
                if entry.msgstr == entry.msgid:
                    same.add(entry.msgid.lower())  # "person" is also a Swedish word, and so is "Person"
    return translated, same


def admin_labels(request) -> list[tuple[str, str, object]]:
    """(where, what, text) for every label staff read in the admin, without rendering a page:
    verbose names, field labels and help texts of the add and change forms, actions and filters."""
    labels: list[tuple[str, str, object]] = []
    for model, registered in admin.site._registry.items():
        # Read the way the admin reads its options: each may be any of the forms Django accepts.
        model_admin: Any = registered
        where = f"{model._meta.app_label}.{model.__name__}"
        labels += [
            (where, "verbose_name", model._meta.verbose_name),
            (where, "verbose_name_plural", model._meta.verbose_name_plural),
        ]
        labels.append((where, "app verbose_name", model._meta.app_config.verbose_name))
        first = model._default_manager.order_by("pk").first()
        for obj in (None, first) if first is not None else (None,):
            if obj is None and not model_admin.has_add_permission(request):
                continue
            form = model_admin.get_form(request, obj)
            for name, field in form.base_fields.items():
                labels += [(where, f"label of {name}", field.label), (where, f"help text of {name}", field.help_text)]
            for name in model_admin.get_readonly_fields(request, obj):
                try:
                    model_field = model._meta.get_field(name)
                except Exception:
                    attribute = getattr(model_admin, name, None)
                    labels.append((where, f"read-only {name}", getattr(attribute, "short_description", None)))
                else:
                    labels.append((where, f"read-only {name}", getattr(model_field, "verbose_name", None)))
        for name, (_function, _name, description) in model_admin.get_actions(request).items():
            labels.append((where, f"action {name}", description))
        for spec in model_admin.get_list_filter(request):
            if isinstance(spec, str | tuple):
                path = spec[0] if isinstance(spec, tuple) else spec
                target, *rest = path.split("__")
                filtered: Any = model._meta.get_field(target)
                for part in rest:
                    filtered = filtered.related_model._meta.get_field(part)
                labels.append((where, f"filter {path}", filtered.verbose_name))
            else:
                labels.append((where, f"filter {spec.__name__}", spec.title))
        for name in model_admin.get_list_display(request):
            if name == "__str__":
                continue
            try:
                column: Any = model._meta.get_field(name)
                labels.append((where, f"column {name}", column.verbose_name))
            except Exception:
                attribute = getattr(model_admin, name, None) or getattr(model, name, None)
                labels.append((where, f"column {name}", getattr(attribute, "short_description", None)))
    return [(where, what, text) for where, what, text in labels if text]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_admin_label_help_text_action_and_filter_is_translated_STF_8(demo_admin, rf, language):
    """Every registered ModelAdmin, read as staff read it: a verbose name, field label, help text,
    action or filter title that reads the same in `language` as in English is untranslated (unless
    the catalogue keeps it the same on purpose), whether or not a page of the demo shows it."""
    request = rf.get("/admin/")
    request.user = User.objects.get(email="staff@heka.example")
    translated, same = catalogue_state(language)
    # The admin builds some texts with gettext as it makes a form: read each in its own language.
    with translation.override("en"):
        english = {(where, what): str(text) for where, what, text in admin_labels(request)}
    with translation.override(language):
        shown = {(where, what): str(text) for where, what, text in admin_labels(request)}
    untranslated = []
    for (where, what), text in shown.items():
        if text == english.get((where, what)) and text.strip().lower() not in same:
            reason = "in no catalogue" if text.strip() not in translated else "not marked for translation"
            untranslated.append(f"{where} {what}: {text!r} ({reason})")
    assert not untranslated, f"{len(untranslated)} untranslated in {language}:\n" + "\n".join(sorted(set(untranslated)))
