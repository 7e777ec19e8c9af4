"""DOC-1: the rescue plans stored on buildings before the archive (TEN-8) become rescue-plan
documents naming the same stored files, and the old address serves them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.tenancy.pages import login

BEFORE = [("tenancy", "0004_content_in_swedish_and_english"), ("documents", None)]
PLAN = b"%PDF-1.4 the plan stored before the archive"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_stored_rescue_plans_move_into_documents_with_their_files_DOC_1_TEN_8(client, household):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = migrate(BEFORE)
    try:
        Building = old_apps.get_model("tenancy", "Building")
        stored = default_storage.save("rescue-plans/building-old.pdf", ContentFile(PLAN))
        Building.objects.filter(pk=household.building.pk).update(rescue_plan=stored)
        Building.objects.exclude(pk=household.building.pk).update(rescue_plan="")
    finally:
        new_apps = migrate(latest)

    Document = new_apps.get_model("documents", "Document")
    plan = Document.objects.get(building_id=household.building.pk)
    assert plan.kind == "rescue_plan"
    assert plan.file.name == stored, "the stored file is kept where it was"
    assert plan.content_type == "application/pdf"
    assert Document.objects.count() == 1

    login(client, household.family_member)
    response = client.get(f"/building/{household.building.pk}/rescue-plan/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PLAN
    default_storage.delete(stored)
