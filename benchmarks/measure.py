"""How every benchmark here measures: a command's wall time and peak memory, and the machine.

Light on purpose (the standard library only): Linux carries a process's peak resident memory over
to the programs it starts, so a script that imported pandas before timing ``salesplan plan`` would
report its own size as every run's floor.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        ram = f"{kib / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    from importlib import metadata

    versions = {}
    for dist in ("pandas", "numpy", "pyarrow", "fastexcel", "python-calamine", "XlsxWriter", "openpyxl", "isal"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "-"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
            "libraries": ", ".join(f"{k} {v}" for k, v in versions.items()),
            "load average at start": f"{load:.2f}"}


def timed(command: list[str]) -> tuple[float, float]:
    """Run ``command``; (wall seconds, peak resident memory in MiB) of that process."""
    elapsed, peak, _ = timed_with_cpu(command)
    return elapsed, peak


def timed_with_cpu(command: list[str]) -> tuple[float, float, float]:
    """Run ``command``; (wall seconds, peak resident memory in MiB, CPU seconds) of that process and
    its children (CPU time varies less than wall time on a shared machine)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{command} failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)  # bytes on macOS, KiB on Linux
    return elapsed, peak, usage.ru_utime + usage.ru_stime
