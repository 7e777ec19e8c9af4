"""Finnish and Swedish are complete: no missing or fuzzy translation, and the compiled catalogues
match the sources (X-1)."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_string_is_translated_X_1(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_compiled_catalogue_matches_its_source_X_1(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(folder / "django.po")).translated_entries()}
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(folder / "django.mo")) if entry.msgid}
    assert compiled == source, "locale/*.mo are out of date: run manage.py compilemessages"


def test_the_admins_javascript_catalogue_is_complete_and_compiled_STF_8():
    """locale/fi/LC_MESSAGES/djangojs.po adds what Django's Finnish admin JavaScript lacks."""
    folder = LOCALE / "fi" / "LC_MESSAGES"
    catalogue = polib.pofile(str(folder / "djangojs.po"))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(folder / "djangojs.mo")) if entry.msgid}
    assert compiled == {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}
