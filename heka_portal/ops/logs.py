"""Log formatters: JSON in production, one line per record on a laptop, both redacted (OPS-2).

Every record carries the request id (`request_id.RequestIdFilter`). The JSON record holds a fixed
set of fields: what a library passes in `extra` (Django passes the whole request) is left out.
"""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from .redaction import redact

_JSON_FIELDS = {"time", "level", "logger", "message", "request_id", "exc_info", "stack_info", "status_code"}


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingJsonFormatter(JsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "{asctime}{levelname}{name}{message}{request_id}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        for key in [key for key in log_data if key not in _JSON_FIELDS]:
            del log_data[key]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
