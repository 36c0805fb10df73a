"""``enface serve --processes 2``: sessions, CSRF, throttling and metrics hold across processes."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from webapp.deploy.postgres import free_port

PASSWORD = "correct horse battery"


@pytest.fixture
def two_processes(tmp_path):
    data, metrics = tmp_path / "lib", tmp_path / "metrics"
    metrics.mkdir()
    env = dict(os.environ, ENFACE_DATA_DIR=str(data), ENFACE_AUTH="1",
               PROMETHEUS_MULTIPROC_DIR=str(metrics))
    subprocess.run([sys.executable, "-m", "webapp.cli", "users", "add", "ann", "--role", "admin"],
                   input=f"{PASSWORD}\n{PASSWORD}\n", text=True, env=env, check=True,
                   capture_output=True)
    port = free_port()
    with open(tmp_path / "server.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port),
                                 "--processes", "2", "--threads", "4"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail((tmp_path / "server.log").read_text())
            time.sleep(0.2)
    yield base, metrics
    proc.terminate()
    proc.wait(timeout=30)


def browser_like():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def csrf(opener, base: str, path: str = "/login") -> str:
    html = opener.open(base + path).read().decode()
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(opener, base: str, path: str, **fields):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Origin": base})
    try:
        return opener.open(request)
    except urllib.error.HTTPError as exc:
        return exc


def test_a_session_and_its_csrf_token_hold_in_every_process(two_processes):
    base, metrics = two_processes
    opener = browser_like()
    signed = post(opener, base, "/login", name="ann", password=PASSWORD,
                  csrf_token=csrf(opener, base))
    assert signed.status == 200 and signed.url.rstrip("/") == base  # at the library
    for _ in range(40):  # whichever process answers knows the session
        page = opener.open(base + "/")
        assert page.url.rstrip("/") == base, "sent to the sign-in page"
        page.read()
    token = csrf(opener, base, "/glossary")
    added = post(opener, base, "/glossary", source="帕特鲁舍夫", target="Patrushev",
                 csrf_token=token)
    assert added.status in (200, 201)
    assert "Patrushev" in opener.open(base + "/glossary").read().decode()
    pids = {name.rsplit("_", 1)[-1] for name in os.listdir(metrics)}
    assert len(pids) >= 2, os.listdir(metrics)  # both processes answered
    text = opener.open(base + "/metrics").read().decode()
    served = sum(float(n) for n in re.findall(
        r'^enface_http_requests_total\{endpoint="pages.library",method="GET",status="200"\} (\S+)',
        text, re.M))
    assert served >= 40  # added up over the processes


def test_failed_sign_ins_are_counted_across_processes(two_processes):
    base, _ = two_processes
    codes = []
    for _ in range(12):
        opener = browser_like()
        codes.append(post(opener, base, "/login", name="ann", password="wrong password",
                          csrf_token=csrf(opener, base)).status)
    assert codes[:10] == [401] * 10  # refused
    assert codes[10:] == [429, 429]  # the eleventh and later wait, whichever process they reach
