"""An HTTPS receiver on 127.0.0.1 whose certificate, for `name`, is signed by a test CA."""

from __future__ import annotations

import datetime
import ssl
import tempfile
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.webhooks.receiver import running_receiver


def _certificate(subject_name, issuer_name, public_key, signing_key, *, ca, dns_name=None):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if dns_name:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False
        )
    return builder.sign(signing_key, hashes.SHA256())


@contextmanager
def running_tls_receiver(name: str):
    """Yields (receiver, path of the CA bundle that trusts it)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Test CA", "Test CA", ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(name, "Test CA", key.public_key(), ca_key, ca=False, dns_name=name)
    with tempfile.TemporaryDirectory() as folder:
        pem = serialization.Encoding.PEM
        (Path(folder) / "ca.pem").write_bytes(ca.public_bytes(pem))
        (Path(folder) / "cert.pem").write_bytes(cert.public_bytes(pem))
        (Path(folder) / "key.pem").write_bytes(
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(Path(folder) / "cert.pem", Path(folder) / "key.pem")
        with running_receiver(tls_context=context) as receiver:
            yield receiver, str(Path(folder) / "ca.pem")
