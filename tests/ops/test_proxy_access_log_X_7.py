"""The proxy's access log (deploy/nginx.conf) keeps no e-mailed link's token and no query string (X-6, X-7).

The real nginx runs the project's own server block, pointed at a port where nothing listens: the
502 it answers is logged like any request, which is all this test reads.
"""

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.nginx

SECRET = "Zm9vYmFy.live-token_123"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def proxy(tmp_path: Path):
    port = _free_port()
    site = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    site = (
        site.replace("resolver 127.0.0.11 valid=10s ipv6=off;", "resolver 127.0.0.1;")
        .replace("set $web http://web:8000;", f"set $web http://127.0.0.1:{_free_port()};")
        .replace("listen 8080;", f"listen 127.0.0.1:{port};")
        .replace("access_log /dev/stdout heka_redacted;", f"access_log {tmp_path}/access.log heka_redacted;")
    )
    assert f"{tmp_path}/access.log" in site, "the server block no longer logs with the redacting format"
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {tmp_path};\n  include {tmp_path}/site.conf;\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], check=True)
    try:
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port, tmp_path / "access.log"
    finally:
        subprocess.run([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-s", "stop"], check=False)


def _get(port: int, path: str) -> None:
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/accounts/activate/{SECRET}/", "/accounts/activate/[token]/"),
        (f"/accounts/password/reset/key/{SECRET}/", "/accounts/password/reset/key/[token]/"),
        (f"/applications/link/{SECRET}/confirm/", "/applications/link/[token]/confirm/"),
        (f"/applications/username/{SECRET}/", "/applications/username/[token]/"),
        (f"/saml/acs/finish/{SECRET}/", "/saml/acs/finish/[token]/"),
        (f"/bookings/calendar/{SECRET}.ics", "/bookings/calendar/[token]"),
        (f"/dashboard/?next={SECRET}", "/dashboard/"),
    ],
)
def test_the_proxy_logs_links_without_their_token_or_query_X_7(proxy, path, logged):
    port, log = proxy
    _get(port, path)
    for _ in range(50):
        if log.exists() and log.read_text():
            break
        time.sleep(0.1)
    text = log.read_text()
    assert f"GET {logged} HTTP/1.1" in text
    assert SECRET not in text


def test_the_proxy_keeps_the_fixed_pages_beside_the_tokens_X_7(proxy):
    port, log = proxy
    _get(port, "/accounts/password/reset/key/sent/")
    for _ in range(50):
        if log.exists() and log.read_text():
            break
        time.sleep(0.1)
    assert "GET /accounts/password/reset/key/sent/ HTTP/1.1" in log.read_text()
