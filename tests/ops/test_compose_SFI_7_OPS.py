"""The production shape in docker-compose.yml, checked as a document (no container engine runs here):
web replicas behind a proxy, workers and one beat, health checks on /healthz and /readyz, and the
Celery broker and the cache in Redis instances of their own with memory limits (SFI-7, OPS-1, OPS-6)."""

import itertools
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _flags(command: list[str]) -> dict[str, str]:
    return {flag.removeprefix("--"): value for flag, value in itertools.pairwise(command) if flag.startswith("--")}


def _redis_service(compose: dict, url: str) -> tuple[str, dict]:
    host = urlsplit(url).hostname
    assert host is not None, url
    assert host in compose["services"], f"{url} names no service"
    return host, compose["services"][host]


def test_broker_and_cache_are_separate_redis_instances_with_memory_limits_SFI_7(compose):
    environment = compose["x-app"]["environment"]
    broker_name, broker = _redis_service(compose, environment["CELERY_BROKER_URL"])
    cache_name, cache = _redis_service(compose, environment["REDIS_URL"])

    assert broker_name != cache_name, "the broker and the cache must not share a memory budget"
    for service in (broker, cache):
        assert service["image"].startswith("redis:")
        assert _flags(service["command"])["maxmemory"].endswith(("mb", "gb"))
    # The broker never drops a queued task; the cache may forget its least recently used keys.
    assert _flags(broker["command"])["maxmemory-policy"] == "noeviction"
    assert _flags(broker["command"])["appendonly"] == "yes"
    assert _flags(cache["command"])["maxmemory-policy"] in {"allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu"}


def test_web_replicas_sit_behind_a_proxy_that_alone_is_published_OPS_6(compose):
    services = compose["services"]
    web, proxy = services["web"], services["proxy"]
    assert web["deploy"]["replicas"] >= 2
    assert "ports" not in web, "replicas are reached through the proxy"
    assert proxy["ports"] == ["8000:8080"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"

    nginx = (ROOT / proxy["volumes"][0].split(":")[0].removeprefix("./")).read_text()
    assert "proxy_pass $web;" in nginx
    assert "set $web http://web:8000;" in nginx
    assert "resolver 127.0.0.11 valid=10s" in nginx, "replicas added by --scale must be found"
    assert "X-Request-ID $heka_request_id" in nginx
    assert "client_max_body_size 61m" in nginx


def test_workers_and_exactly_one_beat_run_the_scheduled_tasks_OPS_8(compose):
    services = compose["services"]
    assert services["worker"]["command"].startswith("celery -A heka_portal worker")
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert services["beat"]["command"].startswith("celery -A heka_portal beat")
    assert services["beat"]["deploy"]["replicas"] == 1
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"heka_portal.tasks.outbox_relay", "retention.tasks.retention_apply", "heka_portal.tasks.sessions_clear"} <= scheduled


def test_health_checks_use_healthz_and_readyz_OPS_1(compose):
    services = compose["services"]
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in " ".join(services["proxy"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "HEALTHCHECK" in dockerfile
    assert "/healthz" in dockerfile
    assert "python:heka_portal.gunicorn_conf" in dockerfile
    for name in ("db", "broker", "cache"):
        assert services[name]["healthcheck"]["test"]
    for name in ("web", "worker", "beat", "migrate"):
        depends = services[name]["depends_on"]
        assert {depends[part]["condition"] for part in ("db", "broker", "cache")} == {"service_healthy"}
