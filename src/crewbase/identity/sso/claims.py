"""What the identity provider said, and whether it may be believed (SSO-1).

allauth has already checked the OIDC token exchange (issuer, audience) and the SAML
signature, audience and validity window; these checks are ours: the nonce bound to this
browser's sign-in, the audience once more, a verified email, a domain of the connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from crewbase.identity.sso.models import Kind, Preset, SsoConnection
from crewbase.people.models import normalize_email


@dataclass
class Answer:
    claims: dict
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    groups: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (reason, message)


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _groups(raw) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list | tuple):
        return [str(g) for g in raw]
    return []


def _oidc(connection: SsoConnection, sociallogin, answer: Answer) -> None:
    extra = sociallogin.account.extra_data or {}
    id_token = extra.get("id_token") or {}
    claims = {**id_token, **(extra.get("userinfo") or {})}
    answer.claims = _json_safe(claims)
    expected_nonce = ((sociallogin.state or {}).get("data") or {}).get("nonce")
    if not expected_nonce or id_token.get("nonce") != expected_nonce:
        answer.problems.append(
            (
                "wrong_nonce",
                gettext("The identity provider's answer does not belong to this sign-in."),
            )
        )
    audience = id_token.get("aud")
    audience = [audience] if isinstance(audience, str) else list(audience or [])
    if connection.client_id not in audience:
        answer.problems.append(
            (
                "wrong_audience",
                gettext("The identity provider's answer was meant for another application."),
            )
        )
    answer.email = normalize_email(str(claims.get("email") or ""))
    answer.first_name = str(claims.get("given_name") or "")[:150]
    answer.last_name = str(claims.get("family_name") or "")[:150]
    answer.groups = _groups(claims.get(connection.groups_attribute or "groups"))
    verified = claims.get("email_verified")
    # Entra ID sends no email_verified; its addresses are the tenant's own, and the domain
    # check below still applies.
    if verified is not True and not (verified is None and connection.preset == Preset.ENTRA):
        answer.problems.append(
            (
                "email_unverified",
                gettext("The identity provider has not verified your email address."),
            )
        )


def _saml(connection: SsoConnection, sociallogin, answer: Answer) -> None:
    attributes = sociallogin.account.extra_data or {}
    answer.claims = _json_safe(attributes)
    common = sociallogin.user
    answer.email = normalize_email(getattr(common, "email", "") or "")
    answer.first_name = (getattr(common, "first_name", "") or "")[:150]
    answer.last_name = (getattr(common, "last_name", "") or "")[:150]
    answer.claims.setdefault("email", answer.email)
    answer.groups = _groups(attributes.get(connection.groups_attribute or "groups"))


def read_answer(connection: SsoConnection, sociallogin) -> Answer:
    answer = Answer(claims={})
    if connection.kind == Kind.OIDC:
        _oidc(connection, sociallogin, answer)
    else:
        _saml(connection, sociallogin, answer)
    if not answer.email or "@" not in answer.email:
        answer.problems.append(
            ("no_email", gettext("The identity provider did not send an email address."))
        )
    elif answer.email.rsplit("@", 1)[1] not in connection.domain_names:
        answer.problems.append(
            (
                "other_domain",
                gettext("%(email)s is not an address of this connection's domains (%(domains)s).")
                % {
                    "email": answer.email,
                    "domains": ", ".join(connection.domain_names) or gettext("none yet"),
                },
            )
        )
    return answer
