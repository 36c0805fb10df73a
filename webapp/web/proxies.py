"""Trusting the proxies in front (``ENFACE_PROXIES``): one description of whom to trust, handed
to whichever server runs the app.

Behind a TLS proxy the client's address, scheme, host and port arrive in ``X-Forwarded-*``
headers. They are believed only with ``ENFACE_PROXIES=N`` (N proxies in front: the Nth value
from the right is the client) and only from the peer ``ENFACE_TRUSTED_PROXY`` (default ``*``:
any peer, right when the server listens on loopback); from anyone else they are dropped.

- ``enface serve`` (waitress) reads them itself: :func:`waitress_options`.
- Any other WSGI server (``flask run``, the test client, a multi-process server such as
  gunicorn) runs the app as ``create_app`` wraps it: :func:`wrap`, werkzeug's ProxyFix with the
  same count, applied to the trusted peer only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

#: The headers a trusted proxy sets (nginx: X-Forwarded-For/-Proto/-Host/-Port).
HEADERS = ("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port")
_ENVIRON = tuple("HTTP_" + h.upper().replace("-", "_") for h in (*HEADERS, "x-forwarded-prefix",
                                                                 "forwarded"))

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


@dataclass(frozen=True)
class ProxyTrust:
    """How many proxies stand in front, and the address the nearest one connects from."""

    count: int
    peer: str = "*"  # "*": any peer may be the proxy


def proxy_trust(settings: Mapping[str, Any]) -> ProxyTrust | None:
    """The proxies to trust by the settings (``PROXIES``, ``TRUSTED_PROXY``), or None."""
    count = int(settings.get("PROXIES") or 0)
    if count <= 0:
        return None
    return ProxyTrust(count, (settings.get("TRUSTED_PROXY") or "*").strip() or "*")


def waitress_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """waitress's own proxy settings: trust the proxy's ``X-Forwarded-*`` headers, drop them
    from anyone else (and all of them when no proxy is trusted)."""
    trust = proxy_trust(settings)
    if trust is None:
        return {"clear_untrusted_proxy_headers": True}
    return {"trusted_proxy": trust.peer, "trusted_proxy_count": trust.count,
            "trusted_proxy_headers": " ".join(HEADERS), "clear_untrusted_proxy_headers": True}


def wrap(wsgi_app: WSGIApp, settings: Mapping[str, Any]) -> WSGIApp:
    """``wsgi_app`` reading the trusted proxy's headers itself, for servers that do not."""
    trust = proxy_trust(settings)
    if trust is None:
        return wsgi_app
    n = trust.count
    fixed = ProxyFix(wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    if trust.peer == "*":
        return fixed

    def from_trusted_peer_only(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REMOTE_ADDR") == trust.peer:
            return fixed(environ, start_response)
        for key in _ENVIRON:
            environ.pop(key, None)
        return wsgi_app(environ, start_response)

    return from_trusted_peer_only
