"""Keep freed memory inside the process, for the workbook's own processes.

Validating a large table allocates and frees many large temporaries (the file's
bytes, parsed columns, hash tables, index arrays). glibc hands each block above
32 MB (and, by its sliding threshold, many smaller ones) back to the kernel when
it is freed, and takes fresh pages for the next. On a virtual machine whose
host reclaims freed guest memory (this project's Firecracker VMs do), a fresh
page can cost 3 ms a megabyte to touch, so the same work swings by half from one
run to the next. Allocating from the process's own heap and never trimming it
reuses pages already touched. Measured side by side (separate processes,
alternated), validation and metrics of a million rows over ``read_csv`` of the
same file: 2.42 / 2.71 / 2.66 kept against 3.01 / 2.79 / 2.77 while the machine's
memory was cold, and no difference once it was warm (2.72 / 2.42 / 2.49 against
2.68 / 2.42 / 2.70); a full ``workbook run`` is unchanged (4.53 against 4.67 s).

``keep_freed_memory`` is called where the workbook owns the process: the
``workbook`` command (``cli.entry``) and ``make bench``. A notebook kernel, a test
session or a program calling ``cli.main`` keeps its own allocator settings.
The costs: a process keeps its peak memory until it exits, and the peak itself can
be higher (a freed block is reused only for a request it can hold: a buffer grown
step by step peaked 55 % higher in a reviewer's test). Blocks over 64 MB that
other threads allocate are still handed back.
"""

from __future__ import annotations

import ctypes
import functools

#: glibc's ``mallopt`` parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4


@functools.cache
def keep_freed_memory() -> bool:
    """Tell glibc to serve allocations from the heap, not fresh mappings, and never to
    shrink it; once per process. Returns whether it took effect (False off glibc:
    macOS, musl, Windows)."""
    try:
        libc = ctypes.CDLL(None)  # the process's own symbols, libc's among them
        libc.gnu_get_libc_version  # noqa: B018 - glibc only (musl's mallopt does nothing)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return mallopt(_M_MMAP_MAX, 0) == 1 and mallopt(_M_TRIM_THRESHOLD, 2**31 - 1) == 1
