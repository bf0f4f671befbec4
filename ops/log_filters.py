"""Keeping what patients type out of the logs.

The app itself never logs a field value, but others can: a database error quotes the failing row, the
SQL debug log prints query parameters, and any exception message may echo its input. While a form
post is handled, and for every record about a request marked with `sensitive_post_parameters`, this
filter drops those parts and keeps what an operator needs: which exception, where, and for which URL.
"""

import logging
import traceback
from contextlib import contextmanager
from contextvars import ContextVar

_handling_form_data = ContextVar("appointments_handling_form_data", default=False)


@contextmanager
def handling_form_data():
    """Marks the code inside as touching a patient's form data, for the log filter."""
    token = _handling_form_data.set(True)
    try:
        yield
    finally:
        _handling_form_data.reset(token)


def withheld_traceback(exc_info):
    """The traceback's frames and exception types, without any exception message."""
    _, exc, _ = exc_info
    chain = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    lines = []
    for exc in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        exc_type = type(exc)
        lines.append(f"{exc_type.__module__}.{exc_type.__qualname__}: (message withheld: it may quote form data)\n")
    return "".join(lines).rstrip("\n")


class WithholdFormData(logging.Filter):
    def filter(self, record):
        request = getattr(record, "request", None)
        if not (_handling_form_data.get() or getattr(request, "sensitive_post_parameters", None)):
            return True
        if record.name.startswith("django.db.backends"):
            record.msg = "(database query withheld: its parameters may be form data)"
            record.args = ()
            for attribute in ("sql", "params"):
                if hasattr(record, attribute):
                    setattr(record, attribute, "(withheld)")
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = withheld_traceback(record.exc_info)
            record.exc_info = None
        return True
