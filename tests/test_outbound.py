"""The one outbound-fetch rule: every notation of a private address is refused, redirects are
checked hop by hop, the connection goes to the address that was checked (one DNS answer), and
``ENFACE_ALLOW_PRIVATE_URLS=1`` is the only way to reach a private address."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from webapp import outbound
from webapp.errors import ImportFailed
from webapp.outbound import AddressRefused, FetchFailed, open_url


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.hits.append((self.path, self.headers.get("Host")))
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", "http://" + unquote(self.path[4:]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = f"secret from {self.server.server_address[0]}; Host={self.headers['Host']}"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str) -> None:
        super().__init__((address, 0), Handler)
        self.hits: list[tuple[str, str]] = []


@pytest.fixture
def serve() -> Iterator:
    """``serve(address)`` starts an HTTP server there and returns it (stopped after the test)."""
    started: list[Server] = []

    def start(address: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> Server:
        server = Server(address)
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def connects(monkeypatch) -> list:
    """Every address a socket connects to during the test (the connections still happen)."""
    seen: list = []
    real = socket.socket.connect

    def connect(sock, address):
        seen.append(address[0])
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def read(url: str, **options) -> str:
    with open_url(url, timeout=5, **options) as opened:
        return opened.response.read().decode()


LOOPBACK_NOTATIONS = ["127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.1",
                      "127.000.000.001", "localhost", "LocalHost.", "[::ffff:127.0.0.1]",
                      "[::ffff:7f00:1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]"]
OTHER_PRIVATE = ["0.0.0.0", "0", "[::]", "[::1]", "10.0.0.1", "172.16.5.4", "192.168.1.1",
                 "169.254.169.254", "100.64.0.1", "192.0.2.1", "198.18.0.1", "224.0.0.1",
                 "239.255.255.250", "240.0.0.1", "255.255.255.255", "[fc00::1]", "[fd12:3456::1]",
                 "[fe80::1]", "[ff02::1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]",
                 "[2001:db8::1]", "[100::1]"]


@pytest.mark.parametrize("host", LOOPBACK_NOTATIONS)
def test_every_notation_of_loopback_is_refused_before_connecting(serve, connects, host):
    server = serve()
    url = f"http://{host}:{server.server_address[1]}/secret"
    with pytest.raises(AddressRefused, match="set ENFACE_ALLOW_PRIVATE_URLS=1") as refused:
        read(url)
    assert "only fetches from public addresses" in str(refused.value)
    assert connects == [] and server.hits == []


@pytest.mark.parametrize("host", OTHER_PRIVATE)
def test_private_link_local_multicast_reserved_and_unspecified_are_refused(connects, host):
    with pytest.raises(AddressRefused, match="ENFACE_ALLOW_PRIVATE_URLS"):
        read(f"http://{host}:9/x")
    assert connects == []


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f000001", "localhost"])
def test_the_notations_really_are_loopback_and_the_setting_allows_them(serve, host):
    server = serve()
    assert read(f"http://{host}:{server.server_address[1]}/page",
                allow_private=True).startswith("secret from 127.0.0.1")


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111",
                                     "2a00:1450:4001::200e"])
def test_public_addresses_pass(address):
    assert outbound.refusal(ipaddress.ip_address(address)) is None


def pretend_public(monkeypatch, *addresses: str) -> None:
    """Treat these local addresses as if they were on the internet (a test server must live
    somewhere); every other address is judged as usual."""
    real = outbound.refusal
    monkeypatch.setattr(outbound, "refusal",
                        lambda a: None if str(a) in addresses else real(a))


@pytest.mark.parametrize("target", ["127.0.0.2:{port}/secret", "2130706434:{port}/secret",
                                    "0x7f000002:{port}/secret", "[::ffff:127.0.0.2]:{port}/x"])
def test_a_redirect_to_a_private_address_is_refused(serve, monkeypatch, target):
    inside = serve("127.0.0.2")
    internet = serve("127.0.0.1")
    pretend_public(monkeypatch, "127.0.0.1")
    port = inside.server_address[1]
    hop = target.format(port=port)
    with pytest.raises(AddressRefused):
        read(f"http://127.0.0.1:{internet.server_address[1]}/to/{hop}")
    assert [unquote(path) for path, _ in internet.hits] == [f"/to/{hop}"]
    assert inside.hits == []


def test_redirects_are_followed_when_every_hop_is_allowed(serve, monkeypatch):
    inside = serve("127.0.0.2")
    internet = serve("127.0.0.1")
    pretend_public(monkeypatch, "127.0.0.1", "127.0.0.2")
    hop = f"127.0.0.2:{inside.server_address[1]}/page"
    with open_url(f"http://127.0.0.1:{internet.server_address[1]}/to/{hop}", timeout=5) as opened:
        assert opened.url == f"http://{hop}"
        assert opened.response.read().decode().startswith("secret from 127.0.0.2")


def rebinding_resolver(monkeypatch, name: str, answers: list[str]) -> list[str]:
    """A resolver whose answer for ``name`` changes on every question (a rebinding DNS server);
    returns the list of answers given."""
    real = socket.getaddrinfo
    given: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return real(host, port, *args, **kwargs)
        address = answers[min(len(given), len(answers) - 1)]
        given.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


def test_a_dns_answer_that_changes_after_the_check_is_never_used(serve, monkeypatch, connects):
    server = serve("127.0.0.1")
    port = server.server_address[1]
    given = rebinding_resolver(monkeypatch, "rebind.example", ["203.0.113.7", "127.0.0.1"])
    pretend_public(monkeypatch, "203.0.113.7")  # a documentation address standing for a public one
    refuse = {"203.0.113.7"}
    real_connect = socket.socket.connect

    def connect(sock, address):  # the "public" host does not answer
        if address[0] in refuse:
            raise ConnectionRefusedError("nobody there")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(FetchFailed, match="could not connect"):
        read(f"http://rebind.example:{port}/secret")
    assert given == ["203.0.113.7"]  # asked once
    assert server.hits == []  # the second answer (127.0.0.1) was never asked for nor reached


def test_the_connection_goes_to_the_checked_address_and_names_the_host(serve, monkeypatch,
                                                                      connects):
    server = serve("127.0.0.1")
    port = server.server_address[1]
    given = rebinding_resolver(monkeypatch, "pinned.example", ["127.0.0.1", "127.0.0.2"])
    text = read(f"http://pinned.example:{port}/page", allow_private=True)
    assert text == f"secret from 127.0.0.1; Host=pinned.example:{port}"
    assert given == ["127.0.0.1"] and connects == ["127.0.0.1"]


def test_a_host_with_any_private_answer_is_refused(monkeypatch, connects):
    rebinding_resolver(monkeypatch, "mixed.example", ["10.1.2.3"])
    with pytest.raises(AddressRefused, match=r"mixed.example is a private address \(10.1.2.3\)"):
        read("http://mixed.example/")
    assert connects == []


def _certificate(tmp_path, name: str):
    """A self-signed certificate for ``name``: (cert path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_https_to_the_pinned_address_checks_the_certificate_for_the_host_name(
        serve, monkeypatch, tmp_path):
    cert, key = _certificate(tmp_path, "secure.example")
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server = serve("127.0.0.1", tls=tls)
    port = server.server_address[1]
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate
    rebinding_resolver(monkeypatch, "secure.example", ["127.0.0.1"])
    rebinding_resolver(monkeypatch, "other.example", ["127.0.0.1"])
    text = read(f"https://secure.example:{port}/page", allow_private=True)
    assert text == f"secret from 127.0.0.1; Host=secure.example:{port}"
    with pytest.raises(FetchFailed, match="secure \\(TLS\\) connection failed"):
        read(f"https://other.example:{port}/page", allow_private=True)


def test_url_imports_feeds_and_the_model_index_go_through_the_rule(serve, tmp_path, monkeypatch):
    from argostranslate import settings

    from webapp import engine
    from webapp.actions.feeds import read_feed_bytes
    from webapp.errors import ModelError
    from webapp.importing import fetch_url

    server = serve()
    url = f"http://127.0.0.1:{server.server_address[1]}/page"
    with pytest.raises(ImportFailed, match="ENFACE_ALLOW_PRIVATE_URLS=1"):
        fetch_url(url)
    with pytest.raises(ImportFailed, match="ENFACE_ALLOW_PRIVATE_URLS=1"):
        read_feed_bytes(url, max_bytes=1000)
    monkeypatch.setattr(settings, "remote_package_index", url)
    with pytest.raises(ModelError, match="ENFACE_ALLOW_PRIVATE_URLS=1"):
        engine.available_models()
    assert server.hits == []
