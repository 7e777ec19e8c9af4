"""The Finnish virtual bar code (pankkiviivakoodi, PAY-2): the 54 digits an online bank reads to fill
in a payment, as Finance Finland's "Pankkiviivakoodi-opas" (bank bar code guide) lays them out.

    version 4 (national reference)       version 5 (RF creditor reference, ISO 11649)
    1   "4"                              1   "5"
    16  the payee's IBAN without "FI"    16  the payee's IBAN without "FI"
    6   euros                            6   euros
    2   cents                            2   cents
    3   "000" (reserved)                 2   the RF check digits
    20  the reference, zeros in front    21  the RF reference's digits, zeros in front
    6   due date YYMMDD                  6   due date YYMMDD

An amount of 0 (or above 999 999.99, which the code cannot carry) and a missing due date are
written as zeros: the payer then types them in. The code is made only from a Finnish IBAN and a
reference whose check digits are right; otherwise there is no code, never a wrong one.

Pure functions, no Django: the tests check them against the guide's worked examples.
"""

from datetime import date
from decimal import Decimal

LENGTH = 54
MAX_AMOUNT = Decimal("999999.99")


def compact(value: str) -> str:
    return "".join(value.split()).upper()


def _mod97(text: str) -> int:
    """The ISO 7064 MOD 97-10 remainder of `text`, letters read as A=10 … Z=35."""
    digits = "".join(str(int(char, 36)) for char in text)
    return int(digits) % 97


def iban_ok(iban: str) -> bool:
    """A Finnish IBAN (FI, 18 characters) whose check digits are right."""
    value = compact(iban)
    if len(value) != 18 or not value.startswith("FI") or not value[2:].isdigit():
        return False
    return _mod97(value[4:] + value[:4]) == 1


def national_check_digit(base: str) -> int:
    """The check digit of a Finnish reference: weights 7, 3, 1 from the right, up to the next ten."""
    weights = (7, 3, 1)
    total = sum(int(digit) * weights[i % 3] for i, digit in enumerate(reversed(base)))
    return (10 - total % 10) % 10


def national_reference_ok(reference: str) -> bool:
    """A Finnish reference of 4 to 20 digits, the last one its check digit."""
    value = compact(reference)
    return value.isdigit() and 4 <= len(value) <= 20 and national_check_digit(value[:-1]) == int(value[-1])


def rf_reference_ok(reference: str) -> bool:
    """An RF creditor reference (ISO 11649) with digits only after RF and its check digits: the
    form the bar code can carry (at most 21 digits after the check)."""
    value = compact(reference)
    body = value[4:]
    if not value.startswith("RF") or not value[2:].isdigit() or not 1 <= len(body) <= 21:
        return False
    return _mod97(body + value[:4]) == 1


def virtual_barcode(*, iban: str, reference: str, amount: Decimal, due_on: date | None) -> str | None:
    """The 54 digits for a payment to `iban` with `reference`, or None when the IBAN or the
    reference is not one the code can carry (a wrong check digit, a foreign account)."""
    if not iban_ok(iban):
        return None
    account = compact(iban)[2:]
    if amount < 0:
        return None
    if amount > MAX_AMOUNT:
        amount = Decimal(0)
    cents_total = int((amount * 100).quantize(Decimal(1)))
    money = f"{cents_total // 100:06d}{cents_total % 100:02d}"
    due = f"{due_on:%y%m%d}" if due_on else "000000"
    value = compact(reference)
    if rf_reference_ok(value):
        code = f"5{account}{money}{value[2:4]}{value[4:]:0>21}{due}"
    elif national_reference_ok(value):
        code = f"4{account}{money}000{value:0>20}{due}"
    else:
        return None
    if len(code) != LENGTH:
        raise RuntimeError("expected len(code) == LENGTH")
    return code
