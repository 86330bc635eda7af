"""A small server-side SVG bar chart of daily counts: no JavaScript, themed by CSS variables."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

WIDTH, HEIGHT, GAP = 600, 120, 2


def daily_bars(daily: list[dict], key: str, label: str) -> SafeString:
    """One bar per day of `daily[i][key]`; each bar carries its date and count as a title."""
    values = [int(row[key]) for row in daily]
    top = max(values, default=0) or 1
    step = WIDTH / max(len(values), 1)
    bar = max(step - GAP, 1)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                f"{i * step:.1f}",
                f"{HEIGHT - HEIGHT * v / top:.1f}",
                f"{bar:.1f}",
                f"{HEIGHT * v / top:.1f}",
                row["day"].isoformat(),
                v,
            )
            for i, (row, v) in enumerate(zip(daily, values, strict=True))
        ),
    )
    first = daily[0]["day"].isoformat() if daily else ""
    last = daily[-1]["day"].isoformat() if daily else ""
    return format_html(
        '<svg class="work-chart" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' preserveAspectRatio="none" width="100%" height="{}">'
        "<desc>{}</desc>"
        '<g fill="var(--accent, #2563eb)">{}</g></svg>',
        WIDTH,
        HEIGHT,
        label,
        HEIGHT,
        gettext("%(label)s per day from %(first)s to %(last)s; highest %(top)s.")
        % {"label": label, "first": first, "last": last, "top": max(values, default=0)},
        bars,
    )
