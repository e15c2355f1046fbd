"""A userspace slow-link TCP proxy (asyncio): bandwidth, one-way latency and periodic resets.

Why userspace: ``tc netem`` needs root and a network namespace; this runs anywhere, on 127.0.0.1. Each
direction is one shared link of ``rate_bps``: a chunk occupies the link for ``len·8/rate`` seconds after
the previous chunk, then arrives ``latency_s`` later. A new connection may send only after one round
trip (the TCP handshake over the slow link). Read-ahead per connection is limited to ``window`` bytes,
so bytes that were never "on the wire" are not charged to the link when a connection is reset. Every
``reset_every`` bytes carried client→server (±10 % jitter), the connection carrying the byte that
crosses the mark is aborted on both sides (RST), losing whatever it had in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Link:
    """One direction: serialises chunks at ``rate_bps`` and delays them by ``latency_s``."""

    rate_bps: float
    latency_s: float
    free_at: float = 0.0

    def schedule(self, now: float, nbytes: int, not_before: float = 0.0) -> tuple[float, float]:
        """Occupy the link for ``nbytes``: returns (when it has left the sender, when it arrives)."""
        start = max(now, self.free_at, not_before)
        self.free_at = start + nbytes * 8 / self.rate_bps
        return self.free_at, self.free_at + self.latency_s


@dataclass
class Stats:
    connections: int = 0
    resets: int = 0
    up_bytes: int = 0
    down_bytes: int = 0
    _next_reset: float = 0.0


@dataclass
class SlowLinkProxy:
    """Forward 127.0.0.1:<port> to ``upstream`` through the simulated link. ``start()`` runs it in a thread."""

    upstream: tuple[str, int]
    rate_bps: float = 256_000
    latency_s: float = 0.3
    reset_every: int | None = 500_000
    window: int = 8192
    seed: int = 0
    stats: Stats = field(default_factory=Stats)
    port: int = 0

    def __post_init__(self) -> None:
        self._up = Link(self.rate_bps, self.latency_s)
        self._down = Link(self.rate_bps, self.latency_s)
        self._rng = random.Random(self.seed)
        self.stats._next_reset = self._draw_reset()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None

    def _draw_reset(self) -> float:
        if not self.reset_every:
            return float("inf")
        return self.stats.up_bytes + self.reset_every * self._rng.uniform(0.9, 1.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SlowLinkProxy:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
            self._server = loop.run_until_complete(asyncio.start_server(self._handle, sock=sock))
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="slow-link-proxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), loop)
        if self._thread is not None:
            self._thread.join(5)

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        self.stats.connections += 1
        handshake_done = loop.time() + 2 * self.latency_s
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.close()
            return
        aborted = asyncio.Event()

        def abort() -> None:
            if aborted.is_set():
                return
            aborted.set()
            self.stats.resets += 1
            for w in (client_w, server_w):
                sock = w.get_extra_info("socket")
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                        )
                w.transport.abort()

        up = asyncio.create_task(
            self._pipe(client_r, server_w, self._up, handshake_done, True, abort, aborted)
        )
        down = asyncio.create_task(self._pipe(server_r, client_w, self._down, 0.0, False, abort, aborted))
        await asyncio.wait([up, down], return_when=asyncio.ALL_COMPLETED)
        for w in (client_w, server_w):
            with contextlib.suppress(Exception):
                w.close()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        link: Link,
        not_before: float,
        upstream: bool,
        abort: object,
        aborted: asyncio.Event,
    ) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()
        in_flight = asyncio.Semaphore(max(1, self.window // 1024))

        async def deliver() -> None:
            while True:
                item = await queue.get()
                if item is None or aborted.is_set():
                    break
                when, data = item
                delay = when - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                if aborted.is_set():
                    break
                if upstream:
                    self.stats.up_bytes += len(data)
                    if self.stats.up_bytes >= self.stats._next_reset:
                        self.stats._next_reset = self._draw_reset()
                        abort()  # type: ignore[operator]
                        break
                else:
                    self.stats.down_bytes += len(data)
                try:
                    writer.write(data)
                    await writer.drain()
                except (ConnectionError, RuntimeError):
                    break
            with contextlib.suppress(Exception):
                if not aborted.is_set() and writer.can_write_eof():
                    writer.write_eof()

        sender = asyncio.create_task(deliver())
        try:
            while not aborted.is_set():
                await in_flight.acquire()
                try:
                    data = await reader.read(1024)
                except (ConnectionError, OSError):
                    break
                if not data:
                    break
                sent, arrives = link.schedule(loop.time(), len(data), not_before)
                loop.call_at(sent, in_flight.release)
                queue.put_nowait((arrives, data))
        finally:
            queue.put_nowait(None)
            await sender
