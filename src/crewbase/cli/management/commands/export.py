"""`crewbase export members|activity`: CSV or JSON, streamed, recorded in the activity log."""

from datetime import UTC, date, datetime, time

from crewbase.audit import registry
from crewbase.audit.export import export_activity, write_activity_csv, write_activity_json
from crewbase.cli.base import CrewbaseCommand, bad_input
from crewbase.cli.lookup import actor_from_options, add_account_argument, add_actor_argument
from crewbase.cli.output import text_output
from crewbase.people.export import export_members


def _day(text: str | None, option: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text.strip()), time.min, tzinfo=UTC)
    except ValueError:
        raise bad_input(f"{option}: {text!r} is not a date like 2026-01-31") from None


class Command(CrewbaseCommand):
    help = (
        "Export the account's members or its activity log as CSV (UTF-8 with BOM, for "
        "spreadsheets) or JSON, to stdout or --output FILE. Needs the data.export permission "
        "(and audit.view for activity); the export itself is recorded in the activity log."
    )
    option_for_field = {"format": "--format"}

    def add_arguments(self, parser):
        parser.add_argument("what", choices=("members", "activity"))
        add_account_argument(parser)
        parser.add_argument("--format", required=True, choices=("csv", "json"))
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
        add_actor_argument(parser)
        activity = parser.add_argument_group("activity filters")
        activity.add_argument("--type", metavar="TYPE", help="only this activity type")
        activity.add_argument("--since", metavar="YYYY-MM-DD", help="from this day (UTC)")
        activity.add_argument("--until", metavar="YYYY-MM-DD", help="before this day (UTC)")

    def handle(self, *args, **options):
        actor = actor_from_options(options)
        what, fmt = options["what"], options["format"]
        if what == "members" and any(options[name] for name in ("type", "since", "until")):
            raise bad_input("--type, --since and --until apply to activity exports only")
        with text_output(options["output"], self.stdout) as stream:
            if what == "members":
                count = export_members(
                    actor=actor,
                    stream=stream,
                    fmt=fmt,
                    on_progress=lambda n: self.progress(f"{n} members exported…"),
                )
            else:
                count = self._export_activity(actor, stream, fmt, options)
        where = options["output"] or "stdout"
        noun = "members" if what == "members" else "activity events"
        self.progress(f"Exported {count} {noun} as {fmt} to {where}.")

    def _export_activity(self, actor, stream, fmt, options) -> int:
        kind = (options["type"] or "").strip() or None
        if kind is not None and not registry.is_registered(kind):
            raise bad_input(f"--type: {kind!r} is not an activity type")
        events = export_activity(
            actor=actor,
            format=fmt,
            type=kind,
            since=_day(options["since"], "--since"),
            until=_day(options["until"], "--until"),
        )
        count = events.count()
        self.progress(f"Exporting {count} activity events…")
        (write_activity_csv if fmt == "csv" else write_activity_json)(events, stream)
        return count
