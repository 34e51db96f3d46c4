"""TLS as people meet it: a self-signed certificate (trusted through ca_bundle), and https:// to a plain server.

A small HTTPS server on loopback answers COUNTPEERS with a certificate made
for the test by ``openssl``. Without its CA the client refuses it and says
what to do; with the certificate as ``verify`` (the profile's ``ca_bundle``)
the same request succeeds.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from leak_check import SECRET_KEY

from tringtui.api.client import TringClient
from tringtui.api.errors import TransportError

OPENSSL = shutil.which("openssl")


@pytest.fixture
def certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


@pytest.fixture
def https_server(certificate):
    cert, key = certificate

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"pbx21": 12}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # the request line holds the key
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client refusing the certificate hangs up mid-handshake, on purpose

    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed")
async def test_a_self_signed_server_is_refused_with_advice_then_trusted_through_its_ca(https_server):
    url, cert = https_server
    async with TringClient(url, SECRET_KEY, timeout=5.0) as client:
        with pytest.raises(TransportError) as refused:
            await client.count_peers()
    assert "not trusted; give its CA with ca_bundle" in str(refused.value)
    assert SECRET_KEY not in str(refused.value)
    async with TringClient(url, SECRET_KEY, timeout=5.0, verify=str(cert)) as client:
        counts = await client.count_peers()
    assert counts.as_dict() == {"pbx21": 12}


async def test_https_to_a_plain_http_server_suggests_http(hostile):
    async with TringClient(hostile.url.replace("http://", "https://"), SECRET_KEY, timeout=5.0) as client:
        with pytest.raises(TransportError) as refused:
            await client.count_peers()
    assert "is it http:// rather than https://?" in str(refused.value)
