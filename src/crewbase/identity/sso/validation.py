"""Checking what an admin enters for a connection, field by field (SSO-1, SSO-5)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.translation import gettext
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from crewbase.access.models import Role
from crewbase.core.actor import Actor
from crewbase.identity.sso.models import Kind, Preset, Provisioning, SsoDomain
from crewbase.org.models import Team
from crewbase.people.actions.invitations import require_grantable
from crewbase.people.emails import personal_domains
from crewbase.people.models import Member, MemberStatus

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
PRESET_ISSUERS = {Preset.GOOGLE: "https://accounts.google.com"}
MAX_DOMAINS = 50
MAX_MAPPINGS = 100
TEXT_LIMITS = {
    "name": 100,
    "issuer": 500,
    "client_id": 300,
    "client_secret": 1000,
    "metadata_url": 500,
    "idp_entity_id": 500,
    "idp_sso_url": 500,
    "idp_certificate": 10000,
    "metadata_xml": 200000,
    "groups_attribute": 200,
}


def kind_of(preset: str) -> str:
    return Kind.SAML if preset == Preset.SAML else Kind.OIDC


def _url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return gettext("must be an http:// or https:// URL")
    return None


def clean_text(data: dict, errors: dict) -> dict:
    cleaned = {}
    for name, limit in TEXT_LIMITS.items():
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if not isinstance(value, str):
            errors[name] = gettext("must be text")
        elif len(value) > limit:
            errors[name] = gettext("must be at most %(limit)s characters") % {"limit": limit}
        else:
            cleaned[name] = value.strip()
    return cleaned


def clean_domains(actor: Actor, raw, errors: dict, connection=None) -> list[str] | None:
    """Domains this connection answers for. Verified by two facts: an active member of the
    account holds an address at it (they received mail there), and no other connection
    claims it; personal providers (gmail.com …) are never an organisation's domain."""
    if isinstance(raw, str):
        raw = [d for d in re.split(r"[\s,;]+", raw) if d]
    if not isinstance(raw, list | tuple) or not all(isinstance(d, str) for d in raw):
        errors["domains"] = gettext("must be a list of domain names")
        return None
    domains = sorted({d.strip().lower().lstrip("@") for d in raw if d.strip()})
    if len(domains) > MAX_DOMAINS:
        errors["domains"] = gettext("at most %(limit)s domains") % {"limit": MAX_DOMAINS}
        return None
    problems = []
    personal = personal_domains()
    for domain in domains:
        if not DOMAIN_RE.match(domain):
            problems.append(gettext("%(domain)s is not a domain name") % {"domain": domain})
        elif domain in personal:
            problems.append(gettext("%(domain)s is a personal email provider") % {"domain": domain})
        elif not Member.objects.filter(
            account=actor.account, status=MemberStatus.ACTIVE, email__endswith="@" + domain
        ).exists():
            problems.append(
                gettext("%(domain)s: no active member of this account has an address there")
                % {"domain": domain}
            )
    claimed = SsoDomain.objects.filter(domain__in=domains)
    if connection is not None and connection.pk:
        claimed = claimed.exclude(connection=connection)
    problems += [
        gettext("%(domain)s is already used by another SSO connection") % {"domain": d}
        for d in claimed.values_list("domain", flat=True)
    ]
    if problems:
        errors["domains"] = "; ".join(problems)
        return None
    return domains


def clean_role(actor: Actor, role_id, errors: dict, field_name: str) -> Role | None:
    if role_id in (None, ""):
        return None
    try:
        role = Role.objects.for_account(actor.account).get(pk=int(role_id))
    except (Role.DoesNotExist, TypeError, ValueError):
        errors[field_name] = gettext("no role with id %(id)s in this account") % {
            "id": repr(role_id)
        }
        return None
    try:
        # Whoever configures SSO may not hand out, through it, more than they could grant.
        require_grantable(actor, role, field_name)
    except Exception as exc:  # PermissionDenied carries the field reason
        errors.update(getattr(exc, "errors", {}) or {field_name: str(exc)})
        return None
    return role


