"""Real network faults for the tests: a TCP proxy in front of a real server that can stop answering."""

import selectors
import socket
import threading


class SwitchableProxy:
    """Forwards connections to `target` (host, port) until told to hang.

    While hanging it accepts connections and reads what clients send, but never answers and never
    forwards: the behaviour of a Redis stuck in `DEBUG SLEEP` or a server behind a dead link.
    `bytes_received` counts what clients sent while hanging, so a test can tell whether anybody asked.
    """

    def __init__(self, target):
        self.target = target
        self.hanging = False
        self.bytes_received = 0
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, None)
        self._peers = {}
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def port(self):
        return self._listener.getsockname()[1]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._closed = True
        self._thread.join(timeout=5)
        for sock in list(self._peers):
            sock.close()
        self._listener.close()
        self._selector.close()

    def _run(self):
        while not self._closed:
            for key, _ in self._selector.select(timeout=0.05):
                if key.fileobj is self._listener:
                    self._accept()
                else:
                    self._relay(key.fileobj)

    def _accept(self):
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        upstream = None
        if not self.hanging:
            upstream = socket.create_connection(self.target, timeout=5)
            self._peers[upstream] = client
            self._selector.register(upstream, selectors.EVENT_READ, None)
        self._peers[client] = upstream
        self._selector.register(client, selectors.EVENT_READ, None)

    def _relay(self, sock):
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        peer = self._peers.get(sock)
        if not data:
            self._drop(sock)
            return
        if self.hanging or peer is None:
            self.bytes_received += len(data)
            return
        peer.sendall(data)

    def _drop(self, sock):
        peer = self._peers.pop(sock, None)
        for each in (sock, peer):
            if each is None:
                continue
            try:
                self._selector.unregister(each)
            except (KeyError, ValueError):
                pass
            self._peers.pop(each, None)
            each.close()
