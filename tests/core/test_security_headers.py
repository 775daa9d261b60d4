import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_no_template_uses_inline_event_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "xieshang"
    offenders = [str(p.relative_to(root)) for p in root.glob("**/templates/**/*.html")
                 if re.search(r"\son[a-z]+=\"", p.read_text())]
    assert not offenders, f"inline handlers are blocked by the CSP: {offenders}"


def test_clickjacking_and_sniffing_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
