"""X-4: hostile input to the housing application form (with its co-applicant rows) and to
"Create username" and its password form (APP-6)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from applications import services
from applications.links import make_token
from applications.models import ApartmentSize, Applicant, Application, Area, UsernameLink
from heka_portal.models import OutboxEmail

from .strategies import (
    FUZZ,
    as_received,
    assert_rejected_clearly,
    changed,
    hostile,
    iso,
    plausible_email,
    plausible_text,
    post,
    post_raw,
    raw_bodies,
    row_counts,
    submissions,
)

KALLE_CODE = "010469-999W"

pytestmark = pytest.mark.django_db


def _adult_birth_date() -> st.SearchStrategy:
    return iso(date(1920, 1, 1), date(2000, 1, 1))


def _co_rows(rows: int) -> st.SearchStrategy:
    """`rows` co-applicant rows; a row is filled, hostile, or left empty (and so left out)."""
    filled = st.fixed_dictionaries(
        {
            "first_names": plausible_text(),
            "last_name": plausible_text(),
            "birth_date": iso(date(1910, 1, 1), timezone.localdate()),
            "email": st.one_of(st.just(""), plausible_email),
        }
    )
    hostile_row = st.fixed_dictionaries({}, optional=dict.fromkeys(("first_names", "last_name", "birth_date", "email"), hostile))
    return st.lists(st.one_of(filled, filled, hostile_row, st.just({})), min_size=rows, max_size=rows)


@st.composite
def applications(draw) -> dict:
    today = timezone.localdate()
    data = draw(
        submissions(
            {
                "areas": st.lists(st.sampled_from(Area.values), min_size=1, max_size=3, unique=True),
                "apartment_size": st.sampled_from(ApartmentSize.values),
                "max_rent": st.one_of(st.decimals(0, 20000, places=2).map(str), st.integers(0, 20000).map(str)),
                "moving_date": st.integers(-10, 1200).map(lambda days: (today + timedelta(days=days)).isoformat()),
                "first_names": plausible_text(),
                "last_name": plausible_text(),
                "birth_date": _adult_birth_date(),
                "email": plausible_email,
            }
        )
    )
    rows = draw(st.integers(0, 4))
    management = {"co-TOTAL_FORMS": str(rows), "co-INITIAL_FORMS": "0", "co-MIN_NUM_FORMS": "0", "co-MAX_NUM_FORMS": "10"}
    # The management form is tampered with too, now and then: a browser never does, but anybody can.
    tampered = st.fixed_dictionaries({}, optional=dict.fromkeys(management, hostile))
    data.update(draw(st.one_of(st.just(management), st.just(management), tampered)))
    for index, row in enumerate(draw(_co_rows(rows))):
        data.update({f"co-{index}-{name}": value for name, value in row.items()})
    if draw(st.integers(0, 4)) == 0:
        data["add_row"] = "1"
    return data


@FUZZ
@given(data=applications())
def test_application_form_never_errors_on_hostile_input_X_4(fresh_client, db, data):
    client = fresh_client()
    before = row_counts()

    response = post(client, "/applications/new/", data)

    if response.status_code == 302:
        application = Application.objects.latest("pk")
        assert response["Location"] == f"/applications/{application.pk}/submitted/"
        filled = {key.split("-")[1] for key, value in data.items() if key.startswith("co-") and key.count("-") == 2 and value}
        # The applicant and every filled co-applicant row, or nothing.
        assert Applicant.objects.filter(application=application).count() == 1 + len(filled)
    elif "add_row" in data:
        assert response.status_code == 200
        assert b'name="co-TOTAL_FORMS"' in response.content
        assert changed(before, row_counts()) == {}
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@pytest.fixture
def office_identified(db):
    """Kalle is a co-applicant without e-mail; at the advisory office he gave kalle@example.com."""
    clerk = User.objects.create_user("clerk@heka.example", "x", is_staff=True)
    application = services.application_submit(
        applicant=services.PersonData("Anna", "Aaltonen", date(1980, 2, 1), "anna@example.com"),
        co_applicants=[services.PersonData("Kalle", "Korhonen", date(1969, 4, 1), "")],
        areas=["central"],
        apartment_size="2",
        max_rent=Decimal("900"),
        moving_date=timezone.localdate() + timedelta(days=30),
        language="en",
    )
    kalle = application.applicants.get(first_names="Kalle")
    services.office_identification_record(
        applicant=kalle,
        document_type="passport",
        identity_code=KALLE_CODE,
        office="Työpajankatu 8",
        clerk=clerk,
        identified_at=timezone.now(),
        email="kalle@example.com",
    )
    return kalle


@FUZZ
@given(data=submissions({"email": st.one_of(plausible_email, st.sampled_from(["kalle@example.com", "KALLE@Example.com "]))}))
def test_create_username_form_never_errors_on_hostile_input_X_4(fresh_client, office_identified, data):
    client = fresh_client()
    before = row_counts()

    response = post(client, "/applications/username/", data)

    difference = changed(before, row_counts())
    if response.status_code == 302:
        assert response["Location"] == "/applications/username/sent/"
        # A link and its e-mail, or neither.
        assert difference in ({}, {UsernameLink._meta.db_table: 1, OutboxEmail._meta.db_table: 1})
    else:
        assert_rejected_clearly(response)
        assert difference == {}


PASSWORDS = st.one_of(st.sampled_from(["Uusi-salasana1", "abc", "kalle@example.com1A!"]), st.text(max_size=60))


@FUZZ
@given(
    data=st.one_of(
        st.builds(lambda password: {"csrfmiddlewaretoken": "x", "password1": password, "password2": password}, PASSWORDS),
        submissions({"password1": PASSWORDS, "password2": PASSWORDS}),
    )
)
def test_username_password_form_never_errors_on_hostile_input_X_4(fresh_client, office_identified, data):
    User.objects.filter(email="kalle@example.com").delete()
    link = services.username_request(email="kalle@example.com", language="en")
    assert link is not None
    client = fresh_client()
    before = row_counts()

    response = post(client, f"/applications/username/{make_token(link)}/", data)

    if response.status_code == 302:
        assert response["Location"] == "/applications/"
        account = User.objects.get(email="kalle@example.com")
        assert account.check_password(as_received(data["password1"]))
        assert account.person_id is not None
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@FUZZ
@given(data=submissions({"email": st.one_of(plausible_email, st.just("kalle@example.com")), "password": PASSWORDS}))
def test_applicant_sign_in_form_never_errors_on_hostile_input_X_4(fresh_client, office_identified, data):
    client = fresh_client()
    before = row_counts()

    response = post(client, "/applications/sign-in/", data)

    if response.status_code != 302:
        assert_rejected_clearly(response)
    assert changed(before, row_counts()) == {}


@pytest.mark.parametrize("path", ["/applications/new/", "/applications/username/", "/applications/sign-in/"])
@FUZZ
@given(raw=raw_bodies)
def test_application_forms_never_error_on_malformed_bodies_X_4(fresh_client, db, path, raw):
    client = fresh_client()
    before = row_counts()

    post_raw(client, path, *raw)

    assert changed(before, row_counts()) == {}


NEXT_URLS = [
    "/applications/confirm/",
    "/applications/link/x/",
    "//evil.example/",
    "/\\evil.example",
    "https://evil.example/",
    "/\x00",
    "/ä?x=<y>",
]


@FUZZ
@given(
    data=submissions(
        {
            "choice": st.sampled_from(["accept", "decline"]),
            "next": st.sampled_from(["confirm", "link", ""]),
            "next_url": st.one_of(st.sampled_from(NEXT_URLS), st.text(max_size=100).map(lambda path: "/" + path)),
        }
    )
)
def test_cookie_consent_form_never_errors_on_hostile_input_X_4(fresh_client, db, data):
    client = fresh_client()
    before = row_counts()

    response = post(client, "/applications/confirm/cookies/", data)

    assert changed(before, row_counts()) == {}
    if response.status_code == 302:
        # Never away from the portal, whatever was asked for.
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\"))
    else:
        assert response.status_code == 200
