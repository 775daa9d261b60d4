"""The participation channels' figures (registered in ``ParticipationConfig.ready``; keys in
docs/reports.md)."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core.figures import Figure, Scope
from xieshang.participation.models import (
    ChannelStatus,
    Post,
    Problem,
    Response,
    Room,
    RoomSuggestion,
    Studio,
    StudioEvent,
    Survey,
)


def participation_figures(scope: Scope) -> list[Figure]:
    """Rooms and surveys count in the period they opened, once published; posts, answers,
    studio activities and problems on their own dates; studios are those active now."""
    lo, hi = scope.bounds
    ids = scope.committee_ids
    # A draft was never offered to anyone: it does not count (nor do its posts or answers).
    rooms = Room.objects.filter(committee_id__in=ids, opens_at__gte=lo,
                                opens_at__lt=hi).exclude(status=ChannelStatus.DRAFT)
    posts = Post.objects.filter(committee_id__in=ids, created_at__gte=lo, created_at__lt=hi,
                                hidden_at__isnull=True)
    surveys = Survey.objects.filter(committee_id__in=ids, opens_at__gte=lo,
                                    opens_at__lt=hi).exclude(status=ChannelStatus.DRAFT)
    answers = Response.objects.filter(committee_id__in=ids, submitted_at__gte=lo,
                                      submitted_at__lt=hi)
    events = StudioEvent.objects.filter(committee_id__in=ids, date__gte=scope.start,
                                        date__lte=scope.end)
    problems = Problem.objects.filter(committee_id__in=ids, received_on__gte=scope.start,
                                      received_on__lte=scope.end)
    return [
        Figure("participation.rooms", _("Online consultation rooms opened"), rooms.count(), "个",
               link=reverse("participation:rooms"),
               definition=_("Online consultation rooms opening in the period, published (drafts "
                            "not counted; those ended early counted).")),
        Figure("participation.room_posts", _("Posts in online consultation rooms"),
               posts.count(), "条", link=reverse("participation:rooms"),
               definition=_("Posts written in the period in online consultation rooms (hidden "
                            "ones not counted).")),
        Figure("participation.room_members", _("Members who took part in online consultation"),
               posts.filter(member__isnull=False).values("member_id").distinct().count(), "名",
               link=reverse("participation:rooms"),
               definition=_("Members who posted at least once in the period.")),
        Figure("participation.room_suggestions", _("Ledger suggestions from online consultation"),
               RoomSuggestion.objects.filter(room__in=rooms).count(), "条",
               link=reverse("activities:ledger"),
               definition=_("Suggestion-ledger items from the summaries of the rooms opened in "
                            "the period.")),
        Figure("participation.surveys", _("Surveys opened"), surveys.count(), "份",
               link=reverse("participation:surveys"),
               definition=_("Surveys opening in the period, published (drafts not counted; "
                            "those ended early counted).")),
        Figure("participation.survey_responses", _("Survey answers received"), answers.count(),
               "份", link=reverse("participation:surveys"),
               definition=_("Survey answers submitted in the period.")),
        Figure("participation.studios", _("Members' studios"),
               Studio.objects.filter(committee_id__in=ids, is_active=True).count(), "个",
               link=reverse("participation:studios"),
               definition=_("Members' studios active now.")),
        Figure("participation.studio_events", _("Studio activities"), events.count(), "次",
               link=reverse("participation:studios"),
               definition=_("Studio activities dated in the period.")),
        Figure("participation.studio_residents", _("Residents received at studios"),
               events.aggregate(n=Sum("residents"))["n"] or 0, "人次",
               link=reverse("participation:studios"),
               definition=_("Residents received at the studio activities of the period "
                            "(person-times).")),
        Figure("participation.studio_problems", _("Problems collected at studios"),
               problems.count(), "个", link=reverse("participation:studios"),
               definition=_("Problems collected at studios in the period.")),
        Figure("participation.studio_problems_answered", _("Studio problems answered"),
               problems.exclude(answer="").count(), "个",
               link=reverse("participation:studios"),
               definition=_("Of the problems collected in the period, those with an answer "
                            "recorded.")),
    ]
