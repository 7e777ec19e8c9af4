import os

from celery import Celery

# Workers and beat run in production unless told otherwise; a laptop runs tasks in-process.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heka_portal.settings.production")

app = Celery("heka_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
