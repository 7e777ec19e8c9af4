"""APP-3: the identity code decides who an applicant is, not the names.

A co-applicant is named on the application by name and birth date; their first strong
identification is matched against those, and then the identity code is bound to them. These tests
use namesakes: people with exactly Kalle's names but another identity code.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import selectors, services
from applications.matching import Identity, identity_matches
from applications.models import Applicant, CoApplicantLink, OfficeIdentification
from tenancy import hetu

from .flow import KALLE, confirm_as_co_applicant, kalle_with_email, link_from_mail

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def identity_code(birth: str, individual: str) -> str:
    """A valid identity code of the 1900s: DDMMYY-NNNC."""
    return f"{birth}-{individual}{CHECK_CHARACTERS[int(birth + individual) % 31]}"


def namesake(code: str) -> Identity:
    """Someone whose official names are Kalle's, with the identity code `code`."""
    assert hetu.is_valid(code)
    return Identity(
        hetu_hash=hetu.lookup_hash(code),
        hetu_encrypted=hetu.encrypt(code),
        first_names="Kalle Johannes",
        last_name="Korhonen",
    )


@pytest.fixture
def application(submit):
    return submit(co_applicants=[kalle_with_email()])


def _kalle(application) -> Applicant:
    return application.applicants.get(first_names="Kalle")


def test_a_co_applicant_with_the_same_names_but_another_identity_code_is_refused_APP_3(application):
    other = namesake(identity_code("020469", "123"))  # another person: the code says another birth date
    kalle = _kalle(application)
    link = CoApplicantLink.objects.get(applicant=kalle)
    assert not identity_matches(kalle, other)

    with pytest.raises(services.IdentityMismatch):
        services.co_applicant_confirm(link=link, identity=other, identified_at=timezone.now())

    kalle.refresh_from_db()
    assert (kalle.confirmed_at, kalle.hetu_hash, kalle.person_id) == (None, None, None), "nothing changed"
    assert CoApplicantLink.objects.get(pk=link.pk).state() == CoApplicantLink.State.USABLE


def test_a_second_identification_with_another_code_is_refused_once_the_applicant_is_bound_APP_3(client, application):
    """Kalle confirms with his own code; a namesake born the same day, with another code, can then
    neither confirm as him nor be recorded at the office as him."""
    confirm_as_co_applicant(client, link_from_mail("kalle@example.com"), KALLE)
    kalle = _kalle(application)
    assert kalle.hetu_hash == hetu.lookup_hash(KALLE.key), "bound to the code that identified"
    bound = (kalle.hetu_hash, kalle.person_id, kalle.identification_method, kalle.confirmed_at)
    same_birth_date = identity_code("010469", "123")
    assert same_birth_date != KALLE.key
    other = namesake(same_birth_date)
    assert other.birth_date == kalle.birth_date
    assert not identity_matches(kalle, other), "names and birth date no longer decide"

    with pytest.raises(services.IdentityMismatch):
        services.applicant_confirm(applicant=kalle, identity=other, identified_at=timezone.now())
    clerk = get_user_model().objects.create_user("clerk@heka.example", "x", is_staff=True)
    with pytest.raises(services.IdentityMismatch):
        services.office_identification_record(
            applicant=kalle,
            document_type="passport",
            identity_code=same_birth_date,
            office="Työpajankatu 8",
            clerk=clerk,
            identified_at=timezone.now(),
        )

    kalle.refresh_from_db()
    assert (kalle.hetu_hash, kalle.person_id, kalle.identification_method, kalle.confirmed_at) == bound
    assert not OfficeIdentification.objects.exists(), "the refused office record is not kept"
    assert selectors.applicants_to_confirm(other) == []
