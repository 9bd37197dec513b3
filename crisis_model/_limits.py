"""Reading limits, bounded reading and terminal-safe text, for every reader of user files.

A file a user (or an attacker) hands us is read under :class:`Limits`: its
size, how deeply its data nests, how long a string or an integer literal may
be, how long an ``extends`` chain may grow.  Every limit is checked before the
work it guards is done, and a file over one is a
:class:`~crisis_model.errors.LimitExceededError` that names the file, the line
where known, the limit and how to raise it.

Readers use:

- :func:`read_bounded` (only regular files; never blocks on a FIFO; reads at
  most ``limits.file_size`` bytes);
- :func:`check_json_depth` (before :func:`json.loads`, which recurses) and
  :func:`check_tree` (after parsing, iteratively: depth, strings, integers);
- :func:`active` for the limits in force (the command line's ``--limit`` and
  the ``CRISIS_MODEL_LIMITS`` environment variable set them).

:func:`safe_text` and :func:`safe_line` escape control characters (C0, DEL,
C1, bidirectional overrides) as visible ``\\uXXXX`` escapes before text from
data reaches a terminal; the escapes are valid JSON, so JSON output stays exact.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import stat
from collections.abc import Iterator
from typing import Any

import attrs

from .errors import LimitExceededError, ScenarioError

__all__ = [
    "LIMIT_NAMES",
    "Limits",
    "active",
    "check_json_depth",
    "check_tree",
    "limits_from_env",
    "parse_limits",
    "read_bounded",
    "safe_line",
    "safe_text",
    "use_limits",
]

#: The environment variable holding limits, as ``NAME=VALUE`` pairs separated by commas or spaces.
ENV_VAR = "CRISIS_MODEL_LIMITS"

_MIB = 1024 * 1024


@attrs.frozen
class Limits:
    """The limits under which files are read (see docs/cli.md, "Limits").

    ``file_size``: bytes in one file; ``depth``: nesting of tables, arrays and
    objects; ``extends``: files in an ``extends`` chain (the first included);
    ``string``: characters in one string value; ``integer_digits``: digits in
    one integer literal.
    """

    file_size: int = 128 * _MIB
    depth: int = 64
    extends: int = 32
    string: int = 100_000
    integer_digits: int = 30

    def hint(self, name: str) -> str:
        """How to raise the limit ``name`` (a field name)."""
        cli = name.replace("_", "-")
        return (f"raise it with --limit {cli}=N on the command line, {ENV_VAR}=\"{cli}=N\" "
                f"in the environment, or limits=Limits({name}=N) in Python")


#: The command-line names of the limits (``--limit NAME=N``), by field name.
LIMIT_NAMES = {f.name.replace("_", "-"): f.name for f in attrs.fields(Limits)}

_SIZE_RE = re.compile(r"^\s*(\d{1,18})\s*(?:([kmg])i?b?|b)?\s*$", re.IGNORECASE)


def _number(text: str, name: str) -> int:
    m = _SIZE_RE.match(text)
    if m is None:
        raise ValueError(f"limit {name}: expected a whole number (such as 200, 512K or 1G), "
                         f"got {text!r}")
    factor = 1024 ** ("kmg".index(m[2].lower()) + 1) if m[2] else 1
    value = int(m[1]) * factor
    if value < 1:
        raise ValueError(f"limit {name}: must be at least 1, got {text!r}")
    return value


def parse_limits(specs: list[str] | str, base: Limits | None = None) -> Limits:
    """``base`` (the defaults) with ``NAME=VALUE`` settings applied: ``file-size=512M``.

    Raises :class:`ValueError` naming the problem.
    """
    if isinstance(specs, str):
        specs = [s for s in re.split(r"[,\s]+", specs) if s]
    changes: dict[str, int] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        key = LIMIT_NAMES.get(name.strip().lower().replace("_", "-"))
        if not sep or key is None:
            raise ValueError(f"expected NAME=N with NAME one of {', '.join(LIMIT_NAMES)}, "
                             f"got {spec!r}")
        changes[key] = _number(value, name.strip())
    return attrs.evolve(base or Limits(), **changes)


def limits_from_env() -> Limits:
    """The defaults, with ``CRISIS_MODEL_LIMITS`` applied (an invalid value is an error)."""
    text = os.environ.get(ENV_VAR, "")
    if not text.strip():
        return Limits()
    try:
        return parse_limits(text)
    except ValueError as exc:
        raise ScenarioError(f"environment variable {ENV_VAR}: {exc}") from None


_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar(
    "crisis_model_limits", default=None
)


def active(explicit: Limits | None = None) -> Limits:
    """The limits in force: ``explicit``, else those :func:`use_limits` set, else the
    environment's, else the defaults."""
    if explicit is not None:
        return explicit
    current = _current.get()
    return current if current is not None else limits_from_env()


@contextlib.contextmanager
def use_limits(limits: Limits) -> Iterator[Limits]:
    """Make ``limits`` the default for readers called inside the ``with`` block."""
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


# -- reading files ------------------------------------------------------------------------------

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _too_big(file: str, size: str, limits: Limits) -> LimitExceededError:
    return LimitExceededError(
        f"the file is {size}, over the limit of {limits.file_size:,} bytes (file-size); "
        + limits.hint("file_size"),
        file=file, limit="file_size",
    )


