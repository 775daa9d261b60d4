"""Activities in the search (registered in ActivitiesConfig.ready); who finds one is decided
by ``selectors.visible``, the activity page's own fetch."""

from __future__ import annotations

from django.urls import reverse

from xieshang.activities import selectors
from xieshang.activities.models import Activity
from xieshang.core.searchable import Document, register


def activity_document(activity: Activity) -> Document | None:
    if activity.status == Activity.Status.CANCELLED:
        return None
    return Document(
        title=activity.title,
        body="\n".join(filter(None, [activity.description, activity.minutes, activity.place])),
        url=reverse("activities:detail", args=[activity.pk]), date=activity.start,
        facets={"type": activity.type.code},
    )


def register_source() -> None:
    register("activity", Activity, activity_document, visible=selectors.visible,
             queryset=lambda: Activity.objects.select_related("type"))
