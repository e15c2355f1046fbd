"""A self-signed certificate for 127.0.0.1 / localhost, for TLS tests on loopback.

Why a helper: the pinning and deployment tests need a real TLS server (uvicorn or the reply server) and
the certificate's DER bytes to compute the pin; generating one with ``cryptography`` keeps the tests
free of files checked into the repo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.processes import stop


@dataclass(frozen=True)
class SelfSigned:
    cert_path: Path
    key_path: Path
    der: bytes

    @property
    def pin(self) -> str:
        """sha256 of the certificate (what ``api.pin_sha256`` holds)."""
        return hashlib.sha256(self.der).hexdigest()


def self_signed(directory: Path, name: str = "server") -> SelfSigned:
    """Write ``<name>.pem`` and ``<name>.key`` for CN=localhost, SAN localhost and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return SelfSigned(cert_path, key_path, cert.public_bytes(serialization.Encoding.DER))


ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def central_api_process(*args: str, log: Path) -> Iterator[tuple[str, str, str]]:
    """Run ``python -m central_api.cli ARGS``; yield (public URL, admin URL, its stderr so far)."""
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "central_api.cli", *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            text = log.read_text()
            public = re.search(r": listening on (https?://\S+)", text)
            admin = re.search(r"admin listening on (https?://\S+)", text)
            if public and admin:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start: {text[-2000:]}")
            time.sleep(0.05)
        yield public.group(1), admin.group(1), text
    finally:
        stop(proc, timeout=10)


@contextmanager
def tls_central_api(data_dir: Path, cert: SelfSigned, admin_token: str) -> Iterator[str]:
    """The reference API in this process over TLS on 127.0.0.1 (one listener, like ``LiveApi``).

    Why not the CLI: the pinning tests are about the *kiosk*; an in-process server with TLS keeps them
    independent of how the server's command line is deployed.
    """
    import socket
    import threading

    import uvicorn

    from central_api.app import create_app
    from central_api.settings import Settings

    app = create_app(Settings(data_dir=data_dir, admin_token=admin_token))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    config = uvicorn.Config(
        app,
        ssl_certfile=str(cert.cert_path),
        ssl_keyfile=str(cert.key_path),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the TLS API did not start")
        time.sleep(0.01)
    try:
        yield f"https://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
