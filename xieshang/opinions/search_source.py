"""Public-opinion reports and residents' topics in the search (registered in
OpinionsConfig.ready); who finds one is decided by the kind's visible selector."""

from __future__ import annotations

from django.urls import reverse

from xieshang.core.searchable import Document, register
from xieshang.opinions import selectors
from xieshang.opinions.models import OpinionReport, Topic


def opinion_document(report: OpinionReport) -> Document | None:
    if report.status == OpinionReport.Status.WITHDRAWN:
        return None
    return Document(
        title=report.title, body=report.full_text,
        url=reverse("opinions:report-detail", args=[report.pk]), date=report.submitted_at,
        facets={"status": report.status, "category": report.category},
    )


def topic_document(topic: Topic) -> Document:
    return Document(
        title=topic.title, body=f"{topic.description}\n{topic.place}\n{topic.result}",
        url=reverse("opinions:topic-detail", args=[topic.pk]), date=topic.created_at,
        facets={"status": topic.status},
    )


def register_sources() -> None:
    register("opinion", OpinionReport, opinion_document, visible=selectors.visible)
    register("topic", Topic, topic_document, visible=selectors.visible_topics)
