"""X-4: hostile input to the registration, activation, login and password reset forms."""

from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from accounts import services
from accounts.models import User
from accounts.tokens import activation_token_make
from accounts.views import SESSION_ACTIVATION
from heka_portal.models import OutboxEmail
from tests.accounts.conftest import identify
from tests.factories.accounts import OfficeIdentificationFactory
from tests.factories.tenancy import OccupancyFactory, PersonFactory

from .strategies import (
    FUZZ,
    as_received,
    assert_no_server_error,
    assert_rejected_clearly,
    changed,
    plausible_email,
    post,
    post_raw,
    posted,
    raw_bodies,
    row_counts,
    submissions,
)

STRONG = "Kes4kuu!ilta"
STRONG_OFFICE = "Kes4kuu!ilta-x"
passwords = st.one_of(st.sampled_from([STRONG, STRONG_OFFICE, "abc", "Password1", "Virtanen1!"]), st.text(max_size=80))

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(household):
    return User.objects.create_user("maija.virtanen@example.com", STRONG, person=household.main_tenant, language="en")


@FUZZ
@given(
    data=st.one_of(
        st.builds(
            lambda email, password: posted({"email": email, "password1": password, "password2": password}),
            plausible_email,
            passwords,
        ),
        submissions({"email": plausible_email, "password1": passwords, "password2": passwords}),
    )
)
def test_registration_form_never_errors_on_hostile_input_X_4(fresh_client, household, data):
    client = fresh_client()
    identify(client, household.co_tenant)
    before, outbox = row_counts(), OutboxEmail.objects.count()

    response = post(client, "/accounts/register/details/", data)

    if response.status_code == 302:
        assert response["Location"] == "/accounts/register/sent/"
        email = User.objects.normalize_email(data["email"])
        account = User.objects.get(email__iexact=email)
        assert not account.is_active
        assert account.person == household.co_tenant
        assert OutboxEmail.objects.count() == outbox + 1, "an account without its activation e-mail"
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@pytest.fixture
def office_identification(household):
    return OfficeIdentificationFactory(person=household.co_tenant, email="office.person@example.com")


@FUZZ
@given(data=submissions({"email": st.one_of(plausible_email, st.just("Office.Person@Example.com"))}))
def test_office_identification_form_never_errors_on_hostile_input_X_4(fresh_client, office_identification, data):
    client = fresh_client()
    before = row_counts()

    response = post(client, "/accounts/register/office/", data)

    if response.status_code == 302:
        assert response["Location"] == "/accounts/register/office/password/"
    else:
        assert_rejected_clearly(response)
    assert changed(before, row_counts()) == {}, "the e-mail step only looks up"


def _pending_account(household) -> User:
    """An account waiting for activation, of a new occupant of the household's apartment."""
    person = PersonFactory.create()
    OccupancyFactory(person=person, apartment=household.apartment, starts_on=timezone.localdate() - timedelta(days=30))
    return services.registration_create(person=person, email=f"pending{person.pk}@example.com", password=STRONG, language="en")


@FUZZ
@given(
    data=st.one_of(
        st.just("right"),
        submissions({"email": st.one_of(plausible_email, st.just("PENDING")), "password": passwords}),
    )
)
def test_activation_confirm_form_never_errors_on_hostile_input_X_4(fresh_client, household, data):
    user = _pending_account(household)
    if data == "right":
        data = posted({"email": user.email.upper(), "password": STRONG})
    elif data.get("email") == "PENDING":
        data["email"] = user.email
    client = fresh_client()
    session = client.session
    session[SESSION_ACTIVATION] = activation_token_make(user)
    session.save()
    before = row_counts()

    response = post(client, "/accounts/activate/confirm/", data)

    user.refresh_from_db()
    if response.status_code == 302:
        assert response["Location"] == "/dashboard/"
        assert user.is_active
        assert user.registration.activated_at is not None
    else:
        assert_rejected_clearly(response)
        assert not user.is_active
        assert changed(before, row_counts()) == {}


