"""PAY-2: the virtual bar code against the worked examples of Finance Finland's bank bar code guide
(Pankkiviivakoodi-opas, version 5.3: examples 1 to 9 of version 4 and of version 5), and its checks."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tenancy.virtual_barcode import (
    iban_ok,
    national_reference_ok,
    rf_reference_ok,
    virtual_barcode,
)

# (IBAN, amount, reference, due date, the code the guide prints)
GUIDE_VERSION_4 = [
    (
        "FI79 4405 2020 0360 82",
        "4883.15",
        "86851 62596 19897",
        date(2010, 6, 12),
        "479440520200360820048831500000000868516259619897100612",
    ),
    (
        "FI58 1017 1000 0001 22",
        "482.99",
        "55958 22432 94671",
        date(2012, 1, 31),
        "458101710000001220004829900000000559582243294671120131",
    ),
    (
        "FI02 5000 4640 0013 02",
        "693.80",
        "69 87567 20834 35364",
        date(2011, 7, 24),
        "402500046400013020006938000000069875672083435364110724",
    ),
    (
        "FI15 6601 0001 5306 41",
        "7444.54",
        "7 75847 47906 47489",
        date(2019, 12, 19),
        "415660100015306410074445400000007758474790647489191219",
    ),
    ("FI16 8000 1400 0502 67", "935.85", "78 77767 96566 28687", None, "416800014000502670009358500000078777679656628687000000"),
    ("FI73 3131 3001 0000 58", "0.00", "8 68624", date(2013, 8, 9), "473313130010000580000000000000000000000000868624130809"),
    (
        "FI83 3301 0001 1007 75",
        "150000.20",
        "92125 37425 25398 97737",
        date(2016, 5, 25),
        "483330100011007751500002000092125374252539897737160525",
    ),
    (
        "FI39 3636 3002 0924 92",
        "1.03",
        "59 07383 90",
        date(2023, 3, 11),
        "439363630020924920000010300000000000000590738390230311",
    ),
    ("FI92 3939 0001 0033 91", "0.02", "13 57914", date(2099, 12, 24), "492393900010033910000000200000000000000001357914991224"),
]
GUIDE_VERSION_5 = [
    (
        "FI79 4405 2020 0360 82",
        "4883.15",
        "RF09 8685 1625 9619 897",
        date(2010, 6, 12),
        "579440520200360820048831509000000868516259619897100612",
    ),
    (
        "FI58 1017 1000 0001 22",
        "482.99",
        "RF06 5595 8224 3294 671",
        date(2010, 1, 31),
        "558101710000001220004829906000000559582243294671100131",
    ),
    (
        "FI02 5000 4640 0013 02",
        "693.80",
        "RF61 6987 5672 0839",
        date(2011, 7, 24),
        "502500046400013020006938061000000000698756720839110724",
    ),
    (
        "FI15 6601 0001 5306 41",
        "7444.54",
        "RF84 7758 4747 9064 7489",
        date(2019, 12, 19),
        "515660100015306410074445484000007758474790647489191219",
    ),
    (
        "FI16 8000 1400 0502 67",
        "935.85",
        "RF60 7877 7679 6566 2868 7",
        None,
        "516800014000502670009358560000078777679656628687000000",
    ),
    (
        "FI73 3131 3001 0000 58",
        "0.00",
        "RF10 8686 24",
        date(2013, 8, 9),
        "573313130010000580000000010000000000000000868624130809",
    ),
    (
        "FI83 3301 0001 1007 75",
        "150000.20",
        "RF71 9212 5374 2525 3989 7737",
        date(2016, 5, 25),
        "583330100011007751500002071092125374252539897737160525",
    ),
    (
        "FI39 3636 3002 0924 92",
        "1.03",
        "RF66 5907 3839 0",
        date(2023, 3, 11),
        "539363630020924920000010366000000000000590738390230311",
    ),
    (
        "FI92 3939 0001 0033 91",
        "0.02",
        "RF95 1357 914",
        date(2099, 12, 24),
        "592393900010033910000000295000000000000001357914991224",
    ),
]


@pytest.mark.parametrize(("iban", "amount", "reference", "due_on", "expected"), GUIDE_VERSION_4)
def test_version_4_matches_the_guides_examples_PAY_2(iban, amount, reference, due_on, expected):
    code = virtual_barcode(iban=iban, reference=reference, amount=Decimal(amount), due_on=due_on)
    assert code is not None
    assert code == expected
    assert len(code) == 54
    assert code[0] == "4"


@pytest.mark.parametrize(("iban", "amount", "reference", "due_on", "expected"), GUIDE_VERSION_5)
def test_version_5_matches_the_guides_examples_PAY_2(iban, amount, reference, due_on, expected):
    code = virtual_barcode(iban=iban, reference=reference, amount=Decimal(amount), due_on=due_on)
    assert code is not None
    assert code == expected
    assert len(code) == 54
    assert code[0] == "5"


def test_fields_are_where_the_guide_puts_them_PAY_2():
    code = virtual_barcode(iban="FI44 1234 5600 0999 90", reference="11112", amount=Decimal("850.05"), due_on=date(2026, 12, 3))
    assert code is not None
    assert code[0] == "4"
    assert code[1:17] == "4412345600099990"  # the IBAN's digits
    assert code[17:23] == "000850"
    assert code[23:25] == "05"
    assert code[25:28] == "000"  # reserved in version 4
    assert code[28:48] == "00000000000000011112"  # the reference, zeros in front
    assert code[48:] == "261203"  # YYMMDD


def test_a_wrong_check_digit_gives_no_code_PAY_2():
    good: dict[str, Any] = {"iban": "FI79 4405 2020 0360 82", "amount": Decimal("1.00"), "due_on": None}
    assert virtual_barcode(reference="868516259619898", **good) is None  # national check digit
    assert virtual_barcode(reference="RF10868516259619897", **good) is None  # RF check digits
    assert virtual_barcode(iban="FI79 4405 2020 0360 83", reference="11112", amount=Decimal(1), due_on=None) is None
    assert virtual_barcode(iban="DE89 3704 0044 0532 0130 00", reference="11112", amount=Decimal(1), due_on=None) is None


def test_checks_on_their_own_PAY_2():
    assert iban_ok("FI44 1234 5600 0999 90")
    assert not iban_ok("FI44 1234 5600 0999 91")
    assert national_reference_ok("1 3579 14")
    assert not national_reference_ok("123")
    assert not national_reference_ok("1" * 21)
    assert rf_reference_ok("rf95 1357 914")
    assert not rf_reference_ok("RF95 1357 915")
    assert not rf_reference_ok("RF18 ABCD 1234")  # letters: a valid RF, but not one the code carries


def test_an_amount_the_code_cannot_carry_is_left_for_the_payer_PAY_2():
    code = virtual_barcode(iban="FI44 1234 5600 0999 90", reference="11112", amount=Decimal("1000000.00"), due_on=None)
    assert code is not None
    assert code[17:25] == "00000000"
    assert virtual_barcode(iban="FI44 1234 5600 0999 90", reference="11112", amount=Decimal("-1"), due_on=None) is None
