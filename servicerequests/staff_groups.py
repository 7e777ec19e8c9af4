"""The request queues' share of the staff groups (STF-3); see tenancy.staff_groups."""

from tenancy.staff_groups import CUSTOMER_SERVICE, OFFICE_CLERK

_QUEUES = ["defect", "message", "servicerequest"]

GROUP_PERMISSIONS: dict[str, list[str]] = {
    # Works the queues: reads what residents sent, changes the status and replies, and sets how
    # long each type of request is expected to take (NTF-6).
    CUSTOMER_SERVICE: [
        *(f"servicerequests.{action}_{model}" for model in _QUEUES for action in ("view", "change")),
        "servicerequests.view_timelineentry",
        "servicerequests.view_handlingtime",
        "servicerequests.change_handlingtime",
    ],
    # Meets residents at a regional office and can tell them how their requests are doing.
    OFFICE_CLERK: [
        *(f"servicerequests.view_{model}" for model in _QUEUES),
        "servicerequests.view_timelineentry",
    ],
}
