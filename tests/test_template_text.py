"""Templates hold no visible text outside translation tags, so every page speaks fi, sv and en (X-1)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Text that is the same in every language: product names, symbols, separators.
LANGUAGE_NEUTRAL = {"Heka", "Suomi.fi", "H", "€", "—", "–", "·", "/", "|", ":", "(", ")", ",", ".", "%", "*", "m²"}  # noqa: RUF001
# Names of languages are written in their own language on purpose (the language switcher).
SKIP_FILES = {"includes/language_switcher.html"}

BLOCK_TRANSLATE = re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<!--.*?-->", re.S)
HTML = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
ATTRIBUTE = re.compile(r"""\b(?:alt|aria-label|title|placeholder)=(["'])(.*?)\1""", re.S)


def _visible_words(text: str) -> list[str]:
    text = COMMENT.sub(" ", text)
    text = BLOCK_TRANSLATE.sub(" ", text)
    text = TAG.sub(" ", text)
    text = HTML.sub(" ", text)
    text = ENTITY.sub(" ", text)
    return [word for word in text.split() if word not in LANGUAGE_NEUTRAL and re.search(r"[A-Za-zÅÄÖåäö]", word)]


def test_templates_have_no_untranslated_text_X_1():
    offenders = {}
    for template in sorted(TEMPLATES.rglob("*.html")):
        name = str(template.relative_to(TEMPLATES))
        if name in SKIP_FILES:
            continue
        text = template.read_text()
        words = _visible_words(text)
        words += [
            value
            for _, value in ATTRIBUTE.findall(text)
            if "{" not in value and re.search(r"[A-Za-zÅÄÖåäö]", value) and value not in LANGUAGE_NEUTRAL
        ]
        if words:
            offenders[name] = " ".join(words)[:120]
    assert not offenders, "text outside {% translate %}:\n" + "\n".join(f"{k}: {v}" for k, v in offenders.items())
