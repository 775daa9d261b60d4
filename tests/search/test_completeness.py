"""Issue #16: the index is complete, and ``xieshang text reindex --check`` says so (or not)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import MemberFactory, SectorFactory
from xieshang.devdata.indexing import index_committees
from xieshang.members.models import Member
from xieshang.search.completeness import counts
from xieshang.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def check(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("text", "reindex", "--check", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_saves_through_the_orm_leave_the_index_complete(county,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory.create_batch(2, committee=county)
    [row] = [r for r in counts(["member"])]
    assert (row.kind, row.committee, row.source, row.indexed, row.ok) == (
        "member", county.code, 2, 2, True)
    code, out = check("--kind", "member")
    assert code == 0 and "index complete" in out


def test_a_bulk_write_that_skips_the_index_fails_the_check_until_indexed(county):
    sector = SectorFactory(committee=county)
    Member.objects.bulk_create([Member(committee=county, name=f"批量{i}", sector=sector,
                                       phone=f"1390000000{i}", joined_on="2022-01-01")
                                for i in range(3)])
    code, out = check("--kind", "member", "--committee", county.code)
    assert code == 1
    assert "DIFFERENT" in out and "differ" in out
    [row] = counts(["member"], [county.pk])
    assert (row.source, row.indexed, row.missing, row.stale) == (3, 0, 3, 0)
    index_committees([county.pk])
    assert check("--kind", "member")[0] == 0


def test_an_entry_whose_record_is_gone_is_stale(county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member = MemberFactory(committee=county)
    SearchEntry.objects.filter(kind="member", object_id=str(member.pk)).update(
        object_id="999999")
    [row] = counts(["member"])
    assert (row.missing, row.stale) == (1, 1)
    index_committees([county.pk], ["member"])
    assert [r.ok for r in counts(["member"])] == [True]


def test_unknown_committee_or_kind_is_one_clear_error(county):
    with pytest.raises(CommandError) as exc:
        call_command("text", "reindex", "--check", "--committee", "nowhere",
                     stdout=io.StringIO())
    assert exc.value.returncode == 2 and "nowhere" in str(exc.value)


def test_a_roster_import_leaves_the_index_complete(county, django_capture_on_commit_callbacks):
    """The roster import writes in bulk (members_bulk_create) but sends post_save for each."""
    from xieshang.core.permissions import Actor
    from xieshang.members.services import NewMember, members_bulk_create

    sector = SectorFactory(committee=county)
    new = [NewMember({"name": f"名册{i}", "gender": "male", "sector": sector,
                      "phone": f"1370000000{i}", "id_number": "11010519491231002X",
                      "joined_on": "2022-01-01"}) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        members_bulk_create(actor=Actor.for_system(county), committee=county, new=new)
    [row] = counts(["member"], [county.pk])
    assert (row.source, row.indexed, row.ok) == (3, 3, True)
