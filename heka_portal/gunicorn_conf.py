"""gunicorn in production (`gunicorn -c python:heka_portal.gunicorn_conf heka_portal.wsgi`).

- The access log keeps no token and no query string (`gunicorn_logging.RedactingLogger`), names
  the request id, and is JSON like the rest of the logs when `HEKA_LOG_FORMAT=json` (OPS-2).
- Metrics of every worker process are added up at a scrape (OPS-4): prometheus-client's
  multiprocess mode keeps them in `PROMETHEUS_MULTIPROC_DIR`, emptied when gunicorn starts, and
  forgets the live figures of a worker that exits.

`GUNICORN_BIND` and `GUNICORN_WORKERS` override the address and the number of worker processes.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gunicorn.arbiter import Arbiter
    from gunicorn.workers.base import Worker

# One folder per gunicorn master (its workers inherit the variable), so two never mix their figures.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / f"heka-metrics-{os.getpid()}"))

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = 60
graceful_timeout = 30
logger_class = "heka_portal.gunicorn_logging.RedactingLogger"
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
if os.environ.get("HEKA_LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "heka_portal.ops.logs.RedactingJsonFormatter"}},
        "filters": {"request_id": {"()": "heka_portal.ops.request_id.RequestIdFilter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
        },
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def on_starting(server: "Arbiter") -> None:
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def child_exit(server: "Arbiter", worker: "Worker") -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
