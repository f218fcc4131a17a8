"""Helper processes that must end with the indexer that started them.

A writing or reading subprocess inherits the indexer's open files, its locks among
them; one that outlived a `kill -9` of its indexer would hold the index locked.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_CHECK_SECONDS = 1.0


def leave_with_parent(parent: int) -> None:
    """Make this process end as soon as `parent` does.

    On Linux the kernel kills it with its parent; elsewhere a watch thread notices
    within a second. A parent already gone ends it at once.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def stop(process: BaseProcess | None, connection: Connection | None) -> None:
    """Kill a helper process if it still runs, wait for it, and close our end of its pipe."""
    if process is not None:
        if process.is_alive():
            process.kill()
        process.join()
        process.close()
    if connection is not None:
        connection.close()
