"""Storage limitation (OPS-8): the data of a person whose last tenancy ended more than the configured
time ago, with nothing open, is deleted or anonymised by a nightly task; a dry run counts the same
without changing anything; each run leaves a record of kinds and counts, never of whom."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from applications.models import Applicant
from bookings.models import CalendarFeed, Reservation
from bookings.services import calendar_feed_renew
from heka_portal.models import OutboxEmail
from retention import services
from retention.models import AnonymisedPerson, RetentionRun
from retention.tasks import retention_apply as retention_task
from servicerequests.models import Defect, DefectPhoto, Draft, Message, ResidentRequest, Status, TimelineEntry
from tenancy import hetu
from tenancy.models import (
    AgreementParty,
    Guardianship,
    Invoice,
    Occupancy,
    Payment,
    Person,
    RentalAgreement,
    TerminationNotice,
)
from tests.factories.applications import ApplicantFactory, ApplicationFactory
from tests.factories.bookings import ReservationFactory
from tests.factories.servicerequests import DefectFactory, MessageFactory, ReplyFactory, image_bytes
from tests.factories.tenancy import (
    AgreementPartyFactory,
    GuardianshipFactory,
    InvoiceFactory,
    OccupancyFactory,
    PersonFactory,
    RentalAgreementFactory,
)
from tests.factories.tenancy_pages import PaymentFactory, TerminationNoticeFactory

HETU = "010280-952L"
IBAN = "FI2112345600000785"


def _former_resident(today, *, years_ago: float = 4, hetu_code: str | None = None, name: str = "Ville") -> Person:
    """A main tenant whose agreement ended `years_ago`, with a history in every part of the portal."""
    ended = today - timedelta(days=round(years_ago * 365))
    agreement = RentalAgreementFactory(
        signed_on=ended - timedelta(days=800), starts_on=ended - timedelta(days=700), ends_on=ended
    )
    person = PersonFactory.create(
        first_names=name,
        last_name="Entinen",
        hetu=hetu_code,
        email=f"{name.lower()}@example.com",
        phone="040 123 4567",
        street_address="Uusi katu 5",
        postal_code="00100",
        city="Helsinki",
        iban=IBAN,
        external_id=f"P-{name}",
    )
    AgreementPartyFactory(agreement=agreement, person=person)
    OccupancyFactory(person=person, apartment=agreement.apartment, starts_on=agreement.starts_on, ends_on=ended)
    invoice = InvoiceFactory(agreement=agreement, due_on=ended - timedelta(days=30), amount=Decimal("850.00"))
    PaymentFactory(invoice=invoice, paid_on=ended - timedelta(days=29), amount=Decimal("850.00"))
    defect = DefectFactory.create(
        submitted_by=person, apartment=agreement.apartment, status=Status.DONE, description="Hana vuotaa"
    )
    DefectPhoto.objects.create(
        defect=defect, image=SimpleUploadedFile("x.png", image_bytes()), extension="png", width=40, height=30, size=100
    )
    message = MessageFactory(submitted_by=person, apartment=agreement.apartment, status=Status.ANSWERED, body="Oma viestini")
    ReplyFactory(request=message)
    Draft.objects.create(person=person, form="message", data={"body": "kesken"})
    calendar_feed_renew(person=person)
    User.objects.create_user(f"{name.lower()}@example.com", "Vanha-Sala1", person=person, is_active=False)
    OutboxEmail.objects.create(
        idempotency_key=f"old:{name}", to=f"{name.lower()}@example.com", template="t", language="fi", status="sent"
    )
    TerminationNoticeFactory(
        agreement=agreement,
        submitted_by=person,
        notice_date=ended - timedelta(days=45),
        ends_on=ended,
        forwarding_address="Uusi katu 5",
        message="Kiitos kaikesta",
        status=TerminationNotice.Status.CONFIRMED,
    )
    ReservationFactory(
        agreement=agreement, requested_by=person, status=Reservation.Status.TERMINATED, message="Sähköauto", electric_car=True
    )
    application = ApplicationFactory.create()
    Applicant.objects.filter(pk=ApplicantFactory.create(application=application, person=person, first_names=name).pk).update(
        hetu_hash=person.hetu_hash
    )
    application.__class__.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - timedelta(days=5 * 365))
    return person


@pytest.fixture
def former(household, today) -> Person:
    return _former_resident(today, hetu_code=HETU)


def _snapshot() -> dict[str, int]:
    models = [Person, User, ResidentRequest, Defect, Message, TimelineEntry, DefectPhoto, Draft, OutboxEmail, Invoice, Payment]
    models += [RentalAgreement, AgreementParty, Occupancy, TerminationNotice, Reservation, Applicant, Guardianship]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_dry_run_counts_what_a_run_removes_and_changes_nothing_OPS_8(former):
    before = _snapshot()
    photo = str(DefectPhoto.objects.get().image.name)

    run = services.retention_apply(dry_run=True)

    assert run.dry_run
    assert run.persons == 1
    assert run.counts["servicerequests.ResidentRequest"] == 2
    assert run.counts["accounts.User"] == 1
    assert run.counts["tenancy.Person (anonymised)"] == 1
    assert _snapshot() == before
    assert Person.objects.get(pk=former.pk).first_names == "Ville"
    assert default_storage.exists(photo)
    assert not AnonymisedPerson.objects.exists()

    real = services.retention_apply()
    assert (real.persons, real.counts) == (run.persons, run.counts), "the dry run foretold the real run"


def test_former_resident_is_anonymised_and_their_requests_accounts_and_files_deleted_OPS_8(
    former, household, django_capture_on_commit_callbacks
):
    photo = str(DefectPhoto.objects.get().image.name)
    agreement = RentalAgreement.objects.get(parties=former)

    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_apply()

    person = Person.objects.get(pk=former.pk)
    assert (person.first_names, person.last_name, person.birth_date) == (
        "",
        services.ANONYMISED_NAME,
        services.ANONYMISED_BIRTH_DATE,
    )
    assert (person.hetu_hash, person.hetu_encrypted, person.email, person.phone, person.iban) == (None, "", "", "", "")
    assert (person.street_address, person.postal_code, person.city, person.external_id) == ("", "", "", None)
    assert not Person.objects.filter(hetu_hash__in=hetu.lookup_hashes(HETU)).exists()
    assert not ResidentRequest.objects.filter(submitted_by=former).exists()
    assert not TimelineEntry.objects.exists()
    assert not Draft.objects.filter(person=former).exists()
    assert not CalendarFeed.objects.filter(person=former).exists()
    assert not User.objects.filter(person=former).exists()
    assert not OutboxEmail.objects.filter(to="ville@example.com").exists()
    assert not default_storage.exists(photo)
    applicant = Applicant.objects.get(person=former)
    assert (applicant.first_names, applicant.email, applicant.hetu_hash) == ("", "", None)
    notice = TerminationNotice.objects.get(submitted_by=former)
    assert (notice.forwarding_address, notice.message, notice.ends_on) == ("", "", agreement.ends_on)
    assert Reservation.objects.get(requested_by=former).message == ""

    # Accounting records and contracts stay for their statutory period, whole.
    assert agreement.invoices.get().payments.get().amount == Decimal("850.00")
    assert AgreementParty.objects.filter(person=former, agreement=agreement).exists()
    assert Occupancy.objects.filter(person=former).exists()

    # Nobody else was touched.
    for person in (household.main_tenant, household.former_tenant, household.future_tenant, household.applicant):
        person.refresh_from_db()
        assert person.first_names
        assert person.hetu_hash

    # The record has kinds and counts, nothing about the person.
    record = json.dumps([run.counts, run.persons, str(run.tenancy_ended_before)])
    for personal in ("Ville", "Entinen", "ville@example.com", HETU, IBAN, "P-Ville", str(former.pk)):
        assert personal not in record
    assert run.counts["servicerequests.DefectPhoto"] == 1
    assert run.finished_at is not None


@pytest.mark.parametrize(
    "case",
    ["open_request", "unpaid_invoice", "too_recent", "live_guardianship", "recent_application", "queued_booking", "staff"],
)
def test_nothing_is_removed_while_a_matter_is_open_or_the_time_has_not_passed_OPS_8(db, today, case):
    person = _former_resident(today, years_ago=2 if case == "too_recent" else 4)
    agreement = RentalAgreement.objects.get(parties=person)
    if case == "open_request":
        DefectFactory.create(submitted_by=person, apartment=agreement.apartment, status=Status.WAITING)
    elif case == "unpaid_invoice":
        InvoiceFactory(agreement=agreement, amount=Decimal("120.00"))
    elif case == "live_guardianship":
        GuardianshipFactory(guardian=person, starts_on=today - timedelta(days=3000))
    elif case == "recent_application":
        ApplicantFactory.create(person=person)
    elif case == "queued_booking":
        ReservationFactory(agreement=agreement, requested_by=person, status=Reservation.Status.REQUESTED)
    elif case == "staff":
        User.objects.filter(person=person).update(is_staff=True)

    run = services.retention_apply()

    assert run.persons == 0
    assert Person.objects.get(pk=person.pk).first_names == "Ville"
    assert ResidentRequest.objects.filter(submitted_by=person).exists()


def test_a_second_run_finds_nothing_more_and_old_outbox_rows_go_OPS_8(former, settings):
    services.retention_apply()
    old = OutboxEmail.objects.create(idempotency_key="x:1", to="someone@example.com", template="t", language="fi", status="sent")
    pending = OutboxEmail.objects.create(idempotency_key="x:2", to="other@example.com", template="t", language="fi")
    OutboxEmail.objects.filter(pk__in=[old.pk, pending.pk]).update(created_at=timezone.now() - timedelta(days=91))

    run = services.retention_apply()

    assert run.persons == 0
    assert run.counts == {"heka_portal.OutboxEmail": 1}
    assert list(OutboxEmail.objects.values_list("pk", flat=True)) == [pending.pk], "an unsent e-mail is never dropped"


def test_query_count_stays_flat_with_the_number_of_persons_OPS_8(household, today, django_assert_num_queries):
    _former_resident(today, name="Ville")
    with CaptureQueriesContext(connection) as one:
        services.retention_apply()
    for n in range(6):
        _former_resident(today, name=f"Ville{n}")
    with django_assert_num_queries(len(one)):
        run = services.retention_apply()
    assert run.persons == 6


def test_nightly_task_is_scheduled_and_honours_the_dry_run_setting_OPS_8(former, settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "retention.tasks.retention_apply"
    settings.HEKA_RETENTION_DRY_RUN = True
    run = RetentionRun.objects.get(pk=retention_task.delay().get())
    assert run.dry_run
    assert run.persons == 1
    assert Person.objects.get(pk=former.pk).first_names == "Ville"


def test_defaults_keep_three_years_after_the_tenancy_and_ninety_days_of_email_OPS_8():
    assert settings.HEKA_RETENTION_AFTER_TENANCY_DAYS == 3 * 365 + 1
    assert settings.HEKA_OUTBOX_RETENTION_DAYS == 90
    assert settings.HEKA_RETENTION_DRY_RUN is False


def test_every_record_that_points_at_a_person_or_an_account_is_in_the_retention_plan_OPS_8():
    person, account = apps.get_model("tenancy.Person"), apps.get_model("accounts.User")
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and not field.auto_created and field.related_model in (person, account)
    }
    missing = pointing - set(services.PLAN)
    assert not missing, f"Say in retention.services.PLAN what happens to {sorted(missing)} (and do it)"


@pytest.mark.parametrize(
    ("language", "retention", "accounting"),
    [
        ("fi", "säilytetään 3 vuotta", "kirjanpitolain"),
        ("sv", "sparas dina uppgifter i 3 år", "bokföringslagen"),
        ("en", "your data is kept for 3 years", "Accounting Act"),
    ],
)
def test_privacy_statement_says_how_long_data_is_kept_and_is_linked_from_every_page_OPS_8(
    client, db, language, retention, accounting
):
    client.cookies["django_language"] = language
    page = client.get("/privacy/")
    assert page.status_code == 200
    body = page.content.decode()
    assert retention in body
    assert accounting in body
    assert "90" in body
    assert 'href="/privacy/"' in client.get("/help/").content.decode()


def test_staff_read_the_record_in_their_language_and_cannot_change_it_OPS_8(former, admin_client):
    run = services.retention_apply()
    admin_client.cookies["django_language"] = "fi"
    page = admin_client.get(f"/admin/retention/retentionrun/{run.pk}/change/").content.decode()
    assert "vikailmoitukset: 1" in page
    assert "henkilöt (anonymisoidut): 1" in page
    assert admin_client.post(f"/admin/retention/retentionrun/{run.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/retention/retentionrun/add/").status_code == 403
