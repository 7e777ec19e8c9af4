"""Reading the e-mails the portal sent (django.core.mail.outbox), typed."""

import re
from email.message import Message

from django.core.mail import EmailMessage, EmailMultiAlternatives


def html_part(message: EmailMessage) -> str:
    """The HTML alternative every e-mail of the portal carries next to its plain text."""
    assert isinstance(message, EmailMultiAlternatives), "an e-mail with an HTML part"
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    return str(content)


def found(pattern: str | re.Pattern[str], text: str, group: int = 0) -> str:
    """What `pattern` finds in `text`; the test fails when it finds nothing."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not found"
    return match.group(group)


def text_of(message: EmailMessage) -> str:
    """The plain-text body."""
    return str(message.body)


def payload_text(part: Message) -> str:
    """The decoded text of one part of a MIME message read from the SMTP server."""
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes), "a single, non-multipart part"
    return payload.decode(part.get_content_charset() or "utf-8")
