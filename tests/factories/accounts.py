import datetime
from typing import Any

import factory
from django.utils import timezone

from accounts.models import OfficeIdentification, User, office_identification_expiry
from tests.factories.tenancy import PersonFactory, RegionOfficeFactory

PASSWORD = "Sal4sana!x"  # meets P6 and P8


def _set_password(user: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
    user.set_password(extracted or PASSWORD)
    if create:
        user.save(update_fields=["password"])


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    person = factory.SubFactory(PersonFactory)
    language = "en"
    is_active = True

    password = factory.PostGeneration(_set_password)


class StaffUserFactory(UserFactory):
    person: Any = None
    is_staff = True
    is_superuser = True


class OfficeIdentificationFactory(factory.django.DjangoModelFactory[OfficeIdentification]):
    class Meta:
        model = OfficeIdentification

    person = factory.SubFactory(PersonFactory)
    document_type = OfficeIdentification.DocumentType.PASSPORT
    office = factory.SubFactory(RegionOfficeFactory)
    clerk = factory.SubFactory(StaffUserFactory)
    identified_at = factory.LazyFunction(timezone.now)
    email = factory.Sequence(lambda n: f"office{n}@example.com")
    expires_at = factory.LazyAttribute(lambda o: office_identification_expiry(o.identified_at))

    class Params:
        expired = factory.Trait(identified_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=31)))
