"""Headers that `check --deploy` does not look at (X-8 and the hardening of the portal)."""

import pytest


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        if " style=" in text or "<style" in text or " onclick=" in text or " onload=" in text:
            offenders.append(str(template.relative_to(root)))
        for chunk in text.split("<script")[1:]:
            if " src=" not in chunk.split(">", 1)[0]:
                offenders.append(str(template.relative_to(root)))
    assert not offenders, f"inline script or style (blocked by the CSP): {offenders}"
