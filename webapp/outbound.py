"""The one rule for reaching out to the network: every outbound request (a URL import, a feed,
the Argos model index, a model download) goes through :func:`open_url`.

Each hop resolves its host once, refuses private, loopback, link-local, multicast, reserved and
unspecified addresses in any notation (``127.1``, ``2130706433``, ``0x7f000001``,
``::ffff:127.0.0.1``, ``[::]``, IPv6 ULA …) unless private addresses are allowed
(``ENFACE_ALLOW_PRIVATE_URLS=1``), then connects to the very address it checked (TLS still names
the host: SNI, certificate check and ``Host`` header), so a DNS answer that changes after the
check reaches nothing. Redirects are followed here, one at a time, each checked the same way.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from webapp.errors import EnfaceError
from webapp.links import safe_url

USER_AGENT = "Enface/0.1 (bilingual reader)"
MAX_REDIRECTS = 5
ALLOW_HINT = "to fetch from your own network, set ENFACE_ALLOW_PRIVATE_URLS=1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchFailed(EnfaceError):
    """An outbound request that could not be made or answered; ``reason`` says why in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AddressRefused(FetchFailed):
    """A host that is, or resolves to, an address this server does not fetch from."""

    status = 400


@dataclass
class Opened:
    """An answered request: the response (not yet read) and the URL that answered."""

    response: urllib3.BaseHTTPResponse
    url: str


def refusal(address: Address) -> str | None:
    """Why ``address`` is not a public one ("loopback", "private" …), or None when it is.

    IPv6 forms that carry an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by it.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None and (why := refusal(inner)):
            return why
    for what, flag in (("loopback", address.is_loopback), ("unspecified", address.is_unspecified),
                       ("link-local", address.is_link_local), ("multicast", address.is_multicast),
                       ("private", address.is_private), ("reserved", address.is_reserved)):
        if flag:
            return what
    return None if address.is_global else "not public"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def literal_address(host: str) -> Address | None:
    """The address a host written as a number stands for, in every notation a resolver accepts
    (``127.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``::ffff:7f00:1``), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` stands for, asked once (a literal is not looked up, nor
    ``localhost`` and the names under it, which are loopback by definition: RFC 6761)."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    if host.lower().rstrip(".") == "localhost" or host.lower().rstrip(".").endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchFailed("could not find that host (check the address or your connection)"
                          ) from exc
    found: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise FetchFailed("could not find that host (check the address or your connection)")
    return found


def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[Address]:
    """The addresses to connect to for ``host``; AddressRefused if any of them is not public
    (unless ``allow_private``)."""
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            if why := refusal(address):
                raise AddressRefused(f"{host} is a {why} address ({address}); this server only "
                                     f"fetches from public addresses ({ALLOW_HINT})")
    return addresses


def _target(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, Host header, path and query) of an http(s) URL."""
    clean = safe_url(url)  # "http://[::1", a port out of range: not an address
    parts = urlsplit(clean or "")
    if not clean or parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed("only http:// and https:// addresses can be fetched")
    default = 443 if parts.scheme == "https" else 80
    port = parts.port or default
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    host_header = name if port == default else f"{name}:{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, host_header, path


def _pool(scheme: str, host: str, address: Address, port: int,
          timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    """A connection pool to ``address`` itself; for https the certificate must name ``host``."""
    if scheme == "https":
        server_name = None if literal_address(host) else host
        return urllib3.HTTPSConnectionPool(str(address), port, timeout=timeout, retries=False,
                                           server_hostname=server_name, assert_hostname=host)
    return urllib3.HTTPConnectionPool(str(address), port, timeout=timeout, retries=False)


def _request(
    url: str, *, timeout: float, allow_private: bool, headers: Mapping[str, str]
) -> tuple[urllib3.BaseHTTPResponse, urllib3.HTTPConnectionPool]:
    """One hop: resolve once, check, connect to a checked address (the next one on failure)."""
    scheme, host, port, host_header, path = _target(url)
    limits = urllib3.Timeout(connect=timeout, read=timeout)
    last: BaseException | None = None
    for address in checked_addresses(host, port, allow_private=allow_private):
        pool = _pool(scheme, host, address, port, limits)
        try:
            response = pool.urlopen("GET", path, headers={**headers, "Host": host_header},
                                    redirect=False, retries=False, preload_content=False,
                                    assert_same_host=False)
        except (NewConnectionError, ConnectTimeoutError) as exc:
            pool.close()
            last = exc
            continue
        except BaseException:
            pool.close()
            raise
        return response, pool
    raise FetchFailed(reason(last, timeout))


@contextmanager
def open_url(url: str, *, timeout: float, allow_private: bool = False,
             headers: Mapping[str, str] | None = None) -> Iterator[Opened]:
    """GET ``url`` by the rule above and yield the answer (FetchFailed / AddressRefused)."""
    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response, pool = _request(url, timeout=timeout, allow_private=allow_private,
                                      headers=sent)
            try:
                location = response.headers.get("Location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                yield Opened(response, url)
                return
            finally:
                response.close()  # a body left unread must not be reused
                response.release_conn()
                pool.close()
        raise FetchFailed(f"too many redirects (more than {MAX_REDIRECTS})")
    except (HTTPError, OSError) as exc:
        raise FetchFailed(reason(exc, timeout)) from exc
    except ValueError as exc:  # a redirect to an address that cannot be parsed
        raise FetchFailed(f"the address cannot be read ({exc})") from exc


def reason(exc: BaseException | None, timeout: float) -> str:
    """A sentence a person understands for a network failure."""
    if isinstance(exc, NewConnectionError | ConnectionError):  # before: it subclasses a timeout
        return "could not connect to the server (connection refused or network down)"
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
        return f"the server did not answer within {timeout:g} seconds (timed out)"
    if isinstance(exc, SSLError):
        return "the secure (TLS) connection failed"
    return f"the download failed ({type(exc).__name__ if exc else 'unknown error'})"
