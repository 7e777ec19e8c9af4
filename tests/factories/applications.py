from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import ApartmentSize, Applicant, Application, Area


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    class Meta:
        model = Application

    areas = factory.LazyFunction(lambda: [Area.CENTRAL.value, Area.NORTHERN.value])
    apartment_size = ApartmentSize.TWO_ROOMS
    max_rent = Decimal("900.00")
    moving_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    language = "fi"


class ApplicantFactory(factory.django.DjangoModelFactory[Applicant]):
    class Meta:
        model = Applicant

    application = factory.SubFactory(ApplicationFactory)
    role = Applicant.Role.CO_APPLICANT
    first_names = "Anna Maria"
    last_name = "Aaltonen"
    birth_date = date(1980, 2, 1)
    email = factory.Sequence(lambda n: f"applicant{n}@example.com")
    language = "fi"
