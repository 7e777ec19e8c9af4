"""Identity-code keys rotate without downtime (OPS-5): with a new current key and the old one as a
fallback everything keeps reading and finding; a resumable command rewrites in batches; production
refuses one key for both purposes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.saml.identity import VerifiedIdentity
from accounts.selectors import person_for_identity
from applications.models import Applicant
from heka_portal.ops import keys
from tenancy import hetu
from tenancy.models import Person
from tests.factories.applications import ApplicationFactory
from tests.factories.tenancy import PersonFactory
from tests.production_env import GOOD_KEY
from tests.test_settings import load_production_settings

OLD_HASH_KEY = b"b2xkLWhhc2gta2V5LW9sZC1oYXNoLWtleS1vbGQtMzI="
OLD_ENCRYPTION_KEY = b"b2xkLWVuY3J5cHRpb24ta2V5LW9sZC1lbmNyeXB0LTM="
NEW_HASH_KEY = b"bmV3LWhhc2gta2V5LW5ldy1oYXNoLWtleS1uZXctMzI="
NEW_ENCRYPTION_KEY = b"bmV3LWVuY3J5cHRpb24ta2V5LW5ldy1lbmNyeXB0LTM="
CODES = ["010280-952L", "010675-9981", "261298-998X", "260991-999R", "020365-999P"]


def _use_old_keys(settings) -> None:
    settings.HETU_HASH_KEY, settings.HETU_HASH_KEY_FALLBACKS = OLD_HASH_KEY, []
    settings.HETU_ENCRYPTION_KEY, settings.HETU_ENCRYPTION_KEY_FALLBACKS = OLD_ENCRYPTION_KEY, []


def _rotate_to_new_keys(settings) -> None:
    settings.HETU_HASH_KEY, settings.HETU_HASH_KEY_FALLBACKS = NEW_HASH_KEY, [OLD_HASH_KEY]
    settings.HETU_ENCRYPTION_KEY, settings.HETU_ENCRYPTION_KEY_FALLBACKS = NEW_ENCRYPTION_KEY, [OLD_ENCRYPTION_KEY]


def _identity(code: str) -> VerifiedIdentity:
    """What strong identification keeps in the session, made with the keys of the moment."""
    from django.utils import timezone

    return VerifiedIdentity(hetu.lookup_hash(code), hetu.encrypt(code), "Testi", "Henkilö", "loa3", "login", timezone.now())


@pytest.fixture
def old_register(db, settings) -> list[Person]:
    _use_old_keys(settings)
    return [PersonFactory.create(hetu=code) for code in CODES]


def test_values_name_the_key_that_made_them_and_never_the_key_OPS_5(settings):
    _use_old_keys(settings)
    digest, copy = hetu.lookup_hash(CODES[0]), hetu.encrypt(CODES[0])
    assert len(digest) == hetu.HASH_LENGTH
    assert digest.startswith(hetu.key_id(OLD_HASH_KEY) + ":")
    assert copy.startswith(hetu.key_id(OLD_ENCRYPTION_KEY) + ":")
    assert OLD_HASH_KEY.decode() not in digest + copy


def test_old_keys_keep_reading_and_finding_after_the_new_key_comes_OPS_5(old_register, settings):
    person = old_register[0]
    _rotate_to_new_keys(settings)

    assert hetu.decrypt(person.hetu_encrypted) == CODES[0]
    assert person_for_identity(_identity(CODES[0])) == person  # identified with the new key
    assert Person.objects.get(hetu_hash__in=hetu.lookup_hashes(CODES[0])) == person
    # A value made before keys had ids (a bare HMAC) is found too.
    legacy = hetu._digest(OLD_HASH_KEY, hetu.normalize(CODES[1]))
    Person.objects.filter(pk=old_register[1].pk).update(hetu_hash=legacy)
    assert Person.objects.get(hetu_hash__in=hetu.lookup_hashes(CODES[1])) == old_register[1]


def test_rotation_command_rewrites_in_batches_and_resumes_after_a_stop_OPS_5(old_register, settings):
    applicant = Applicant.objects.create(
        application=ApplicationFactory.create(),
        role=Applicant.Role.MAIN,
        first_names="Testi",
        last_name="Henkilö",
        birth_date=old_register[0].birth_date,
        hetu_hash=old_register[0].hetu_hash,
        person=old_register[0],
    )
    _rotate_to_new_keys(settings)
    assert keys.rows_left() == {"persons": 5, "applicants": 1}

    # A run stopped after two batches of two (a crash, a deploy) keeps what it did.
    call_command("rotate_hetu_keys", batch_size=2, max_batches=2)
    assert keys.rows_left() == {"persons": 1, "applicants": 1}
    with pytest.raises(CommandError, match="Rows remain"):
        call_command("rotate_hetu_keys", check=True)

    progress = keys.rotate_hetu_keys(batch_size=2)
    assert (progress.persons, progress.applicants) == (1, 1), "the second run goes on with what was left"
    assert keys.rows_left() == {"persons": 0, "applicants": 0}
    call_command("rotate_hetu_keys", check=True)

    # The old keys can go: everything reads with the new ones alone.
    settings.HETU_HASH_KEY_FALLBACKS, settings.HETU_ENCRYPTION_KEY_FALLBACKS = [], []
    for code, person in zip(CODES, old_register, strict=True):
        person.refresh_from_db()
        assert person.hetu_hash == hetu.lookup_hash(code)
        assert hetu.decrypt(person.hetu_encrypted) == code
        assert person_for_identity(_identity(code)) == person
    applicant.refresh_from_db()
    assert applicant.hetu_hash == old_register[0].hetu_hash


def test_rotation_keeps_batches_flat_in_queries_OPS_5(old_register, settings, django_assert_max_num_queries):
    _rotate_to_new_keys(settings)
    with django_assert_max_num_queries(12):
        keys.rotate_hetu_keys(batch_size=500)
    assert keys.rows_left()["persons"] == 0


def test_login_of_a_resident_still_under_the_old_key_works_OPS_5(old_register, settings, client):
    User.objects.create_user("maija@example.com", "Vanha-Sala1", person=old_register[0])
    _rotate_to_new_keys(settings)
    person = person_for_identity(_identity(CODES[0]))
    assert person is not None
    assert person.accounts.get().email == "maija@example.com"


@pytest.mark.parametrize(
    "overrides",
    [
        {"HEKA_HETU_ENCRYPTION_KEY": GOOD_KEY},
        {"HEKA_HETU_ENCRYPTION_KEY_FALLBACKS": GOOD_KEY},
        {"HEKA_HETU_HASH_KEY_FALLBACKS": NEW_HASH_KEY.decode(), "HEKA_HETU_ENCRYPTION_KEY": NEW_HASH_KEY.decode()},
    ],
    ids=["same-current-key", "hash-key-as-encryption-fallback", "fallback-as-other-current"],
)
def test_production_refuses_one_key_for_both_purposes_OPS_5(overrides):
    result = load_production_settings(**overrides)
    assert result.returncode != 0
    assert "must be different keys in production" in result.stderr


def test_production_reads_fallback_keys_OPS_5():
    result = load_production_settings(HEKA_HETU_HASH_KEY_FALLBACKS=f"{OLD_HASH_KEY.decode()},{NEW_HASH_KEY.decode()}")
    assert result.returncode == 0, result.stderr
    assert load_production_settings(HEKA_HETU_HASH_KEY_FALLBACKS="short").returncode != 0
