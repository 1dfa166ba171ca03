"""The build's process keeps the memory it frees for reuse (salesplan.memory.hold_freed_memory).

Each case runs in a fresh interpreter: the allocators are chosen once per process, and the test
process has long since chosen its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from salesplan.memory import HELD_BYTES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and Arrow's pools on Linux")

# Where a 40 MB block comes from: below the program break is the C library's heap; a block of its
# own (mmap) lies far above it.
PROBE = textwrap.dedent("""
    import ctypes, json, sys
    {setup}
    import pyarrow as pa
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = libc.sbrk.restype = ctypes.c_void_p
    block = libc.malloc(40 << 20)
    from_heap = block < libc.sbrk(0)
    libc.free(ctypes.c_void_p(block))
    pa.array(range(1000))  # the pool is chosen on first use
    print(json.dumps({{"pool": pa.default_memory_pool().backend_name, "from_heap": bool(from_heap)}}))
""")


def probe(setup: str, **env: str) -> dict[str, object]:
    import json

    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"} | env
    out = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], capture_output=True, text=True,
                         check=True, env=environment)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_the_defaults_hand_out_fresh_memory():
    """What the setting changes: without it, Arrow's pool is mimalloc and a 40 MB block is mapped
    on its own (and unmapped when freed)."""
    found = probe("")
    assert found == {"pool": "mimalloc", "from_heap": False}


def test_freed_memory_is_held_before_arrow_is_imported():
    found = probe("from salesplan.memory import hold_freed_memory; hold_freed_memory()")
    assert found == {"pool": "system", "from_heap": True}
    assert 40 << 20 < HELD_BYTES


def test_arrow_imported_first_still_gets_the_system_pool():
    found = probe("import pyarrow; from salesplan.memory import hold_freed_memory; hold_freed_memory()")
    assert found["pool"] == "system"


def test_a_pool_named_in_the_environment_is_kept():
    found = probe("from salesplan.memory import hold_freed_memory; hold_freed_memory()",
                  ARROW_DEFAULT_MEMORY_POOL="mimalloc")
    assert found == {"pool": "mimalloc", "from_heap": True}


def test_the_command_holds_freed_memory_before_it_reads():
    """``salesplan`` sets it at its start, whatever the command (here a check that stops at once:
    the file is missing)."""
    setup = textwrap.dedent("""
        import contextlib, io
        from salesplan.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["check", "/nonexistent/book.xlsx"]) == 1
    """)
    found = probe(setup)
    assert found == {"pool": "system", "from_heap": True}
