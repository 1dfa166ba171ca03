"""Core properties (``docProps/core.xml``; ECMA-376 Part 2, §11 Core Properties): the title,
author and the times the document was created and last modified."""

from __future__ import annotations

import re

__all__ = ["set_times"]

_TIMES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*")


def set_times(xml: bytes, stamp: bytes) -> bytes:
    """The core properties `xml` with `stamp` (W3CDTF, ``2026-01-01T00:00:00Z``) as the times
    the document was created and last modified."""
    return _TIMES.sub(lambda m: m.group(1) + stamp, xml)
