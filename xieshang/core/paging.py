"""Pages of a long list whose first page costs the same at any size.

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) to number the pages: at
350,000 proposals that count reads the whole committee through an index on each first page,
and its cost grows with the data. ``CappedPaginator`` counts at most ``cap + 1`` rows (a
``COUNT`` over a ``LIMIT``ed subquery, read in the list's order): up to the cap the pages are
numbered as before; past it the list says "more than 1,000" and "page N" without the total,
and a page past the cap knows whether a next one exists by reading one row more than it shows.
A page number past the end shows the last page known (as ``Paginator.get_page`` does).

``counted(queryset, cap)`` is the same count for a JSON list: the rows counted (at most ``cap``)
and whether there are more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 1000


def counted(rows: Any, cap: int | None = None) -> tuple[int, bool]:
    """(the number of rows, at most ``cap`` (default COUNT_CAP); whether there are more)."""
    cap = COUNT_CAP if cap is None else cap
    # A queryset: COUNT(*) FROM (SELECT … LIMIT cap + 1), read in the list's order.
    n = rows[:cap + 1].count() if isinstance(rows, QuerySet) else len(rows)
    return min(n, cap), n > cap


class CappedPage(Page[Any]):
    """A page of a capped list: past the cap, ``has_next`` comes from the row read beyond it."""

    def __init__(self, object_list: Sequence[Any], number: int, paginator: CappedPaginator,
                 more: bool | None = None) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return super().has_next() if self.more is None else self.more

    def end_index(self) -> int:
        if self.more is None:
            return super().end_index()
        return self.start_index() + len(self) - 1


class CappedPaginator(Paginator[Any]):
    """``Paginator`` that counts at most ``cap + 1`` rows (see the module's docstring)."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return counted(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap`` when there are more (then ``capped`` is true)."""
        return self._counted[0]

    @property
    def capped(self) -> bool:
        """More rows than ``cap``: the count and the number of pages are not known."""
        return self._counted[1]

    @cached_property
    def num_pages(self) -> int:
        """The pages known: every page when not ``capped``, else those up to the cap."""
        if not self.capped:
            return int(super().num_pages)
        return max(1, math.ceil(self.cap / self.per_page))

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            valid: int = super().validate_number(number)
            return valid
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return value

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        if not self.capped or number < self.num_pages:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        if not rows and number > self.num_pages:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[:self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page[Any]:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:  # past the end (or below 1): the last page known
            return self.page(self.num_pages)

    def _get_page(self, *args: Any, **kwargs: Any) -> Page[Any]:
        return CappedPage(*args, **kwargs)
