"""Fault points (BUGGIFY-style) for the kill -9 tests.

`KD_SYNC_FAULT=<point>` makes the process kill itself with SIGKILL when it reaches that
point; `KD_SYNC_FAULT=<point>@<n>` on the n-th time. Unset in normal use: a dictionary lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "push_after_write",  # temp file written, not yet fsynced
    "push_after_fsync",  # temp file durable, not yet renamed
    "push_after_rename",  # segment visible in the store, not read back
    "push_after_verify",  # read back, ops not yet marked pushed locally
    "push_after_mark",  # marked pushed (commit done)
    "apply_mid",  # remote ops inserted, reducer not finished, not committed
    "apply_after_commit",  # segment applied and committed, next not started
    "image_before_swap",  # join image ready beside the database, engine disposed, not swapped
    "image_after_swap",  # join image swapped in, nothing pulled after it yet
)

_spec = os.environ.get("KD_SYNC_FAULT", "")
_name, _, _nth = _spec.partition("@")
_count = {"n": 0}


def point(name: str) -> None:
    if not _name or name != _name:
        return
    _count["n"] += 1
    if _count["n"] >= int(_nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
