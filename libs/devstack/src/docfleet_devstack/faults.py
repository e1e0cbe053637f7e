"""Everything a fault test uses to break a running stack on purpose, in one import.

`TcpProxy` takes a TCP server (moto's S3 API) down and up again without losing its state; the
HTTP fault servers answer errors, trickle bytes or fail a path's first requests; `scrape` reads a
worker's Prometheus metrics. The stack's own controls (kill, restart) are methods of `Stack`.
"""

from docfleet_devstack.faultservers import (
    AlwaysFailingServer,
    FaultServer,
    FlakyServer,
    TricklingServer,
)
from docfleet_devstack.metrics import scrape, scrape_port
from docfleet_devstack.proxy import TcpProxy

__all__ = [
    "AlwaysFailingServer",
    "FaultServer",
    "FlakyServer",
    "TcpProxy",
    "TricklingServer",
    "scrape",
    "scrape_port",
]