def clean_mapping(actor: Actor, raw, errors: dict) -> list[dict] | None:
    if not isinstance(raw, list | tuple) or len(raw) > MAX_MAPPINGS:
        errors["group_mapping"] = gettext("must be a list of at most %(limit)s rules") % {
            "limit": MAX_MAPPINGS
        }
        return None
    cleaned = []
    team_ids = set(Team.objects.filter(account=actor.account).values_list("pk", flat=True))
    for index, rule in enumerate(raw, start=1):
        if not isinstance(rule, dict) or set(rule) - {"group", "role_id", "team_ids"}:
            errors["group_mapping"] = gettext(
                "rule %(index)s: must have group, role_id and/or team_ids"
            ) % {"index": index}
            return None
        group = rule.get("group")
        if not isinstance(group, str) or not group.strip() or len(group) > 200:
            errors["group_mapping"] = gettext(
                "rule %(index)s: group must be a name of 1 to 200 characters"
            ) % {"index": index}
            return None
        role_errors: dict = {}
        role = clean_role(actor, rule.get("role_id"), role_errors, "role_id")
        if role_errors:
            errors["group_mapping"] = gettext("rule %(index)s: %(problem)s") % {
                "index": index,
                "problem": role_errors.get("role_id", role_errors),
            }
            return None
        teams = rule.get("team_ids") or []
        if not isinstance(teams, list) or not all(
            isinstance(t, int) and not isinstance(t, bool) for t in teams
        ):
            errors["group_mapping"] = gettext(
                "rule %(index)s: team_ids must be a list of team ids"
            ) % {"index": index}
            return None
        unknown = sorted(set(teams) - team_ids)
        if unknown:
            errors["group_mapping"] = gettext(
                "rule %(index)s: no such team in this account: %(ids)s"
            ) % {"index": index, "ids": unknown}
            return None
        if role is None and not teams:
            errors["group_mapping"] = gettext(
                "rule %(index)s: map the group to a role, teams or both"
            ) % {"index": index}
            return None
        cleaned.append(
            {
                "group": group.strip(),
                "role_id": role.pk if role else None,
                "team_ids": sorted(teams),
            }
        )
    return cleaned


def saml_from_metadata_xml(xml: str, errors: dict) -> dict:
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml)
    except Exception:  # lxml and the parser raise many kinds for bad XML
        errors["metadata_xml"] = gettext("is not valid SAML identity provider metadata")
        return {}
    idp = parsed.get("idp") or {}
    found = {
        "idp_entity_id": idp.get("entityId", ""),
        "idp_sso_url": (idp.get("singleSignOnService") or {}).get("url", ""),
        "idp_certificate": idp.get("x509cert", ""),
    }
    if not all(found.values()):
        errors["metadata_xml"] = gettext(
            "must name the entity id, sign-in URL and signing certificate"
        )
        return {}
    return found


def check_provider_fields(values: dict, errors: dict) -> None:
    """The fields each kind needs, once defaults and metadata are applied."""
    if values["kind"] == Kind.OIDC:
        for name in ("issuer", "client_id"):
            if not values.get(name):
                errors[name] = gettext("required for an OpenID Connect connection")
        if values.get("issuer") and (problem := _url_problem(values["issuer"])):
            errors["issuer"] = problem
        if not values.get("has_secret"):
            errors["client_secret"] = gettext("required for an OpenID Connect connection")
        return
    if values.get("metadata_url"):
        if problem := _url_problem(values["metadata_url"]):
            errors["metadata_url"] = problem
        if not values.get("idp_entity_id"):
            errors["idp_entity_id"] = gettext(
                "the entity id of the identity provider in that metadata"
            )
        return
    for name in ("idp_entity_id", "idp_sso_url", "idp_certificate"):
        if not values.get(name):
            errors[name] = gettext("required for SAML (or give the metadata URL or XML)")
    if values.get("idp_sso_url") and (problem := _url_problem(values["idp_sso_url"])):
        errors["idp_sso_url"] = problem


def clean_provisioning(value, errors: dict) -> str | None:
    if value not in Provisioning.values:
        errors["provisioning"] = gettext("must be one of %(choices)s") % {
            "choices": ", ".join(Provisioning.values)
        }
        return None
    return value


def clean_preset(value, errors: dict) -> str | None:
    if value not in Preset.values:
        errors["preset"] = gettext("must be one of %(choices)s") % {
            "choices": ", ".join(Preset.values)
        }
        return None
    return value
