"""Mail servers for the notification tests, all on 127.0.0.1:8400-8499: a real one that keeps every
message, a closed port, a silent one and one that drips its answer."""

import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller
from django.test import override_settings


def bound_socket():
    """A socket bound to a free port in 8400-8499 and not listening: connecting to it is refused."""
    for port in range(8400, 8500):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        return sock
    raise RuntimeError("No free port in 8400-8499.")


def smtp_settings(port, timeout=5):
    return override_settings(
        EMAIL_BACKEND="ops.mail.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=timeout,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    )


class ClosedPort:
    """The mail server is down: nothing listens on the port."""

    def __enter__(self):
        self.socket = bound_socket()
        self.settings = smtp_settings(self.socket.getsockname()[1])
        self.settings.enable()
        return self

    def __exit__(self, *exc_info):
        self.settings.disable()
        self.socket.close()


class SilentServer(ClosedPort):
    """The mail server accepts the connection and never answers, so the client times out."""

    def __init__(self, timeout=0.5):
        self.timeout = timeout

    def __enter__(self):
        self.socket = bound_socket()
        self.socket.listen(1)
        self.settings = smtp_settings(self.socket.getsockname()[1], timeout=self.timeout)
        self.settings.enable()
        return self

    def was_contacted(self):
        """Whether anybody connected (the kernel completes connections before they are accepted)."""
        self.socket.setblocking(False)
        try:
            connection, _ = self.socket.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True


class DrippingServer(ClosedPort):
    """The mail server answers one byte every tenth of a second and never finishes its greeting, so
    no single read ever times out."""

    def __enter__(self):
        self.socket = bound_socket()
        self.socket.listen(4)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.drip, daemon=True)
        self.thread.start()
        self.settings = smtp_settings(self.socket.getsockname()[1], timeout=1)
        self.settings.enable()
        return self

    def drip(self):
        self.socket.settimeout(0.1)
        clients = []
        while not self.stopped.is_set():
            try:
                clients.append(self.socket.accept()[0])
            except OSError:
                pass
            for client in list(clients):
                try:
                    client.sendall(b"2")
                except OSError:
                    clients.remove(client)
        for client in clients:
            client.close()

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()
        super().__exit__(*exc_info)


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message, or refuses every recipient."""

    def __init__(self, refuse_recipients=False):
        self.refuse_recipients = refuse_recipients
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return "550 5.7.1 Recipient refused"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def __enter__(self):
        placeholder = bound_socket()
        port = placeholder.getsockname()[1]
        placeholder.close()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.settings = smtp_settings(port)
        self.settings.enable()
        return self

    def __exit__(self, *exc_info):
        self.settings.disable()
        self.controller.stop()
