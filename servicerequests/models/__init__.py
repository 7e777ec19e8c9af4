"""Requests to Heka (SPEC section 3): defect notifications, messages to customer service and
service requests, each with a timeline the resident follows, and the drafts of unsent forms."""

from .base import Draft, ResidentRequest, Status, TimelineEntry
from .handling import DEFAULT_HANDLING_DAYS, HandlingTime
from .kinds import Defect, DefectPhoto, Message, ServiceRequest

__all__ = [
    "DEFAULT_HANDLING_DAYS",
    "Defect",
    "DefectPhoto",
    "Draft",
    "HandlingTime",
    "Message",
    "ResidentRequest",
    "ServiceRequest",
    "Status",
    "TimelineEntry",
]
