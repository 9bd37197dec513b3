"""JSON text every reader can split into lines: the one escaping step every writer takes.

``json.dumps(..., ensure_ascii=False)`` leaves U+0085, U+2028 and U+2029 raw
(readers that split lines with ``str.splitlines`` cut a string in two there)
and writes a lone surrogate as itself (which cannot be encoded as UTF-8).  In
the JSON text such a writer produces, these characters can only stand inside
string literals, so replacing each with its ``\\uXXXX`` escape gives JSON that
reads back as the same value, and text that is plain UTF-8 lines.

(JSON itself reads an escaped high surrogate followed by an escaped low one as
the single character they encode: a string holding such a pair of lone
surrogates comes back as that character, as with any JSON library.)
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["UNSAFE", "dumps", "escape"]

#: The characters :func:`escape` replaces.
UNSAFE = re.compile("[\u0085\u2028\u2029\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape(text: str) -> str:
    """``text`` (JSON written with ``ensure_ascii=False``) with U+0085, U+2028, U+2029 and
    lone surrogates written as ``\\uXXXX`` escapes."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_escaped, text)


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)``, then :func:`escape`."""
    return escape(json.dumps(value, ensure_ascii=False, **options))
