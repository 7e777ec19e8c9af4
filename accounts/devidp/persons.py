"""Test persons of the development identity provider, also read by the demo-data command.

First Suomi.fi's own published test persons (accounts.devidp.test_persons, SFI-6), then the demo
register's people. The demo people's identity codes are temporary ones (individual number
900-999) that are not among Suomi.fi's test codes, so that every Suomi.fi code carries the name
Suomi.fi gives it. The last person identifies with a foreign (eIDAS) identity and so has no
Finnish identity code.
"""

import datetime

from .test_persons import SUOMIFI_TEST_PERSONS, TestPerson

DEMO_PERSONS: tuple[TestPerson, ...] = (
    TestPerson("010280-9662", "010280-9662", "Anna Maria", "Aaltonen"),
    TestPerson("010469-957J", "010469-957J", "Kalle Johannes", "Korhonen"),
    TestPerson("010675-964X", "010675-964X", "Liisa", "Mäkinen"),
    TestPerson("260991-971U", "260991-971U", "Oskari Ilmari", "Nieminen"),
    TestPerson("020365-926B", "020365-926B", "Sirkka-Liisa", "Lehtonen"),
    TestPerson("150385-9013", "150385-9013", "Mikael", "Hämäläinen"),
    TestPerson("071298-912W", "071298-912W", "Emma Sofia", "Laine"),
    TestPerson("230477-9342", "230477-9342", "Pekka Antero", "Heikkinen"),
    TestPerson("170952-9487", "170952-9487", "Helmi", "Koskinen"),
    TestPerson("eidas-de", None, "Erika", "Mustermann", date_of_birth=datetime.date(1964, 8, 12)),
)

TEST_PERSONS: tuple[TestPerson, ...] = SUOMIFI_TEST_PERSONS + DEMO_PERSONS

__all__ = ["DEMO_PERSONS", "SUOMIFI_TEST_PERSONS", "TEST_PERSONS", "TestPerson", "person_by_key"]


def person_by_key(key: str) -> TestPerson | None:
    return next((person for person in TEST_PERSONS if person.key == key), None)
