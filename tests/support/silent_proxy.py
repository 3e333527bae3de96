"""A TCP proxy to the broker that can go silent: connections stay open, nothing passes either way,
as when the broker's host dies or a firewall drops the flows without a reset."""

from __future__ import annotations

import socket
import threading
import time


class SilentProxy:
    def __init__(self, upstream_port: int):
        self.upstream_port, self.silent = upstream_port, threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def uri(self, amqp_uri: str) -> str:
        return amqp_uri.replace(f":{self.upstream_port}/", f":{self.port}/")

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.silent.is_set():  # silent: swallow it, close nothing
                    target.sendall(data)
        except OSError:
            return

    def close(self) -> None:
        # shut down before closing: a pump blocked in recv wakes up and ends. A socket merely
        # closed under eventlet leaves its reader registered on the fd number, which the next
        # socket to get that number (a database connection in a later test) then trips over.
        for s in [*self._sockets, self.server]:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        time.sleep(0.2)
        for s in [*self._sockets, self.server]:
            s.close()
