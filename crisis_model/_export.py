"""``crisis-model export FORMAT FILE -o OUT``: one subcommand, one entry per format.

A format is an :class:`ExportFormat` in :data:`EXPORT_FORMATS`: its name, a
line of help, optional extra options, and a function from the parsed
arguments to the document's text.  Adding a format is registering one with
:func:`register_export_format`; the command, its help and the output
handling (``-o FILE``, written atomically, or ``-`` for stdout) come with it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ._cliutil import date_arg, formatter
from .errors import CrisisModelError

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "add_export_command",
    "register_export_format",
    "write_output",
]


@attrs.frozen
class ExportFormat:
    """One format of ``crisis-model export``: ``export(args)`` returns the document's text."""

    name: str
    help: str
    export: Callable[[argparse.Namespace], str]
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    example: str = ""


#: The formats ``crisis-model export`` offers, by name.
EXPORT_FORMATS: dict[str, ExportFormat] = {}


def register_export_format(fmt: ExportFormat) -> ExportFormat:
    """Add ``fmt`` to ``crisis-model export`` (a name already taken is replaced)."""
    EXPORT_FORMATS[fmt.name] = fmt
    return fmt


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, or to stdout for ``-``.

    The file appears whole or not at all: a temporary file beside it is
    written, flushed and renamed over it.  It gets the permissions a new file
    gets under the user's umask (a temporary file alone would be private).
    """
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise CrisisModelError(f"cannot write {path!r}: it is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                   dir=str(target.parent) if str(target.parent) else ".")
    except OSError as exc:
        raise CrisisModelError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.chmod(out.fileno(), 0o666 & ~_umask())
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise CrisisModelError(f"cannot write {path!r}: {exc.strerror or exc}") from None
        raise


def add_export_command(subparsers: Any) -> None:
    """Add ``export FORMAT FILE [-o OUT]`` with one sub-command per registered format."""
    p = subparsers.add_parser(
        "export",
        help="write a scenario in another tool's format ("
        + ", ".join(sorted(EXPORT_FORMATS)) + ")",
        description="Write a scenario in a format other tools read. Each FORMAT has its own "
        "help: crisis-model export FORMAT --help.",
        epilog="examples:\n" + "".join(
            f"  {f.example}\n" for f in EXPORT_FORMATS.values() if f.example),
        formatter_class=formatter,
    )
    formats = p.add_subparsers(title="formats", metavar="FORMAT")
    for fmt in EXPORT_FORMATS.values():
        fp = formats.add_parser(fmt.name, help=fmt.help, description=fmt.help,
                                epilog=f"example:\n  {fmt.example}\n" if fmt.example else None,
                                formatter_class=formatter)
        fp.add_argument("file", metavar="FILE", help="scenario file (.toml or .jsonl)")
        fp.add_argument("-o", "--output", metavar="OUT", default="-",
                        help="where to write (default: - for stdout); the file is replaced "
                        "whole or not at all")
        if fmt.add_arguments is not None:
            fmt.add_arguments(fp)
        fp.set_defaults(func=_runner(fmt), command_parser=fp)
    p.set_defaults(func=_no_format(p), command_parser=p)


def _runner(fmt: ExportFormat) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        write_output(args.output, fmt.export(args))
        return 0

    return run


def _no_format(p: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        p.print_help(sys.stdout)
        return 0

    return run


# -- TimelineJS3 ---------------------------------------------------------------------------


def _timelinejs_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=date_arg, metavar="DATE",
                   help="only the events counted as of DATE (YYYY-MM-DD)")
    p.add_argument("--lenient", action="store_true",
                   help="keep events the rules reject (flagged) instead of failing")


def _timelinejs(args: argparse.Namespace) -> str:
    from .reporting import timelinejs
    from .scenario import load_scenario

    doc = timelinejs(load_scenario(args.file), as_of=args.as_of, lenient=args.lenient)
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


register_export_format(ExportFormat(
    name="timelinejs",
    help="TimelineJS3 JSON: a slide per event (dated at its precision, grouped by actor), "
    "an era per state band",
    export=_timelinejs,
    add_arguments=_timelinejs_arguments,
    example="crisis-model export timelinejs seeds/venezuela_2024.toml -o timeline.json",
))
