from io import StringIO

from applications.demo import populate
from applications.models import Applicant, Application


def test_demo_populate_is_idempotent(db, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        populate(stdout=out)
        populate(stdout=out)
    populate()

    assert Application.objects.count() == 1
    assert Applicant.objects.count() == 3
    assert "created" in out.getvalue()
    assert "exists already" in out.getvalue()
