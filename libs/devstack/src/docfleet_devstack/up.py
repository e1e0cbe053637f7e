"""`make up`: the demo with the fleet left running for the Web UI until Ctrl-C."""

from __future__ import annotations

import sys

from docfleet_devstack import demo


def main() -> None:
    sys.argv = [sys.argv[0], "--keep", *sys.argv[1:]]
    demo.main()
