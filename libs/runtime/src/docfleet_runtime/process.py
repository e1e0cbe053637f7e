"""How a DocFleet process ends: flushed, then without CPython's interpreter teardown.

The Temporal SDK's native (Rust) threads can outlive the event loop. If they touch Python while
CPython finalizes, the process aborts with "PyGILState_Release: thread state ... must be current"
(temporalio/sdk-python issue 300); seen here as a worker exiting with SIGABRT after a clean
drain. Once the work is done there is nothing left to tear down, so the process exits at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Coroutine
from typing import Any, NoReturn

log = logging.getLogger(__name__)


def end_process(code: int) -> NoReturn:
    """Flush logs and standard streams, then exit with `code` without interpreter teardown."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe must not change the exit code
    os._exit(code)


def run_process(main: Coroutine[Any, Any, None]) -> NoReturn:
    """Run a worker's main coroutine to its end, then `end_process` with 0, or 1 if it failed."""
    code = 0
    try:
        asyncio.run(main)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        log.exception("the process stopped on an unexpected error")
        code = 1
    end_process(code)
