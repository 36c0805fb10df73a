"""Behind a real TLS proxy: Debian's nginx with a self-signed certificate in front of the real
``ENFACE_AUTH=1 ENFACE_PROXIES=1 enface serve``, as the README recommends for a team.

Checks the four things a proxy must not break: the session cookie is ``Secure``, sign-in
throttling counts each client (not the proxy), the JSON API accepts the site's own HTTPS origin,
and the Host allow-list still refuses other names.
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from auth_helpers import PASSWORD, add_user

from webapp.storage import Library

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name _;
        ssl_certificate {root}/cert.pem;
        ssl_certificate_key {root}/key.pem;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Forwarded-Port $server_port;
        }}
    }}
}}
"""


def write_certificate(root: Path) -> None:
    """A self-signed certificate for localhost, enface.test and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "enface.test")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.DNSName("enface.test"),
             x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(key, hashes.SHA256()))
    (root / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


@pytest.fixture
def proxied(tmp_path, launch):
    """nginx (TLS) → ``enface serve`` with accounts and one trusted proxy; yields nginx's port."""
    if not Path(NGINX).exists():
        pytest.fail("nginx not found: run tests/system-deps.sh")
    library = Library(tmp_path / "lib" / "library.sqlite3")
    add_user(library, "ann", "editor")
    library.close()
    app_port, port = launch.free_port(), launch.free_port()
    app = launch.start_server(tmp_path / "lib", tmp_path / "server.log", app_port,
                       {"ENFACE_AUTH": "1", "ENFACE_PROXIES": "1",
                        "ENFACE_ALLOWED_HOSTS": "enface.test"})
    root = tmp_path / "nginx"
    root.mkdir()
    write_certificate(root)
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port, app_port=app_port))
    proxy = subprocess.Popen([NGINX, "-p", str(root), "-e", str(root / "error.log"),
                              "-c", str(root / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                Client(port).request("GET", "/login")
                break
            except OSError:
                if proxy.poll() is not None or time.monotonic() > deadline:
                    log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
                    pytest.fail(f"nginx did not start:\n{log}")
                time.sleep(0.1)
        yield port
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        app.terminate()
        app.wait(timeout=10)


class Client:
    """A tiny HTTPS client from a chosen loopback address, keeping its session cookie."""

    def __init__(self, port: int, source: str = "127.0.0.1", host: str = "localhost") -> None:
        self.port, self.source, self.host = port, source, host
        self.cookie: str | None = None
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE  # self-signed

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls,
                                           source_address=(self.source, 0), timeout=10)
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
                response.set_cookie = value
        conn.close()
        return response

    def sign_in(self, name: str, password: str, **headers: str) -> http.client.HTTPResponse:
        page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        from urllib.parse import urlencode

        form = urlencode({"name": name, "password": password, "csrf_token": token})
        return self.request("POST", "/login", form, headers)


def test_secure_cookie_per_client_throttling_https_api_and_host_list_behind_nginx(
        proxied, browser):
    port = proxied
    # 1. The session cookie is Secure: the proxy's X-Forwarded-Proto reached the app.
    ann = Client(port, "127.0.0.3")
    signed_in = ann.sign_in("ann", PASSWORD)
    assert signed_in.status == 303, signed_in.text
    assert "Secure" in signed_in.set_cookie and "HttpOnly" in signed_in.set_cookie
    assert ann.request("GET", "/").status == 200

    # 2. Throttling counts each client: ten failures from 127.0.0.2 (under many names, and
    # claiming to be someone else in X-Forwarded-For) lock out 127.0.0.2 only.
    mallory = Client(port, "127.0.0.2")
    spoof = {"X-Forwarded-For": "198.51.100.1"}
    for i in range(10):
        assert mallory.sign_in(f"guess{i}", "wrong password", **spoof).status == 401
    blocked = mallory.sign_in("ann", PASSWORD, **spoof)
    assert blocked.status == 429 and "from your address" in blocked.text
    other = Client(port, "127.0.0.4")
    assert other.sign_in("ann", PASSWORD).status == 303  # another client is not locked out

    # 3. The JSON API accepts the site's own HTTPS origin, in real Chromium.
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    base = f"https://localhost:{port}"
    page.goto(base + "/login")
    page.get_by_label("User name").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
    cookies = [c for c in context.cookies() if c["name"] == "session"]
    assert cookies and cookies[0]["secure"] and cookies[0]["httpOnly"]
    unit = page.evaluate("""async () => {
        const doc = await (await fetch('/api/documents/1')).json();
        return doc.segments[0].units[0];
    }""")
    status = page.evaluate("""async (unit) => {
        const r = await fetch('/api/units/' + unit.id, {method: 'PATCH',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({translation: 'Through the proxy.', revision: unit.revision})});
        return r.status;
    }""", unit)
    assert status == 200
    context.close()
    forged = ann.request("PATCH", f"/api/units/{unit['id']}", body='{"translation": "y"}',
                         headers={"Content-Type": "application/json",
                                  "Origin": "https://evil.example"})
    assert forged.status == 403

    # 4. The Host allow-list: the proxy's public name is served, other names are refused.
    assert Client(port, host="enface.test").request("GET", "/login").status == 200
    refused = Client(port, host="evil.example").request("GET", "/login")
    assert refused.status == 400 and "ENFACE_ALLOWED_HOSTS" in refused.text
