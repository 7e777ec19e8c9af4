"""Is the strongly identified person this applicant? (APP-2, APP-3)

The application names its people by name and birth date; nobody types an identity code into it.
So the first identification of an applicant is matched against what the application says:

- the birth date in the identity code must equal the applicant's birth date, and
- the surname must be the same and every first name written on the application must be one of
  the person's official first names ("Anna" matches "Anna Maria"), ignoring case, accents and
  hyphens, which people leave out when typing on a foreign keyboard.

The identity code's keyed hash is then recorded on the applicant. From then on only that identity
code is this applicant, whatever the names say, so a later identification (or an office
identification with a different code) cannot take the applicant over.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date

from tenancy import hetu

from .models import Applicant


@dataclass(frozen=True)
class Identity:
    """A strongly identified person, as the application pages keep it in the session."""

    hetu_hash: str
    hetu_encrypted: str
    first_names: str
    last_name: str

    @property
    def hetu_hashes(self) -> list[str]:
        """Every hash the code may be stored under while the keys rotate (OPS-5)."""
        return hetu.hashes_of(self.hetu_encrypted, stored_hash=self.hetu_hash)

    @property
    def birth_date(self) -> date:
        return hetu.birth_date(hetu.decrypt(self.hetu_encrypted))


def _words(value: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return plain.replace("-", " ").split()


def names_match(*, written_first_names: str, written_last_name: str, first_names: str, last_name: str) -> bool:
    written = _words(written_first_names)
    official = set(_words(first_names))
    return bool(written) and all(word in official for word in written) and _words(written_last_name) == _words(last_name)


def identity_matches(applicant: Applicant, identity: Identity) -> bool:
    if applicant.hetu_hash:
        return applicant.hetu_hash in identity.hetu_hashes
    return identity.birth_date == applicant.birth_date and names_match(
        written_first_names=applicant.first_names,
        written_last_name=applicant.last_name,
        first_names=identity.first_names,
        last_name=identity.last_name,
    )
