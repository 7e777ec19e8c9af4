"""The tenancy register: who lives where, under which agreement, and what they owe.

A package of modules by subject; every model is importable from `tenancy.models` as before:
- `register`: region offices, buildings, apartments, persons, agreements, occupants, guardianships;
- `invoices`: invoices and payments (TEN-4);
- `notices`: notices of moving in or out and of termination (TEN-5, TEN-6);
- `bulletins`: resident bulletins and their read marks (TEN-9);
- `audit`: staff views of personal data (X-7, STF-3);
- `imports`: the history of register imports (STF-5).
"""

from .audit import PersonalDataAccess
from .bulletins import Bulletin, BulletinRead
from .imports import RegisterImport
from .invoices import Invoice, Payment
from .notices import OccupantChangeNotice, TerminationNotice
from .register import (
    AgreementParty,
    Apartment,
    Building,
    Guardianship,
    Occupancy,
    Person,
    RegionOffice,
    RentalAgreement,
    rescue_plan_path,
)

# Who lives where and in whose name (PRF-1: a write to any of them changes the register version).
REGISTER_MODELS = (RegionOffice, Building, Apartment, Person, RentalAgreement, AgreementParty, Occupancy, Guardianship)

__all__ = [
    "REGISTER_MODELS",
    "AgreementParty",
    "Apartment",
    "Building",
    "Bulletin",
    "BulletinRead",
    "Guardianship",
    "Invoice",
    "Occupancy",
    "OccupantChangeNotice",
    "Payment",
    "Person",
    "PersonalDataAccess",
    "RegionOffice",
    "RegisterImport",
    "RentalAgreement",
    "TerminationNotice",
    "rescue_plan_path",
]
