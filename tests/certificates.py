"""A self-signed TLS certificate for servers the tests run on 127.0.0.1."""

from __future__ import annotations

import subprocess


def make_certificate(folder, name: str = "") -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (and host `name`), made with openssl, as
    (certificate, key) paths."""
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    names = "IP:127.0.0.1" + (f",DNS:{name}" if name else "")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
            "-addext", f"subjectAltName={names}",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key
