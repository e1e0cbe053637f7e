"""Everything a fault test uses to break a running stack on purpose, in one import.

`TcpProxy` takes a TCP server (moto's S3 API) down and up again without losing its state; the
HTTP fault servers answer errors, trickle bytes or fail a path's first requests; `scrape` reads a
worker's Prometheus metrics. The stack's own controls (kill, restart) are methods of `Stack`.
"""

from docfleet_blobstore import open_blob_store
from docfleet_devstack.faultservers import (
    AlwaysFailingServer,
    FaultServer,
    FlakyServer,
    TricklingServer,
)
from docfleet_devstack.metrics import scrape, scrape_port
from docfleet_devstack.proxy import TcpProxy
from docfleet_devstack.stack import Stack

__all__ = [
    "AlwaysFailingServer",
    "FaultServer",
    "FlakyServer",
    "TcpProxy",
    "TricklingServer",
    "read_blob",
    "scrape",
    "scrape_port",
    "worker_logs",
]


async def read_blob(stack: Stack, uri: str) -> bytes:
    """A blob of the stack's store, read past the S3 proxy (so also while S3 is 'down')."""
    store = await open_blob_store(stack.blob_url, stack.s3_options)
    try:
        return await store.get_bytes(uri)
    finally:
        await store.close()


def worker_logs(stack: Stack, service: str) -> str:
    """Everything every worker of `service` logged in this stack, replaced ones included."""
    return "".join(
        path.read_text(errors="replace")
        for path in sorted(stack.log_dir.glob(f"{service}-worker*.log"))
    )
