"""The server's own worker ends with the server, however the server ended: killed outright
(SIGKILL), or terminated (SIGTERM) — no orphan worker keeps running jobs and CPU."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_the_embedded_worker_ends_with_the_server(tmp_path, how):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, ENFACE_DATA_DIR=str(tmp_path / "lib"), ENFACE_SEED="0")
    server = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (workers := children(server.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers, "the server started no worker"
    server.send_signal(how)
    server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while not all(gone(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [w for w in workers if not gone(w)]
    for orphan in left:  # (this test's own, by pid)
        os.kill(orphan, signal.SIGKILL)
    assert left == []
