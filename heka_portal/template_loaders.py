"""The portal's own HTML templates without their indentation (PAY-3).

Templates are written indented, as djlint formats them, and most of a page's bytes were that
indentation: a long list repeats it for every row. The loader removes it when a template is read,
once per process (the cached loader keeps the compiled result), so a request pays nothing.

Only the indentation at the start of a line, blank lines and the line break after a line of tags
that print nothing go: any other line break stays, so no two words run together. Left as written:
`<pre>` and `<textarea>`, where white space is content, and a `{% blocktranslate %}` without
`trimmed`, whose text is the message id in the catalogues. What a template inserts when it
renders (a resident's text, a form's value) is not touched at all. Django's and the libraries'
templates (admin, allauth) are read as they are.
"""

import re

from django.template import Origin
from django.template.loaders.filesystem import Loader as FilesystemLoader

# The parts of a template whose white space is kept as written.
_KEEP = re.compile(
    r"<pre\b.*?</pre>"
    r"|<textarea\b.*?</textarea>"
    r"|\{%\s*blocktrans(?:late)?\b(?![^%]*\btrimmed\b)[^%]*%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}",
    re.DOTALL | re.IGNORECASE,
)
_INDENTATION = re.compile(r"\n[ \t]+")
_BLANK_LINES = re.compile(r"\n{2,}")
# A line of tags that render nothing themselves (conditions, loops, loading, `... as name`) or
# of comments: its line break would only leave an empty line in the page. A line that ends in
# such a tag starts on a new line, so dropping the break after it never joins two words.
_SILENT_NAMES = "if|elif|else|endif|for|empty|endfor|with|endwith|load|block|endblock|extends"
_SILENT_TAG = rf"\{{%\s*(?:(?:{_SILENT_NAMES})\b[^\n%]*|[^\n%]*\sas\s+\w+\s*)%\}}|\{{#[^\n#]*#\}}"
_SILENT_LINE = re.compile(rf"^([ \t]*(?:{_SILENT_TAG})(?:[ \t]*(?:{_SILENT_TAG}))*)[ \t]*\n", re.MULTILINE)


def _compact_part(text: str) -> str:
    text = _INDENTATION.sub("\n", text)
    return _BLANK_LINES.sub("\n", _SILENT_LINE.sub(r"\1", text))


def compact_template(source: str) -> str:
    """`source` with the indentation of its lines and its blank lines removed, except where kept."""
    parts: list[str] = []
    position = 0
    for kept in _KEEP.finditer(source):
        parts.append(_compact_part(source[position : kept.start()]))
        parts.append(kept.group(0))
        position = kept.end()
    parts.append(_compact_part(source[position:]))
    return "".join(parts).lstrip(" \t")


class CompactLoader(FilesystemLoader):
    """The filesystem loader (TEMPLATES' DIRS, the portal's own templates), HTML compacted."""

    def get_contents(self, origin: Origin) -> str:
        contents = super().get_contents(origin)
        if str(origin.name).endswith(".html"):
            return compact_template(contents)
        return contents
