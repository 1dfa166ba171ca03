"""How a build's process gets and gives back memory.

A build allocates and frees big blocks all the time (a million-row column is 8 MB, its text 40 MB),
and on Linux every page the system hands out fresh is zeroed first, in the kernel's time. Two
defaults make a build ask for fresh pages far more often than it needs: Arrow's pool (mimalloc)
asks for huge pages, 2 MB each zeroed at once, and gives freed ones back within milliseconds; the C
library maps every block above 32 MB on its own and unmaps it when freed, and trims its heap as
soon as 128 KB at the top are free. :func:`hold_freed_memory` makes both keep what they freed for
the next block (see its figures).

And memory a process has let go of is handed back to the system before it forks (:func:`give_back`).

After a big read (ten million Parquet lines through DuckDB and Arrow) the process still holds memory
it has freed: Arrow's pool and the C library's heap keep freed blocks for reuse
rather than return them. A child forked then (:mod:`salesplan.beside`) starts from all those pages,
and the blocks it reuses are copied for it page by page. Returned before the fork, they cost
nothing to either: on the 10-million-line benchmark the parent's resident size at the instruments'
fork falls from about 1.9 to 1.5 GiB. (A child's own peak is no lower for it: what it allocates
comes fresh from the system instead of from the blocks it inherited.)
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import cache
from typing import Any

#: Blocks up to this size come from the C library's heap, and this much may stay free at its top:
#: a million-row column of numbers or codes is 8 MB, of text 20 to 50 MB. (256 MB saved no more
#: time, and raised the 10-million-line Parquet build's peak by 70 MB.)
HELD_BYTES = 64 << 20

# mallopt's parameter numbers (glibc's malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def hold_freed_memory() -> None:
    """Keep freed memory in the process for reuse, on Linux; nothing elsewhere.

    Arrow allocates from the C library (its "system" pool) rather than mimalloc, unless
    ``ARROW_DEFAULT_MEMORY_POOL`` says otherwise; the C library keeps blocks up to
    :data:`HELD_BYTES` in its heap and does not trim it below that. Planning 1 048 575 rows × 30 000
    clients on the 2-core benchmark machine, three runs each way, taking turns: huge pages zeroed
    about 370 → 40, kernel time 3.8–4.7 → 1.8–2.2 s, the build 8.4–10.0 → 6.6–8.6 s, peak 0.83 →
    0.85–0.95 GiB. The 10-million-line Parquet build, whose rows DuckDB holds in its own memory,
    is the same within the noise, peak too. Called once, at the start of a command, before Arrow
    allocates anything (its pool is chosen on first use); :func:`give_back` still returns what is
    free before a fork.
    """
    if not sys.platform.startswith("linux"):
        return
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        arrow = sys.modules.get("pyarrow")
        if arrow is None:
            os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
        else:  # already imported: its pool may not be chosen yet, and this chooses it
            arrow.set_memory_pool(arrow.system_memory_pool())
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, HELD_BYTES)
        mallopt(_M_TRIM_THRESHOLD, HELD_BYTES)


def give_back() -> None:
    """Return the memory freed so far to the system (Arrow's pool, then the C heap); cheap when
    there is nothing to return, and nothing at all where neither applies."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:  # only a process that has used Arrow has a pool to empty
        arrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _libc() -> Any:
    """The C library, or None where it is not glibc's (Windows, macOS)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None (Windows, macOS, another C library)."""
    return getattr(_libc(), "malloc_trim", None)


def _mallopt() -> Any:
    """glibc's ``mallopt``, or None."""
    return getattr(_libc(), "mallopt", None)
