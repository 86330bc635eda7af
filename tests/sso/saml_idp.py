"""A SAML 2.0 identity provider for tests: its own RSA key and certificate, generated here,
and signed responses built like a real IdP's (python3-saml's xmlsec signing)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.utils import OneLogin_Saml2_Utils

EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


def _key_and_cert(name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class TestIdP:
    __test__ = False  # not a pytest test class

    def __init__(self, name: str = "idp.test"):
        self.entity_id = f"https://{name}/saml"
        self.sso_url = f"https://{name}/sso"
        self.key, self.cert = _key_and_cert(name)

    @property
    def cert_body(self) -> str:
        return "".join(line for line in self.cert.splitlines() if "-----" not in line)

    def metadata_xml(self) -> str:
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{self.entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <ds:X509Data><ds:X509Certificate>{self.cert_body}</ds:X509Certificate></ds:X509Data>
    </ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="{self.sso_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    def response(
        self,
        *,
        in_response_to: str,
        acs_url: str,
        audience: str,
        email: str,
        groups=(),
        lifetime: timedelta = timedelta(minutes=5),
        signing_key: str | None = None,
        signing_cert: str | None = None,
    ) -> str:
        """A signed Response as the IdP posts it (base64), valid for `lifetime` from now."""
        now = datetime.now(UTC)
        issued = now if lifetime > timedelta(0) else now + lifetime - timedelta(minutes=5)
        until = _instant(now + lifetime)
        values = "".join(
            f'<saml:AttributeValue xsi:type="xs:string">{g}</saml:AttributeValue>' for g in groups
        )
        email_value = f'<saml:AttributeValue xsi:type="xs:string">{email}</saml:AttributeValue>'
        assertion = "".join(
            [
                '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"',
                ' xmlns:xs="http://www.w3.org/2001/XMLSchema"',
                ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
                f' ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(issued)}">',
                f"<saml:Issuer>{self.entity_id}</saml:Issuer>",
                "<saml:Subject>",
                f'<saml:NameID Format="{EMAIL_FORMAT}">{email}</saml:NameID>',
                f'<saml:SubjectConfirmation Method="{BEARER}">',
                f'<saml:SubjectConfirmationData NotOnOrAfter="{until}" Recipient="{acs_url}"',
                f' InResponseTo="{in_response_to}"/>',
                "</saml:SubjectConfirmation></saml:Subject>",
                f'<saml:Conditions NotBefore="{_instant(issued - timedelta(minutes=1))}"',
                f' NotOnOrAfter="{until}"><saml:AudienceRestriction>',
                f"<saml:Audience>{audience}</saml:Audience>",
                "</saml:AudienceRestriction></saml:Conditions>",
                f'<saml:AuthnStatement AuthnInstant="{_instant(issued)}"',
                f' SessionIndex="_s{uuid.uuid4().hex}"><saml:AuthnContext>',
                f"<saml:AuthnContextClassRef>{PASSWORD_CLASS}</saml:AuthnContextClassRef>",
                "</saml:AuthnContext></saml:AuthnStatement>",
                "<saml:AttributeStatement>",
                f'<saml:Attribute Name="email">{email_value}</saml:Attribute>',
                '<saml:Attribute Name="givenName">',
                '<saml:AttributeValue xsi:type="xs:string">Sam</saml:AttributeValue>',
                "</saml:Attribute>",
                '<saml:Attribute Name="sn">',
                '<saml:AttributeValue xsi:type="xs:string">Lee</saml:AttributeValue>',
                "</saml:Attribute>",
                f'<saml:Attribute Name="groups">{values}</saml:Attribute>',
                "</saml:AttributeStatement></saml:Assertion>",
            ]
        )
        signed = OneLogin_Saml2_Utils.add_sign(
            assertion, signing_key or self.key, signing_cert or self.cert
        )
        signed = signed.decode() if isinstance(signed, bytes) else signed
        signed = signed.replace('<?xml version="1.0"?>\n', "").replace('<?xml version="1.0"?>', "")
        response = "".join(
            [
                '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"',
                ' xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"',
                f' ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_instant(issued)}"',
                f' Destination="{acs_url}" InResponseTo="{in_response_to}">',
                f"<saml:Issuer>{self.entity_id}</saml:Issuer>",
                f'<samlp:Status><samlp:StatusCode Value="{SUCCESS}"/></samlp:Status>',
                signed,
                "</samlp:Response>",
            ]
        )
        return base64.b64encode(response.encode()).decode()
