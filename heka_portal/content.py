"""Content written in several languages by staff or the ERP system: bulletins, building information,
opening hours. Finnish is required (the register's language) and `<field>_sv`, `<field>_en` are
optional translations. A visitor gets the version in their language, or the Finnish one, and text
shown in another language than the page's is marked with `lang` (WCAG 3.1.2)."""

from dataclasses import dataclass

from django.utils.translation import get_language

CONTENT_LANGUAGE = "fi"


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str  # the language the text is written in
    page_language: str

    @property
    def foreign(self) -> bool:
        """Whether the text needs its own `lang`, being in another language than the page."""
        return bool(self.text) and self.language != self.page_language

    def __str__(self) -> str:
        return self.text


def localized(obj: object, field: str, language: str | None = None) -> LocalizedText:
    """`obj.<field>_<language>` when written, otherwise the Finnish `obj.<field>`."""
    page_language = (language or get_language() or CONTENT_LANGUAGE)[:2]
    if page_language != CONTENT_LANGUAGE:
        translated = getattr(obj, f"{field}_{page_language}", "")
        if translated:
            return LocalizedText(translated, page_language, page_language)
    return LocalizedText(getattr(obj, field, "") or "", CONTENT_LANGUAGE, page_language)
