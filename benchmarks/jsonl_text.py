"""The JSON text the stores write for an event, and ``orjson`` where it is installed.

Shared by the wall-clock cases (``cases.py``) and the instruction counts
(``callgrind.py``), so neither imports the other for it.
"""

from __future__ import annotations

import json
from types import ModuleType

import crisis_model as cm
from crisis_model.serialization import to_dict

__all__ = ["orjson", "payload_text"]

orjson: ModuleType | None
try:
    import orjson
except ImportError:  # the harness runs without the bench extra, on stdlib json
    orjson = None


def payload_text(event: cm.Event) -> str:
    """The JSON text the stores write for ``event`` (compact, UTF-8, no NaN)."""
    return json.dumps(to_dict(event), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
