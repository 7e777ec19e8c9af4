"""The kinds of notification, which of them protect the resident, and what each one says.

A notification stores its kind and plain parameters (codes, ISO dates, numbers), never words:
the text is made here when it is shown or e-mailed, in the reader's language of that moment.
"""

from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class Kind(models.TextChoices):
    RECEIPT = "receipt", gettext_lazy("Receipts of what I send")
    REQUEST_STATUS = "request_status", gettext_lazy("Status changes of my requests")
    REQUEST_REPLY = "request_reply", gettext_lazy("Replies from Heka")
    BOOKING_STATUS = "booking_status", gettext_lazy("Status changes of my bookings")
    NOTICE_STATUS = "notice_status", gettext_lazy("Handling of my notices of moving")
    APPLICATION_VALID = "application_valid", gettext_lazy("Housing application valid")
    OUTAGE = "outage", gettext_lazy("Outages in my building")
    TERMINATION_CONFIRMED = "termination_confirmed", gettext_lazy("Termination confirmed")
    BANK_ACCOUNT_CHANGED = "bank_account_changed", gettext_lazy("Bank account changed")
    ACCOUNT_CLOSED = "account_closed", gettext_lazy("Account closed")
    NEW_IDENTITY_SIGN_IN = "new_identity_sign_in", gettext_lazy("Sign-in from a new identity")


# NTF-3: these protect the resident from someone else acting in their name; they always come by e-mail.
PROTECTIVE = frozenset({Kind.TERMINATION_CONFIRMED, Kind.BANK_ACCOUNT_CHANGED, Kind.ACCOUNT_CLOSED, Kind.NEW_IDENTITY_SIGN_IN})
# The kinds a resident may switch off by e-mail (NTF-3), in the order the profile page lists them.
OPTIONAL = tuple(kind for kind in Kind if kind not in PROTECTIVE)


