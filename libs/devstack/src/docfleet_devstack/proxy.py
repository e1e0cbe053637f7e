"""A TCP forwarder that fault tests cut and restore, so a server looks down while keeping its state.

Clients talk to the proxy's port instead of the server's. `cut()` closes the listening socket and
resets every open connection (new clients get "connection refused", as from a dead host);
`restore()` listens again on the same port. The server behind it (say, moto with its in-memory
buckets) never notices. The proxy runs its own event loop in a background thread, so
synchronous tests and async tests alike can use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_CHUNK = 64 * 1024


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target_host`:`target_port` until `close()`."""

    def __init__(
        self, target_host: str, target_port: int, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = host
        self.connections = 0
        """Client connections accepted so far (all of them, across cuts)."""
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name=f"tcp-proxy-{target_port}", daemon=True
        )
        self._thread.start()
        try:
            self.port: int = self._call(self._listen(port))
        except BaseException:
            self._stop_loop()
            raise

    @property
    def address(self) -> str:
        """`host:port` clients should connect to."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """`http://host:port`, for HTTP servers such as moto."""
        return f"http://{self.address}"

    @property
    def is_cut(self) -> bool:
        return self._server is None

    def cut(self) -> None:
        """Stop listening and reset every open connection: the server looks down."""
        self._call(self._cut())

    def restore(self, timeout: float = 10.0) -> None:
        """Listen again on the same port (retrying while the OS still holds it)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._call(self._listen(self.port))
                return
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        """Cut for good and stop the background loop."""
        if self._loop.is_closed():
            return
        self._call(self._cut())
        self._call(self._cancel_tasks())
        self._stop_loop()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=30)

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _listen(self, port: int) -> int:
        if self._server is not None:
            return self.port
        self._server = await asyncio.start_server(self._accept, self.host, port, reuse_address=True)
        bound: int = self._server.sockets[0].getsockname()[1]
        return bound

    async def _cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()  # RST, not a polite FIN: the peer sees the host vanish
        self._writers.clear()
        if server is not None:
            await server.wait_closed()

    async def _cancel_tasks(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for _ in range(3):  # let aborted transports run their connection_lost callbacks
            await asyncio.sleep(0)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._track(asyncio.current_task())
        self._writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            writer.transport.abort()
            self._writers.discard(writer)
            return
        self._writers.add(up_writer)
        pipes = [
            asyncio.ensure_future(_pipe(reader, up_writer)),
            asyncio.ensure_future(_pipe(up_reader, writer)),
        ]
        try:
            await asyncio.gather(*pipes)
        finally:
            for pipe in pipes:
                pipe.cancel()
            for end in (writer, up_writer):
                self._writers.discard(end)
                end.transport.abort()

    def _track(self, task: asyncio.Task[Any] | None) -> None:
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy one direction until EOF or a reset; pass a half-close on."""
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
