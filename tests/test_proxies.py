"""Trusted proxies (ENFACE_PROXIES): the settings ``enface serve`` hands to waitress, and the same
trust for servers that do not read proxy headers themselves. nginx in front of the real server
is tested in tests/e2e/test_proxy_e2e.py."""

from __future__ import annotations

import http.client
import threading

import pytest
import sqlalchemy as sa
from auth_helpers import add_user, sign_in
from click.testing import CliRunner

from webapp import create_app
from webapp.cli import main
from webapp.web.proxies import proxy_trust, waitress_options

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
             "X-Forwarded-Host": "reader.example", "X-Forwarded-Port": "443"}


def test_waitress_options_trust_the_proxy_only_when_told():
    assert waitress_options({"PROXIES": 0}) == {"clear_untrusted_proxy_headers": True}
    options = waitress_options({"PROXIES": 2, "TRUSTED_PROXY": "10.0.0.5"})
    assert options["trusted_proxy"] == "10.0.0.5" and options["trusted_proxy_count"] == 2
    assert set(options["trusted_proxy_headers"].split()) == {
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}
    assert options["clear_untrusted_proxy_headers"] is True
    assert proxy_trust({"PROXIES": 1}).peer == "*"


def test_enface_serve_hands_the_proxy_settings_to_waitress(tmp_path, monkeypatch):
    import waitress

    seen: dict = {}

    class Stop(Exception):
        pass

    def create_server(app, **options):
        seen.update(options, app=app)
        raise Stop

    monkeypatch.setattr(waitress, "create_server", create_server)
    env = {"ENFACE_PROXIES": "1", "ENFACE_SEED": "0", "ENFACE_WORKER": "0"}
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "lib"), "serve", "--port",
                                       "0"], env=env)
    assert isinstance(result.exception, Stop), result.output
    assert seen["trusted_proxy"] == "*" and seen["trusted_proxy_count"] == 1
    assert "x-forwarded-proto" in seen["trusted_proxy_headers"]
    assert seen["app"].config["SERVER_READS_PROXY_HEADERS"]  # not read twice
    seen["app"].extensions["library"].close()


@pytest.fixture
def serve_with_waitress():
    """``serve(app, options)``: the app under waitress in a thread (stopped after the test)."""
    from waitress import create_server, wasyncore

    running = []

    def serve(app, options: dict):
        server = create_server(app, host="127.0.0.1", port=0, threads=2, **options)
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                wasyncore.loop(timeout=0.05, map=server._map, count=1)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        running.append((server, stop, thread))
        return server

    yield serve
    for server, stop, thread in running:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.parametrize("proxies", [0, 1])
def test_waitress_with_these_options_believes_the_proxy_only_when_told(tmp_path, proxies,
                                                                       serve_with_waitress):
    app = create_app({"DATA_DIR": str(tmp_path), "SEED": False, "WORKER": False, "AUTH": True,
                      "PROXIES": proxies, "ALLOWED_HOSTS": "reader.example",
                      "SERVER_READS_PROXY_HEADERS": True})
    server = serve_with_waitress(app, waitress_options(app.config))
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        conn.request("POST", "/login", body="name=x&password=y",
                     headers={**FORWARDED, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        conn.close()
        # No CSRF token: refused (403) either way, but the app saw who asked, and how.
        assert response.status == 403
        cookie = response.getheader("Set-Cookie") or ""
        assert ("Secure" in cookie) == bool(proxies)
        conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        conn.request("GET", "/login", headers={**FORWARDED, "Host": "evil.example"})
        status = conn.getresponse().status
        conn.close()
        # With the proxy trusted the forwarded host (an allowed one) is the host; without,
        # the Host header (not allowed) is.
        assert status == (200 if proxies else 400)
    finally:
        app.extensions["library"].close()


def test_other_servers_trust_only_the_named_proxy(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path), "SEED": False, "WORKER": False, "AUTH": True,
                      "PROXIES": 1, "TRUSTED_PROXY": "10.0.0.5", "ALLOWED_HOSTS": "reader.example"})
    add_user(app.extensions["library"], "ann", "reader")
    library = app.extensions["library"]
    for peer in ("10.0.0.5", "10.0.0.6"):
        client = app.test_client()
        page = client.get("/login", headers=FORWARDED, environ_base={"REMOTE_ADDR": peer})
        assert ("Secure" in page.headers["Set-Cookie"]) == (peer == "10.0.0.5")
        response = sign_in(client, "ann", "wrong password", headers=FORWARDED,
                           environ_base={"REMOTE_ADDR": peer})
        assert response.status_code == 401
    addresses = [r["address"] for r in
                 library.db.rows(sa.text("SELECT address FROM login_failure"))]
    assert sorted(addresses) == ["10.0.0.6", "203.0.113.9"]
    library.close()