def _day(value: str) -> str:
    return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _moment(value: str) -> str:
    return formats.date_format(timezone.localtime(datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")


def _what(params: dict) -> str:
    """The item a notification is about, named the way the resident named it."""
    from bookings.models import ResourceKind
    from servicerequests.models import Defect, ResidentRequest, ServiceRequest

    item = params.get("item", "")
    title = params.get("title", "")
    if params.get("category") in Defect.Category.values:
        title = str(Defect.Category(params["category"]).label)
    if params.get("type") in ServiceRequest.Type.values:
        title = str(ServiceRequest.Type(params["type"]).label)
    if params.get("resources"):
        title = ", ".join(params["resources"])
    labels = {
        ResidentRequest.Kind.DEFECT: _("Defect notification"),
        ResidentRequest.Kind.MESSAGE: _("Message"),
        ResidentRequest.Kind.SERVICE_REQUEST: _("Service request"),
        ResourceKind.PARKING: _("Parking space request"),
        ResourceKind.SAUNA: _("Sauna slot request"),
        "occupant_change": _("Notice of moving in or out"),
        "termination": _("Notice of termination"),
        "application": _("Housing application"),
    }
    label = str(labels.get(item, _("Your item")))
    return f"{label}: {title}" if title else label


def _status(params: dict) -> str:
    from bookings.models import Reservation
    from servicerequests.models import Status
    from tenancy.models import OccupantChangeNotice, TerminationNotice

    choices = {
        "request": Status,
        "booking": Reservation.Status,
        "occupant_change": OccupantChangeNotice.Status,
        "termination": TerminationNotice.Status,
    }.get(params.get("statuses", ""))
    code = params.get("status", "")
    if choices is not None and code in choices.values:
        return str(choices(code).label)
    return code


def headline(kind: str, params: dict) -> str:
    """One line saying what happened, in the active language: the list entry and the e-mail subject."""
    what = _what(params)
    if kind == Kind.RECEIPT:
        return _("Received: %(what)s") % {"what": what}
    if kind in (Kind.REQUEST_STATUS, Kind.BOOKING_STATUS, Kind.NOTICE_STATUS):
        return _("%(what)s — new status: %(status)s") % {"what": what, "status": _status(params)}
    if kind == Kind.REQUEST_REPLY:
        if params.get("item") == "message":
            return _("Heka has answered your message")
        if params.get("item") == "defect":
            return _("Heka has replied about your defect notification")
        return _("Heka has replied about your service request")
    if kind == Kind.APPLICATION_VALID:
        return _("Your housing application is now valid")
    if kind == Kind.OUTAGE:
        return outage_headline(params)
    if kind == Kind.TERMINATION_CONFIRMED:
        return _("Your termination is confirmed: the agreement ends on %(day)s") % {"day": _day(params["ends_on"])}
    if kind == Kind.BANK_ACCOUNT_CHANGED:
        return _("The bank account number in your details was changed")
    if kind == Kind.ACCOUNT_CLOSED:
        return _("Your Resident Portal account was closed")
    if kind == Kind.NEW_IDENTITY_SIGN_IN:
        return _("Your identity was used to register at the Resident Portal")
    return str(Kind(kind).label) if kind in Kind.values else kind


def outage_headline(params: dict) -> str:
    from .models import Outage

    utility = str(Outage.Utility(params["utility"]).label) if params.get("utility") in Outage.Utility.values else ""
    if params.get("resolved"):
        return _("Outage over: %(utility)s") % {"utility": utility}
    if params.get("version", 1) > 1:
        return _("Outage updated: %(utility)s") % {"utility": utility}
    if params.get("planned"):
        return _("Planned outage: %(utility)s") % {"utility": utility}
    return _("Sudden outage: %(utility)s") % {"utility": utility}


def details(kind: str, params: dict) -> list[str]:
    """The lines below the headline: dates and what happens next, in the active language."""
    lines: list[str] = []
    if kind == Kind.RECEIPT and params.get("confirmed"):
        lines.append(_("You confirmed that the repair was done. Thank you: the matter is closed."))
    elif kind == Kind.RECEIPT:
        lines.append(_("We have received what you sent and will handle it."))
    if kind == Kind.NEW_IDENTITY_SIGN_IN:
        lines.append(
            _(
                "On %(day)s someone identified as you with strong electronic identification to register at the "
                "Resident Portal. You already have an account, so nothing was changed. If it was not you, call "
                "Heka customer service."
            )
            % {"day": _day(params["on"])}
        )
    if kind == Kind.REQUEST_STATUS and params.get("reopened"):
        lines.append(_("You reopened it because the repair was not done: it is back in the queue and handled first."))
    if kind == Kind.REQUEST_REPLY and params.get("sent_on"):
        day = _day(params["sent_on"])
        if params.get("item") == "message":
            lines.append(_("Heka customer service has answered the message you sent on %(day)s.") % {"day": day})
        elif params.get("item") == "defect":
            lines.append(_("Heka has replied about the defect notification you sent on %(day)s.") % {"day": day})
        else:
            lines.append(_("Heka has replied about the service request you sent on %(day)s.") % {"day": day})
    if kind == Kind.TERMINATION_CONFIRMED:
        lines.append(_("Notice given on %(day)s.") % {"day": _day(params["notice_date"])})
        reservations = params.get("reservations", [])
        if reservations:
            lines.append(_("These reservations of yours run past the end of the agreement:"))
            for reservation in reservations:
                lines.append(_reservation_line(reservation, params["ends_on"]))
        if not reservations:
            lines.append(_("You have no reservations that run past the end of the agreement."))
    if kind == Kind.OUTAGE:
        if description := params.get("description", {}).get(get_language() or "fi", ""):
            lines.append(description)
        lines.append(_("Buildings: %(buildings)s") % {"buildings": ", ".join(params.get("buildings", []))})
        lines.append(_("From %(start)s") % {"start": _moment(params["starts_at"])})
        if params.get("resolved"):
            lines.append(_("Over since %(end)s") % {"end": _moment(params["resolved_at"])})
        elif params.get("expected_end_at"):
            lines.append(_("Expected to end %(end)s") % {"end": _moment(params["expected_end_at"])})
    if kind == Kind.BANK_ACCOUNT_CHANGED:
        if params.get("changed_on"):
            lines.append(_("The account number was changed on %(day)s.") % {"day": _day(params["changed_on"])})
        lines.append(_("The new account: %(iban)s") % {"iban": params.get("masked_iban", "")})
        lines.append(_("If you did not make this change, call customer service at once."))
    if kind == Kind.ACCOUNT_CLOSED:
        lines.append(_("A new account was registered with your identity; this address no longer receives messages."))
        lines.append(_("If you did not make this change, call customer service at once."))
    if kind == Kind.APPLICATION_VALID:
        lines.append(_("Every adult applicant has confirmed the application."))
    return lines


def _reservation_line(reservation: dict, agreement_ends_on: str) -> str:
    from bookings.models import ResourceKind

    kind = ResourceKind(reservation["kind"]).label if reservation.get("kind") in ResourceKind.values else ""
    return _("%(kind)s %(place)s: ends with the agreement on %(day)s") % {
        "kind": kind,
        "place": reservation.get("place", ""),
        "day": _day(agreement_ends_on),
    }
