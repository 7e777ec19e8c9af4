from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The unread count of the navigation (NTF-2): one query, made only when a page shows it."""

    def count() -> int:
        from .models import Notification

        person_id = getattr(getattr(request, "user", None), "person_id", None)
        if person_id is None:
            return 0
        if not hasattr(request, "_heka_unread_notifications"):
            request._heka_unread_notifications = Notification.objects.filter(  # type: ignore[attr-defined]
                recipient_id=person_id, read_at__isnull=True
            ).count()
        return request._heka_unread_notifications  # type: ignore[attr-defined]

    return {"unread_notifications": SimpleLazyObject(count)}
