"""Django's SMTP backend with a deadline for the whole conversation with the mail server.

EMAIL_TIMEOUT bounds each read, so a server that answers a byte now and then never times out and
can hold a sender for ever. This backend closes the connection once EMAIL_SEND_DEADLINE seconds
have passed, and the send fails like any other lost connection.
"""

import contextlib
import functools
import smtplib
import socket
import threading

from django.conf import settings
from django.core.mail.backends import smtp


class _Watched:
    """Keeps the sockets an SMTP connection opens, so that they can be closed from another thread."""

    def __init__(self, *args, sockets, **kwargs):
        self._watched_sockets = sockets
        super().__init__(*args, **kwargs)

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        self._watched_sockets.append(sock)
        return sock


class _WatchedSMTP(_Watched, smtplib.SMTP):
    pass


class _WatchedSMTPSSL(_Watched, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    def __init__(self, *args, deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline if deadline is not None else float(getattr(settings, "EMAIL_SEND_DEADLINE", 30))
        self._sockets = []

    @property
    def connection_class(self):
        return functools.partial(_WatchedSMTPSSL if self.use_ssl else _WatchedSMTP, sockets=self._sockets)

    def send_messages(self, email_messages):
        timer = threading.Timer(self.deadline, self._cut_off)
        timer.daemon = True
        timer.start()
        try:
            return super().send_messages(email_messages)
        finally:
            timer.cancel()
            self._sockets.clear()

    def _cut_off(self):
        # A read blocked on the socket returns at once, and smtplib reports a lost connection.
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
