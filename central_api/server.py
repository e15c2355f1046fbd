"""Run uvicorn in a background thread (demo mode and tests).

Why we bind the socket ourselves: a port in use must surface as an ``OSError`` in the caller's thread at
``start()`` (uvicorn would call ``sys.exit`` inside its thread), and port 0 gives a free port whose
number we can read back before any request is made.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

from central_api.app import create_app
from central_api.runtime import Runtime
from central_api.settings import Settings


class ServerStartError(RuntimeError):
    """The server did not come up (message says why)."""


class ServerThread:
    """A real uvicorn server on ``host:port`` in a daemon thread; ``port=0`` picks a free port."""

    def __init__(
        self,
        app: FastAPI | Settings | Runtime,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log_level: str = "warning",
    ) -> None:
        self.app = app if isinstance(app, FastAPI) else create_app(app)
        self.host = host
        self.port = port
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8123``."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> ServerThread:
        """Bind, start serving and wait until uvicorn accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        sock.listen(128)
        sock.set_inheritable(True)
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level=self._log_level,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"central-api:{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ServerStartError(f"the API server did not start on {self.url}")
            time.sleep(0.01)
        return self

    def request_stop(self) -> None:
        """Ask uvicorn to exit without waiting (call :meth:`stop` later to wait)."""
        if self._server is not None:
            self._server.should_exit = True

    def stop(self, timeout: float = 15.0) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
