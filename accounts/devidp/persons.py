"""Test persons of the development identity provider, also read by the demo-data command.

The identity codes are temporary ones (individual number 900-999), never issued to real people:
the first five are Suomi.fi e-Identification's own test codes. The last person identifies with a
foreign (eIDAS) identity and so has no Finnish identity code.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TestPerson:
    key: str
    hetu: str | None
    first_names: str
    last_name: str

    @property
    def is_foreign(self) -> bool:
        return self.hetu is None


TEST_PERSONS: tuple[TestPerson, ...] = (
    TestPerson("010280-952L", "010280-952L", "Anna Maria", "Aaltonen"),
    TestPerson("010469-999W", "010469-999W", "Kalle Johannes", "Korhonen"),
    TestPerson("010675-9981", "010675-9981", "Liisa", "Mäkinen"),
    TestPerson("260991-999R", "260991-999R", "Oskari Ilmari", "Nieminen"),
    TestPerson("020365-999P", "020365-999P", "Sirkka-Liisa", "Lehtonen"),
    TestPerson("150385-9013", "150385-9013", "Mikael", "Hämäläinen"),
    TestPerson("071298-912W", "071298-912W", "Emma Sofia", "Laine"),
    TestPerson("230477-9342", "230477-9342", "Pekka Antero", "Heikkinen"),
    TestPerson("170952-9487", "170952-9487", "Helmi", "Koskinen"),
    TestPerson("eidas-de", None, "Erika", "Mustermann"),
)


def person_by_key(key: str) -> TestPerson | None:
    return next((person for person in TEST_PERSONS if person.key == key), None)
