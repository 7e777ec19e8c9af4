FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=heka_portal.settings.production
WORKDIR /app

RUN groupadd --system heka && useradd --system --gid heka --home /app heka
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY --chown=heka:heka . .
RUN DJANGO_SETTINGS_MODULE=heka_portal.settings.local python manage.py collectstatic --no-input \
    && mkdir -p /app/var && chown heka:heka /app/var

USER heka
EXPOSE 8000
# OPS-1: /healthz answers without I/O; docker-compose asks the web replicas for /readyz instead.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# Bind, workers, the redacted JSON access log and the metrics of all workers: heka_portal/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:heka_portal.gunicorn_conf", "heka_portal.wsgi"]
