"""Running a step's work where the C allocator starts afresh: in a short-lived thread of its own.

After loading 100,000 documents, the process's main heap (glibc malloc's main arena) is riddled with free chunks
of every size between the objects that live on — each document's body was read, parsed and let go among them.
glibc keeps free chunks above ~1 KB in size-sorted bins and walks them, size by size, to find or file a chunk: in
a heap with tens of thousands of distinct free sizes every medium allocation (a page's HTML, a string from
`str.replace`, cmark-gfm's growing buffers) pays a walk, and a walk as long as the site is large. Sampled with
`perf` during the cold build's document pages: glibc's malloc and free took 14-15 % of the CPU at 10,000
documents, 35-37 % at 100,000 (`_int_malloc`, `unlink_chunk`); cmark-gfm walking its syntax tree, scattered
over that heap, a further 7 %.

A thread's first allocation gets an arena of its own (glibc: one per thread up to eight per core; an arena whose
thread ended is handed to the next new thread), whose heap holds only what that thread allocates: for a page
render, its own temporaries, freed when the page is done. Output is the same bytes: only where the allocator
takes memory from changes. Elsewhere (another C library, MALLOC_ARENA_MAX=1) it is just a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_own_arena(work: Callable[[], T]) -> T:
    """work() run in a new thread while this one waits; its result, or its exception raised here.

    The calling thread holds the GIL only while waiting, so nothing runs in parallel: the thread is there for
    the allocator only (module docstring). A daemon thread: a Ctrl+C in the waiting thread does not have to
    wait for the work to finish before the process can exit."""
    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # (re-raised in the calling thread, below)
            error.append(exc)

    thread = threading.Thread(target=run, name="gongkai-arena", daemon=True)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]
