"""Run a function as the unprivileged user 'nobody', for tests that must see what root does
not: as root, mode 000 and read-only files hide nothing. Tests call :func:`as_nobody` and
skip with :data:`SKIP_UNLESS_ROOT` elsewhere (as a user, the plain test reaches the path)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NOBODY = 65534  # the unprivileged user and group of Debian and most Linux systems

SKIP_UNLESS_ROOT = pytest.mark.skipif(
    not hasattr(os, "fork") or os.geteuid() != 0,
    reason="dropping to another user needs root; as a user the plain test reaches this path")


def as_nobody(fn: Callable[[], str]) -> str:
    """``fn()`` in a forked child that has become 'nobody'; what it returns. No new interpreter
    is started (the interpreter's own library may live where 'nobody' cannot read, here under
    /root), so whatever ``fn`` imports must be imported before the call."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, report, leave without cleanup
        status = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            answer = fn()
            with os.fdopen(write, "w") as out:
                out.write(answer)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read) as answer_in:
        text = answer_in.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child running as nobody failed"
    return text


@contextmanager
def shared_folder(prefix: str) -> Iterator[Path]:
    """A folder 'nobody' can enter but not write (pytest's tmp_path is root's alone)."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        root.chmod(0o755)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
