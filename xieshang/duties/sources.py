"""Fact sources. Each area of work registers one; the built-in one reads manual items.

The proposals, opinions and activities apps register their sources here too (see
``register_builtin``), each guarded so that an app that is not installed adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from xieshang.duties.facts import Fact, register_source


def manual_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    from xieshang.duties.models import ManualItem

    rows = ManualItem.objects.filter(committee_id=committee_id, date__gte=start,
                                     date__lte=end).values_list("id", "member_id", "date",
                                                                "code", "description")
    for pk, member_id, date, code, description in rows:
        yield Fact(member_id=member_id, kind=f"manual:{code}", date=date,
                   ref_type="duties.manualitem", ref_id=str(pk), label=description)


def register_builtin() -> None:
    register_source("manual", manual_facts, {"manual:*": _("Item recorded by the office")})
