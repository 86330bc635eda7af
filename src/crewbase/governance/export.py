"""A review campaign as CSV: one row per member reviewed, with the sign-off in the header rows."""

from __future__ import annotations

import csv
import io

from crewbase.governance.models import ReviewCampaign

HEADER = [
    "member_email",
    "member_name",
    "role_at_start",
    "status_at_start",
    "agent_access_at_start",
    "teams_at_start",
    "decision",
    "detail",
    "note",
    "decided_by",
    "decided_at",
]


def _safe(value) -> str:
    """Cells a spreadsheet would run as a formula start with a quote (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def campaign_csv(campaign: ReviewCampaign) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with the BOM
    writer = csv.writer(out)
    writer.writerow(["review", _safe(campaign.name)])
    writer.writerow(["scope", campaign.scope_label])
    writer.writerow(
        ["started", _safe(campaign.started_by_display), campaign.started_at.isoformat()]
    )
    if campaign.signed_off_at:
        writer.writerow(
            [
                "signed_off",
                _safe(campaign.signed_off_by_display),
                campaign.signed_off_at.isoformat(),
            ]
        )
        writer.writerow(["record_sha256", campaign.record_hash])
        writer.writerow(["record_signature", campaign.record_signature])
    writer.writerow([])
    writer.writerow(HEADER)
    for item in campaign.items.order_by("member_display", "id"):
        access = item.access or {}
        detail = ", ".join(f"{k}={v}" for k, v in sorted((item.detail or {}).items()))
        writer.writerow(
            [
                _safe(item.member_email),
                _safe(item.member_display),
                _safe(access.get("role", "")),
                access.get("status", ""),
                "yes" if access.get("agent_access") else "no",
                _safe("; ".join(access.get("teams", []))),
                item.decision or "open",
                _safe(detail),
                _safe(item.note),
                _safe(item.decided_by_display),
                item.decided_at.isoformat() if item.decided_at else "",
            ]
        )
    return out.getvalue()