def check_path(path: str, what: str = "file") -> None:
    """Refuse a path holding a NUL byte (the OS cannot open it) with a clear error."""
    if "\0" in path:
        raise ScenarioError(f"the {what} path contains a NUL byte", file=path.replace("\0", "\\0"))


def read_bounded(path: str | os.PathLike[str], limits: Limits | None = None, *,
                 what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limits.file_size`` of them.

    Directories, FIFOs, devices and sockets are refused (a FIFO is never opened
    for reading, so this never blocks); a file over the size limit is refused
    before (by its size) or while (by what it yields) it is read.  Raises
    :class:`~crisis_model.errors.ScenarioError` (or its subclass
    :class:`~crisis_model.errors.LimitExceededError`) for those, and
    :class:`OSError` when the file cannot be opened.
    """
    limits = active(limits)
    name = os.fspath(path)
    check_path(name, what)
    st = os.stat(name)  # follows symbolic links: what they point at counts
    kind = _kind(st.st_mode)
    if kind is not None:
        raise ScenarioError(f"is {kind}, not a regular file: give the path of a {what}",
                            file=name)
    if st.st_size > limits.file_size:
        raise _too_big(name, f"{st.st_size:,} bytes", limits)
    fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)  # the file may have been swapped since the stat above
        kind = _kind(st.st_mode)
        if kind is not None:
            raise ScenarioError(f"is {kind}, not a regular file: give the path of a {what}",
                                file=name)
        chunks: list[bytes] = []
        total = 0
        cap = limits.file_size + 1
        while total < cap:
            chunk = os.read(fd, min(cap - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limits.file_size:
            raise _too_big(name, "larger than its size said", limits)
        return b"".join(chunks)
    finally:
        os.close(fd)


# -- nesting, strings and integers ----------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _depth_error(file: str | None, line: int | None, limits: Limits) -> LimitExceededError:
    return LimitExceededError(
        f"data nested more than {limits.depth} levels deep (depth); " + limits.hint("depth"),
        file=file, line=line, limit="depth",
    )


def check_json_depth(text: str, limits: Limits, *, file: str | None = None,
                     line: int | None = None) -> None:
    """Refuse JSON text nested deeper than ``limits.depth``, before it is parsed.

    Linear in the text; a text with fewer brackets than the limit is not scanned.
    """
    if text.count("[") + text.count("{") <= limits.depth:
        return
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limits.depth:
                raise _depth_error(file, line, limits)
        elif c in "]}":
            depth -= 1


def int_digits_ok(text: str, limits: Limits) -> bool:
    """Whether no run of digits in ``text`` is longer than the integer limit (a quick test)."""
    return re.search(rf"\d{{{limits.integer_digits + 1}}}", text) is None


def check_tree(value: Any, limits: Limits, *, file: str | None = None,
               line: int | None = None, depth: int = 0) -> None:
    """Walk parsed data iteratively: refuse nesting, strings and integers over the limits.

    ``depth`` is how deep ``value`` already sits.
    """
    stack: list[tuple[Any, int]] = [(value, depth)]
    max_str = limits.string
    max_int = 10 ** limits.integer_digits
    while stack:
        item, level = stack.pop()
        cls = item.__class__
        if cls is str:
            if len(item) > max_str:
                raise string_error(file, line, limits, len(item))
        elif cls is int:
            if -max_int < item < max_int:
                continue
            raise integer_error(file, line, limits)
        elif isinstance(item, dict):
            if level >= limits.depth:
                raise _depth_error(file, line, limits)
            for k, v in item.items():
                if len(k) > max_str:
                    raise string_error(file, line, limits, len(k))
                stack.append((v, level + 1))
        elif isinstance(item, list | tuple):
            if level >= limits.depth:
                raise _depth_error(file, line, limits)
            stack.extend((v, level + 1) for v in item)


def string_error(file: str | None, line: int | None, limits: Limits,
                 length: int) -> LimitExceededError:
    """The error for a string of ``length`` characters, over the string limit."""
    return LimitExceededError(
        f"a string of {length:,} characters, over the limit of {limits.string:,} (string); "
        + limits.hint("string"),
        file=file, line=line, limit="string",
    )


def integer_error(file: str | None, line: int | None, limits: Limits) -> LimitExceededError:
    """The error for an integer literal over the digit limit."""
    return LimitExceededError(
        f"an integer literal of more than {limits.integer_digits} digits (integer-digits); "
        + limits.hint("integer_digits"),
        file=file, line=line, limit="integer_digits",
    )


# -- text for terminals ---------------------------------------------------------------------

#: Characters that can move the cursor, rewrite the screen or reorder text: C0 (but tab and
#: newline), DEL, C1, bidirectional marks, embeddings, overrides and isolates, line separators,
#: and lone surrogates (which a UTF-8 terminal stream could not even encode).
_UNSAFE = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
           "\u2066-\u2069\ud800-\udfff")
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_LINE_RE = re.compile(f"[{_UNSAFE}\t\n]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def safe_text(text: str) -> str:
    """``text`` with every control character but tab and newline shown as ``\\uXXXX``."""
    return text if _UNSAFE_RE.search(text) is None else _UNSAFE_RE.sub(_escape, text)


def safe_line(text: str) -> str:
    """``text`` as one line: every control character, tab and newline too, shown as ``\\uXXXX``."""
    if _UNSAFE_LINE_RE.search(text) is None:
        return text
    return _UNSAFE_LINE_RE.sub(_escape, text)
