"""Argument types and help formatting shared by the ``crisis-model`` commands."""

from __future__ import annotations

import argparse
import datetime as _dt
import re

__all__ = ["date_arg", "formatter"]


def date_arg(text: str) -> _dt.date:
    """An argparse type: a ``YYYY-MM-DD`` date, with a message saying so otherwise."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII) is None:
            raise ValueError(text)
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD (such as 2024-08-11), got {text!r}"
        ) from None


def formatter(prog: str) -> argparse.HelpFormatter:
    """Help that keeps the epilog's examples as written."""
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30)
