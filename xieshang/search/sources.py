"""What is searchable: one adapter per kind of record (registered in SearchConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xieshang.members.models import HandlingUnit, Member
from xieshang.search.index import Document, register
from xieshang.search.models import SearchEntry


def member_document(member: Member) -> Document:
    return Document(
        title=member.name,
        body=" ".join(filter(None, [member.party, member.workplace,
                                    member.sector.name if member.sector else ""])),
        url=reverse("member-detail", args=[member.pk]), date=member.joined_on,
        facets={"status": member.status}, visibility=SearchEntry.Visibility.STAFF,
        owner_ids=[member.user_id] if member.user_id else [],
    )


def unit_document(unit: HandlingUnit) -> Document | None:
    if not unit.is_active:
        return None
    return Document(title=unit.name, body=f"{unit.short_name} {unit.keywords}",
                    url=reverse("unit-list") + f"?q={unit.name}", date=unit.created_at,
                    facets={"unit_kind": unit.kind})


def activity_document(activity: Any) -> Document | None:
    if activity.status == "cancelled":
        return None
    return Document(
        title=activity.title,
        body="\n".join(filter(None, [activity.description, activity.minutes, activity.place])),
        url=reverse("activities:detail", args=[activity.pk]), date=activity.start,
        facets={"type": activity.type.code},
    )


def opinion_document(report: Any) -> Document | None:
    if report.status == "withdrawn":
        return None
    return Document(
        title=report.title, body=report.full_text,
        url=reverse("opinions:report-detail", args=[report.pk]), date=report.submitted_at,
        facets={"status": report.status, "category": report.category},
        visibility=SearchEntry.Visibility.STAFF,
        owner_ids=[report.submitted_by_id] if report.submitted_by_id else [],
    )


def topic_document(topic: Any) -> Document | None:
    """Residents' topics: staff see them all; only accepted ones are searchable by everyone."""
    public = topic.status in ("accepted", "consulting", "concluded")
    return Document(
        title=topic.title, body=f"{topic.description}\n{topic.place}\n{topic.result}",
        url=reverse("opinions:topic-detail", args=[topic.pk]), date=topic.created_at,
        facets={"status": topic.status},
        visibility=SearchEntry.Visibility.COMMITTEE if public else SearchEntry.Visibility.STAFF,
    )


def proposal_document(proposal: Any) -> Document | None:
    """Staff see every proposal; members see filed ones and their own drafts and submissions."""
    if proposal.status in ("draft", "withdrawn"):
        visibility = SearchEntry.Visibility.STAFF
    else:
        visibility = (SearchEntry.Visibility.COMMITTEE if proposal.filed_at
                      else SearchEntry.Visibility.STAFF)
    owners = [proposal.created_by_id] if proposal.created_by_id else []
    if proposal.proposer_id and proposal.proposer and proposal.proposer.user_id:
        owners.append(proposal.proposer.user_id)
    return Document(
        title=proposal.title, body=proposal.body,
        url=reverse("proposal-detail", args=[proposal.pk]),
        date=proposal.submitted_at or proposal.created_at,
        facets={"status": proposal.status,
                "category": proposal.category.name if proposal.category else ""},
        visibility=visibility, owner_ids=owners,
    )


def register_all() -> None:
    from importlib.util import find_spec

    if find_spec("xieshang.activities.models") is not None:
        from xieshang.activities.models import Activity

        register("activity", Activity, activity_document,
                 queryset=lambda: Activity.objects.select_related("type"))
    if find_spec("xieshang.proposals.models") is not None:
        from xieshang.proposals.models import Proposal

        register("proposal", Proposal, proposal_document,
                 queryset=lambda: Proposal.objects.select_related("category", "proposer"))
    if find_spec("xieshang.opinions.models") is not None:
        from xieshang.opinions.models import OpinionReport, Topic

        register("opinion", OpinionReport, opinion_document)
        register("topic", Topic, topic_document)
    register("member", Member, member_document,
             queryset=lambda: Member.objects.select_related("sector"))
    register("unit", HandlingUnit, unit_document)
