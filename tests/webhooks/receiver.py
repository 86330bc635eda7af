"""A real HTTP receiver on 127.0.0.1 (free port) that keeps what it is sent."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200  # what it answers; 503 plays "the host's app is down"
        self.delay = 0.0  # seconds before answering: a slow receiver
        self.woken = threading.Event()  # set to end every pending delay at once
        self.arrived = 0  # requests that reached it, answered yet or not
        self.scheme = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/hooks/crewbase"


@contextmanager
def running_receiver(tls_context=None):
    """tls_context: an ssl.SSLContext to serve HTTPS with (the URL then starts https://)."""
    receiver = Receiver()
    receiver.scheme = "https" if tls_context else "http"

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.arrived += 1
            if receiver.delay:
                receiver.woken.wait(receiver.delay)
            if receiver.status < 300:
                receiver.requests.append((dict(self.headers), body))
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls_context is not None:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.woken.set()
        server.shutdown()
        server.server_close()
        thread.join(10)


def refused_url() -> str:
    """A URL on a port nothing listens on (taken free, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"
