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
CMD ["gunicorn", "heka_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-", \
     "--logger-class", "heka_portal.gunicorn_logging.RedactingLogger"]
