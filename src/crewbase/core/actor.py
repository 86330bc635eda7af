"""Who is acting: a member in the console, an API token, SCIM, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crewbase.accounts.models import Account
    from crewbase.people.models import Member


@dataclass(frozen=True)
class Actor:
    kind: str  # "member", "api_token", "scim", "sso", "system"
    account: Account
    member: Member | None = None
    token_id: int | None = None
    # For API tokens the scopes narrow the member's permissions; None means "no narrowing".
    scopes: frozenset[str] | None = None
    ip_address: str | None = None
    user_agent: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def for_member(cls, member: Member, *, ip_address=None, user_agent="") -> Actor:
        return cls(
            kind="member",
            account=member.account,
            member=member,
            ip_address=ip_address,
            user_agent=user_agent,
        )

    @classmethod
    def sso(cls, account: Account, *, ip_address=None, user_agent="") -> Actor:
        """Single sign-on applying an identity provider's answer (SSO-3, SSO-5)."""
        return cls(kind="sso", account=account, ip_address=ip_address, user_agent=user_agent)

    @classmethod
    def system(cls, account: Account, *, reason: str = "") -> Actor:
        return cls(kind="system", account=account, extra={"reason": reason} if reason else {})

    @property
    def display(self) -> str:
        if self.member is not None:
            label = f"{self.member.display_name} <{self.member.email}>"
            return f"{label} via API token" if self.kind == "api_token" else label
        return {"system": "System", "scim": "SCIM", "sso": "SSO"}.get(self.kind, self.kind)