@FUZZ
@given(
    data=st.one_of(
        st.just(posted({"login": "maija.virtanen@example.com", "password": STRONG})),
        submissions(
            {
                "login": st.one_of(plausible_email, st.just("maija.virtanen@example.com")),
                "password": passwords,
                "remember": st.sampled_from(["on", ""]),
            }
        ),
    )
)
# Django reads the last of two passwords posted under one name: this one logs in.
@example(data=posted({"login": "maija.virtanen@example.com", "password": ["not it", STRONG]}))
def test_login_form_never_errors_on_hostile_input_X_4(fresh_client, resident, data):
    client = fresh_client()
    before = row_counts()

    response = post(client, "/accounts/login/", data)

    if response.status_code == 302:
        assert str(as_received(data.get("login", ""))).lower() == resident.email
        assert as_received(data.get("password")) == STRONG
        assert client.session.get("_auth_user_id") == str(resident.pk)
    else:
        assert_rejected_clearly(response)
        assert "_auth_user_id" not in client.session
        assert changed(before, row_counts()) == {}


@FUZZ
@given(data=submissions({"email": st.one_of(plausible_email, st.just("maija.virtanen@example.com"))}))
def test_password_reset_request_form_never_errors_on_hostile_input_X_4(fresh_client, resident, data):
    client = fresh_client()
    before, outbox = row_counts(), OutboxEmail.objects.count()

    response = post(client, "/accounts/password/reset/", data)

    if response.status_code == 302:
        assert response["Location"] == "/accounts/password/reset/done/"
        # Known or not, the address gets one e-mail (ACC-7); allauth may record a known address.
        assert OutboxEmail.objects.count() == outbox + 1
        assert set(changed(before, row_counts())) <= {OutboxEmail._meta.db_table, EmailAddress._meta.db_table}
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}


@FUZZ
@given(
    data=st.one_of(
        st.builds(lambda password: posted({"password1": password, "password2": password}), passwords),
        submissions({"password1": passwords, "password2": passwords}),
    )
)
def test_password_reset_from_key_form_never_errors_on_hostile_input_X_4(fresh_client, resident, data):
    resident.refresh_from_db()
    client = fresh_client()
    key = default_token_generator.make_token(resident)
    opened = client.get(f"/accounts/password/reset/key/{user_pk_to_url_str(resident)}-{key}/")
    assert opened.status_code == 302
    old_password = resident.password
    before = row_counts()

    response = post(client, opened["Location"], data)

    assert_no_server_error(response)
    resident.refresh_from_db()
    if response.status_code == 302:
        assert response["Location"] == "/accounts/password/reset/key/done/"
        assert resident.check_password(as_received(data["password1"]))
    else:
        assert_rejected_clearly(response)
        assert resident.password == old_password
        assert changed(before, row_counts()) == {}


PUBLIC_FORMS = [
    "/accounts/register/details/",
    "/accounts/register/office/",
    "/accounts/activate/new/",
    "/accounts/activate/confirm/",
    "/accounts/login/",
    "/accounts/password/reset/",
]


@pytest.mark.parametrize("path", PUBLIC_FORMS)
@FUZZ
@given(raw=raw_bodies)
def test_public_forms_never_error_on_malformed_bodies_X_4(fresh_client, household, path, raw):
    client = fresh_client()
    identify(client, household.co_tenant)
    before = row_counts()

    post_raw(client, path, *raw)

    assert changed(before, row_counts()) == {}


@FUZZ
@given(data=submissions({"email": st.one_of(plausible_email, st.just("PENDING"))}))
def test_activation_link_request_form_never_errors_on_hostile_input_X_4(fresh_client, household, data):
    user = _pending_account(household)
    if data.get("email") == "PENDING":
        data["email"] = user.email
    client = fresh_client()
    before, outbox = row_counts(), OutboxEmail.objects.count()

    response = post(client, "/accounts/activate/new/", data)

    if response.status_code == 200 and b'name="email"' not in response.content:
        # "If the address has an account waiting, a new link is on its way": one e-mail or none.
        assert set(changed(before, row_counts())) <= {OutboxEmail._meta.db_table}
        assert OutboxEmail.objects.count() - outbox <= 1
    else:
        assert_rejected_clearly(response)
        assert changed(before, row_counts()) == {}
