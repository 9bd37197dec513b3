"""``crisis-model report FILE -o OUT.html``: the scenario as a self-contained HTML page."""

from __future__ import annotations

import argparse
from typing import Any

from .._cliutil import date_arg, formatter

__all__ = ["add_report_command", "run_report"]

_SEED = "seeds/venezuela_2024.toml"
_BRANCH = "seeds/venezuela_2024_amnesty_accepted.toml"


def add_report_command(subparsers: Any) -> None:
    """Add ``report FILE [-o OUT] [--base FILE] [--as-of DATE] [--lenient] [--title T]``."""
    p = subparsers.add_parser(
        "report",
        help="draw a scenario as one self-contained HTML page (timeline, state, elections, "
        "sources)",
        description="Write one HTML file that works offline: actor swimlanes with every "
        "event, state bands per actor, each election's results, claims, verdicts and "
        "recognition matrix, detention and incident counts over time, and the sources.",
        epilog=f"examples:\n  crisis-model report {_SEED} -o venezuela.html\n"
        f"  crisis-model report {_SEED} --as-of 2024-08-11 -o august.html\n"
        f"  crisis-model report {_BRANCH} --base {_SEED} -o what-if.html\n",
        formatter_class=formatter,
    )
    p.add_argument("file", metavar="FILE", help="scenario file (.toml or .jsonl)")
    p.add_argument("-o", "--output", metavar="OUT", default="-",
                   help="the HTML file to write (default: - for stdout); replaced whole or "
                   "not at all")
    p.add_argument("--base", metavar="FILE",
                   help="the scenario FILE branches from: show where it departs and how the "
                   "states differ at the end")
    p.add_argument("--as-of", type=date_arg, metavar="DATE",
                   help="the record as of DATE (YYYY-MM-DD): the events certain by then, "
                   "those that may have happened by then marked uncertain")
    p.add_argument("--known-on", type=date_arg, metavar="DATE",
                   help="the record as it stood on DATE (YYYY-MM-DD): only what had been "
                   "reported by then, with the corrections recorded by then applied")
    p.add_argument("--lenient", action="store_true",
                   help="draw events the rules reject (flagged) instead of failing")
    p.add_argument("--title", help="a title instead of the scenario's own")
    p.set_defaults(func=run_report, command_parser=p)


def run_report(args: argparse.Namespace) -> int:
    """``crisis-model report``."""
    import sys

    from .._export import write_output
    from ..scenario import load_scenario
    from . import report

    scenario = load_scenario(args.file)
    base = load_scenario(args.base) if args.base else None
    page = report(scenario, base=base, as_of=args.as_of, known_on=args.known_on,
                  lenient=args.lenient, title=args.title)
    write_output(args.output, page)
    if args.output != "-":
        print(f"wrote {args.output}: {len(scenario.events)} events", file=sys.stderr)
    return 0
