"""The ``crisis-model`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

__all__ = ["main"]

EPILOG = """\
examples:
  crisis-model --version
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``crisis-model`` command."""
    parser = argparse.ArgumentParser(
        prog="crisis-model",
        description="Replay political crises recorded as event-sourced histories.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"crisis-model {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help(sys.stdout)
    return 0
