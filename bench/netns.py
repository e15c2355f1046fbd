"""A real throttled link for benchmarks and tests: network namespaces, veth pairs and ``tc``.

Why namespaces and not the userspace proxy of ``bench.slowlink``: on plain loopback the kernel's socket
buffers swallow a whole request body at once, so a client whose *send* has a too-short timeout looks
fine there and fails on a real 128 kbit/s office link (issue 22, finding 1). Here the bytes cross a real
router with a real, small, dropping queue:

    root namespace            router namespace (tc)              server namespace
    pkc-TAG 10.213.N.1 ── veth ── 10.213.N.2 | 10.214.N.1 ── veth ── 10.214.N.2 (the API listens here)

Both router interfaces shape their egress with ``tbf`` at ``rate_bps`` with a queue of ``queue_packets``
MTU-sized packets (tail drop beyond it), optionally behind ``netem`` one-way ``delay_ms``. Segmentation
offload is limited to one MTU (``gso_max_size 1500``) on every veth so the queue holds packets, not 64 KB
super-packets. The client runs in the root namespace (this process); the API server's listening socket
is created inside the server namespace (``listen_socket``) by a thread that enters it with ``setns``, so
one process serves both loopback (set-up) and the throttled address. Needs root and ``ip``/``tc``;
:func:`unavailable_reason` says why not, for a clean skip.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvicorn

CLONE_NEWNET = 0x40000000
MTU = 1500
T = TypeVar("T")


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), check=check, capture_output=True, text=True, timeout=20)


def unavailable_reason() -> str | None:
    """``None`` when namespaces can be made here; otherwise why not (for ``pytest.skip``)."""
    if os.name != "posix" or not hasattr(os, "geteuid"):
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "network namespaces need root (ip netns add)"
    for tool in ("ip", "tc"):
        if shutil.which(tool) is None:
            return f"the '{tool}' command (iproute2) is not installed"
    probe = f"pkprobe-{os.getpid()}"
    try:
        made = _run("ip", "netns", "add", probe, check=False)
        if made.returncode != 0:
            return f"ip netns add failed: {made.stderr.strip() or made.returncode}"
        shaped = _run(
            "ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev", "lo", "root",
            "tbf", "rate", "1mbit", "burst", "3000", "limit", "3000", check=False,
        )  # fmt: skip
        if shaped.returncode != 0:
            return f"tc cannot shape here (tbf): {shaped.stderr.strip() or shaped.returncode}"
    finally:
        _run("ip", "netns", "del", probe, check=False)
    return None


def in_namespace(name: str, fn: Callable[[], T]) -> T:
    """Run ``fn`` on a fresh thread that entered network namespace ``name`` (``setns`` is per thread)."""
    libc = ctypes.CDLL(None, use_errno=True)
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            fd = os.open(f"/var/run/netns/{name}", os.O_RDONLY)
            try:
                if libc.setns(fd, CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), f"setns into {name} failed")
            finally:
                os.close(fd)
            result["value"] = fn()
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=run, name=f"netns-{name}")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


@dataclass
class ThrottledLink:
    """Two namespaces and a shaped router (see the module docstring). Use as a context manager."""

    rate_bps: int
    queue_packets: int = 30
    delay_ms: float = 0.0
    tag: str = field(default_factory=lambda: f"{random.randrange(16**4):04x}")
    net: int = field(default_factory=lambda: random.randrange(1, 250))

    @property
    def router_ns(self) -> str:
        return f"pkr-{self.tag}"

    @property
    def server_ns(self) -> str:
        return f"pks-{self.tag}"

    @property
    def server_address(self) -> str:
        """Where the API listens, reached from this process through the router."""
        return f"10.214.{self.net}.2"

    def _ns(self, ns: str, *args: str) -> None:
        _run("ip", "netns", "exec", ns, *args)

    def __enter__(self) -> ThrottledLink:
        r, s, n, tag = self.router_ns, self.server_ns, self.net, self.tag
        try:
            _run("ip", "netns", "add", r)
            _run("ip", "netns", "add", s)
            _run("ip", "link", "add", f"pkc-{tag}", "type", "veth", "peer", "name", f"pkrc-{tag}")
            _run("ip", "link", "set", f"pkrc-{tag}", "netns", r)
            _run("ip", "link", "add", f"pkrs-{tag}", "netns", r, "type", "veth", "peer", "name", f"pks-{tag}")
            _run("ip", "link", "set", f"pks-{tag}", "netns", s)
            for ns, dev in ((None, f"pkc-{tag}"), (r, f"pkrc-{tag}"), (r, f"pkrs-{tag}"), (s, f"pks-{tag}")):
                prefix = ("ip", "netns", "exec", ns) if ns else ()
                _run(*prefix, "ip", "link", "set", "dev", dev, "mtu", str(MTU), "gso_max_size", str(MTU))
            _run("ip", "addr", "add", f"10.213.{n}.1/30", "dev", f"pkc-{tag}")
            _run("ip", "link", "set", f"pkc-{tag}", "up")
            self._ns(r, "ip", "addr", "add", f"10.213.{n}.2/30", "dev", f"pkrc-{tag}")
            self._ns(r, "ip", "addr", "add", f"10.214.{n}.1/30", "dev", f"pkrs-{tag}")
            for dev in ("lo", f"pkrc-{tag}", f"pkrs-{tag}"):
                self._ns(r, "ip", "link", "set", dev, "up")
            self._ns(r, "sysctl", "-qw", "net.ipv4.ip_forward=1")
            self._ns(s, "ip", "addr", "add", f"10.214.{n}.2/30", "dev", f"pks-{tag}")
            for dev in ("lo", f"pks-{tag}"):
                self._ns(s, "ip", "link", "set", dev, "up")
            self._ns(s, "ip", "route", "add", "default", "via", f"10.214.{n}.1")
            _run("ip", "route", "add", f"10.214.{n}.0/30", "via", f"10.213.{n}.2", "dev", f"pkc-{tag}")
            for dev in (f"pkrc-{tag}", f"pkrs-{tag}"):
                self._shape(dev, "add")
        except BaseException:
            self.close()
            raise
        return self

    def _shape(self, dev: str, verb: str) -> None:
        # tbf's limit is in bytes: queue_packets full-size frames, then tail drop.
        tbf = [
            "tbf",
            "rate",
            f"{self.rate_bps}bit",
            "burst",
            str(2 * (MTU + 14)),
            "limit",
            str(self.queue_packets * (MTU + 14)),
        ]
        if self.delay_ms > 0:
            try:
                self._ns(self.router_ns, "tc", "qdisc", verb, "dev", dev, "root", "handle", "1:", "netem",
                         "delay", f"{self.delay_ms}ms", "limit", "10000")  # fmt: skip
            except subprocess.CalledProcessError as exc:
                raise RuntimeError(
                    f"tc netem is not available here ({exc.stderr.strip()}); the delay needs sch_netem"
                ) from exc
            self._ns(self.router_ns, "tc", "qdisc", verb, "dev", dev, "parent", "1:1", "handle", "10:", *tbf)
        else:
            self._ns(self.router_ns, "tc", "qdisc", verb, "dev", dev, "root", "handle", "10:", *tbf)

    def set_rate(self, rate_bps: int) -> None:
        """Change the bandwidth of both directions in place (connections survive)."""
        self.rate_bps = rate_bps
        for dev in (f"pkrc-{self.tag}", f"pkrs-{self.tag}"):
            self._shape(dev, "change")

    def drops(self) -> int:
        """Packets the router's queues dropped so far (both directions)."""
        total = 0
        for dev in (f"pkrc-{self.tag}", f"pkrs-{self.tag}"):
            out = _run("ip", "netns", "exec", self.router_ns, "tc", "-s", "qdisc", "show", "dev", dev).stdout
            total += sum(int(m) for m in re.findall(r"dropped (\d+)", out))
        return total

    def listen_socket(self, port: int = 0) -> socket.socket:
        """A listening TCP socket on :attr:`server_address`, created inside the server namespace."""

        def make() -> socket.socket:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.server_address, port))
            sock.listen(128)
            return sock

        return in_namespace(self.server_ns, make)

    def close(self) -> None:
        """Remove both namespaces (their veth ends go with them, and so does the root route)."""
        for ns in (self.router_ns, self.server_ns):
            _run("ip", "netns", "del", ns, check=False)
        _run("ip", "link", "del", f"pkc-{self.tag}", check=False)

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def serve(app: Any, sock: socket.socket) -> Iterator[str]:
    """Serve an ASGI ``app`` on an already listening ``sock`` (uvicorn in a thread); yields its URL."""
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(
        uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="netns-api")
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the API server did not start in the namespace")
            threading.Event().wait(0.01)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
