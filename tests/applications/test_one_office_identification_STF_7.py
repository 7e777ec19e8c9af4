"""STF-7: an office identification is recorded once, in one form, whether it serves registration
(ACC-4) or application confirmation (APP-5); the migration that made the two records one keeps
every record, the user-name links and the admin's audit trail."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.forms import OfficeIdentificationAdminForm
from accounts.models import OfficeIdentification, User
from applications.models import Applicant, UsernameLink
from tests.applications.flow import ANNA, confirm_as_main, kalle_with_email
from tests.factories.tenancy import RegionOfficeFactory

KALLE_CODE = "010469-999W"
BEFORE = [("accounts", "0003_saml_logout_sessions"), ("applications", "0001_initial")]
AFTER = [("accounts", "0004_one_office_identification"), ("applications", "0004_remove_applications_office_identification")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_record_its_links_and_its_audit_trail_STF_7():
    executor = MigrationExecutor(connection)
    # Every other app as it is now; the two apps as they were before the one record.
    before = BEFORE + [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ("accounts", "applications")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    try:
        now = timezone.now()
        clerk = old.get_model("accounts", "User").objects.create(email="clerk@heka.example", password="!", is_staff=True)
        office = old.get_model("tenancy", "RegionOffice").objects.create(
            name="Itä", street_address="Kontulankaari 1", postal_code="00940", phone="09 1", email="ita@heka.example"
        )
        person = old.get_model("tenancy", "Person").objects.create(
            first_names="Maija", last_name="Virtanen", birth_date=date(1976, 10, 14)
        )
        kalle = old.get_model("tenancy", "Person").objects.create(
            first_names="Kalle", last_name="Kivi", birth_date=date(1969, 4, 1)
        )
        registering = old.get_model("accounts", "OfficeIdentification").objects.create(
            person=person,
            document_type="passport",
            office=office,
            clerk=clerk,
            email="maija@example.com",
            identified_at=now,
            expires_at=now + timedelta(days=30),
        )
        application = old.get_model("applications", "Application").objects.create(
            areas=["east"], apartment_size="2", max_rent=900, moving_date=date(2027, 1, 1)
        )
        applicant = old.get_model("applications", "Applicant").objects.create(
            application=application,
            role="co",
            first_names="Kalle",
            last_name="Kivi",
            birth_date=date(1969, 4, 1),
            person=kalle,
            identification_method="office",
            identified_at=now,
            confirmed_at=now,
        )
        confirming = old.get_model("applications", "OfficeIdentification").objects.create(
            applicant=applicant,
            document_type="identity_card",
            office="Työpajankatu 8, Helsinki",
            clerk=clerk,
            identified_at=now - timedelta(days=2),
            email="kalle@example.com",
        )
        link = old.get_model("applications", "UsernameLink").objects.create(
            office_identification=confirming, email="kalle@example.com", expires_at=now + timedelta(days=1)
        )
        types = old.get_model("contenttypes", "ContentType").objects
        old_type, _created = types.get_or_create(app_label="applications", model="officeidentification")
        account_type, _created = types.get_or_create(app_label="accounts", model="officeidentification")
        entries = old.get_model("admin", "LogEntry").objects
        entries.create(
            user_id=clerk.pk,
            content_type_id=old_type.pk,
            object_id=str(confirming.pk),
            object_repr="Kalle",
            action_flag=ADDITION,
            action_time=now,
        )
        entries.create(
            user_id=clerk.pk,
            content_type_id=old_type.pk,
            object_id=str(confirming.pk),
            object_repr="Kalle",
            action_flag=CHANGE,
            action_time=now,
        )
        entries.create(
            user_id=clerk.pk,
            content_type_id=account_type.pk,
            object_id=str(registering.pk),
            object_repr="Maija",
            action_flag=ADDITION,
            action_time=now,
        )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        assert OfficeIdentification.objects.count() == 2, "every record is kept, as one record each"
        kept = OfficeIdentification.objects.get(pk=registering.pk)
        assert (kept.person_id, kept.email, kept.office_id) == (person.pk, "maija@example.com", office.pk)
        moved = OfficeIdentification.objects.get(applicant_id=applicant.pk)
        assert (moved.person_id, moved.document_type, moved.office_name, moved.clerk_id, moved.email) == (
            kalle.pk,
            "identity_card",
            "Työpajankatu 8, Helsinki",
            clerk.pk,
            "kalle@example.com",
        )
        assert moved.identified_at == confirming.identified_at
        assert UsernameLink.objects.get(pk=link.pk).office_identification_id == moved.pk, "the user-name link follows"
        assert Applicant.objects.get(pk=applicant.pk).office_identification == moved
        trail = LogEntry.objects.filter(object_repr="Kalle").order_by("action_flag")
        assert [entry.action_flag for entry in trail] == [ADDITION, CHANGE]
        assert all(entry.get_edited_object() == moved for entry in trail), "the audit trail opens the one record"
        assert LogEntry.objects.get(object_repr="Maija").get_edited_object() == kept
        assert all(
            entry.content_type == ContentType.objects.get_for_model(OfficeIdentification) for entry in LogEntry.objects.all()
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def clerk(db):
    call_command("setup_groups", verbosity=0)
    user = User.objects.create_user("clerk@heka.example", "Clerk-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Office clerk"))
    return user


def test_one_form_records_an_applicant_who_is_also_a_resident_once_for_both_STF_7(client, submit, clerk, household):
    """The applicant Kalle is also a main tenant: one record confirms his application and lets
    him register in the Resident Portal with the e-mail he gave."""
    application = submit(co_applicants=[kalle_with_email("")])
    confirm_as_main(client, ANNA)
    kalle = application.applicants.get(first_names="Kalle")
    resident = household.co_tenant
    resident.set_hetu(KALLE_CODE)
    resident.save()
    office = RegionOfficeFactory.create(name="Itä")
    client.force_login(clerk)

    response = client.post(
        "/admin/accounts/officeidentification/add/",
        {
            "person": resident.pk,
            "applicant": kalle.pk,
            "document_type": "passport",
            "identity_code": KALLE_CODE,
            "office": office.pk,
            "identified_at_0": timezone.localdate().isoformat(),
            "identified_at_1": "10:15:00",
            "email": " Kalle.Kivi@Example.com ",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    record = OfficeIdentification.objects.get()
    assert (record.person, record.applicant, record.clerk) == (resident, kalle, clerk)
    assert record.email == "kalle.kivi@example.com", "one cleaning of the address, whatever the record serves"
    kalle.refresh_from_db()
    assert kalle.is_confirmed
    assert kalle.identification_method == Applicant.Method.OFFICE
    assert record.is_usable(), "and it lets the resident register (ACC-4)"


def test_the_one_form_asks_for_what_each_use_needs_STF_7(household, db):
    office = RegionOfficeFactory.create()
    base = {"document_type": "passport", "office": office.pk, "identified_at": timezone.now()}

    nobody = OfficeIdentificationAdminForm(data=base)
    no_email = OfficeIdentificationAdminForm(data={**base, "person": household.main_tenant.pk})
    no_office = OfficeIdentificationAdminForm(
        data={**base, "office": "", "person": household.main_tenant.pk, "email": "m@example.com"}
    )
    written_office = OfficeIdentificationAdminForm(
        data={**base, "office": "", "office_name": "Työpajankatu 8", "person": household.main_tenant.pk, "email": "m@example.com"}
    )

    assert not nobody.is_valid()
    assert "Choose the person who registers" in str(nobody.non_field_errors())
    assert not no_email.is_valid()
    assert "email" in no_email.errors
    assert not no_office.is_valid()
    assert "office" in no_office.errors
    assert written_office.is_valid(), written_office.errors


def test_there_is_one_office_identification_model_and_one_admin_STF_7():
    from django.apps import apps
    from django.contrib import admin

    models = [model for model in apps.get_models() if model.__name__ == "OfficeIdentification"]
    assert models == [OfficeIdentification]
    assert sum(1 for model in admin.site._registry if model.__name__ == "OfficeIdentification") == 1
