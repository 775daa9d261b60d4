"""The committee's own dictionary: staff keep it; it changes that committee's segmentation only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import user_with_role
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.search import dictionary
from xieshang.search.models import DictionaryTerm
from xieshang.textmining import segment

pytestmark = pytest.mark.django_db

TEXT = "关于加快桃花坞片区棚户区改造的建议"


def words_for(committee, text=TEXT):
    with segment.using(dictionary.dictionary_for(committee.pk)):
        return segment.words(text)


def test_a_term_added_changes_segmentation_of_that_committee_only(county, other_county, staff,
                                                                  django_capture_on_commit_callbacks):
    assert "桃花坞片区" not in words_for(county)
    with django_capture_on_commit_callbacks(execute=True):
        dictionary.term_add(actor=actor_for(staff, county), word="桃花坞片区",
                            part_of_speech="ns", weight=5)
    assert "桃花坞片区" in words_for(county)
    assert "桃花坞片区" not in words_for(other_county)
    assert "桃花坞片区" not in segment.words(TEXT)  # the process-wide segmenter is untouched


def test_removing_a_term_restores_the_segmentation(county, staff):
    actor = actor_for(staff, county)
    term = dictionary.term_add(actor=actor, word="桃花坞片区")
    assert "桃花坞片区" in words_for(county)
    dictionary.term_remove(actor=actor, term=term)
    assert "桃花坞片区" not in words_for(county)


def test_the_heavier_of_two_overlapping_terms_is_kept_whole(county, staff):
    actor = actor_for(staff, county)
    dictionary.term_add(actor=actor, word="桃花坞片区", weight=2)
    dictionary.term_add(actor=actor, word="桃花坞片区棚户区", weight=9)
    assert "桃花坞片区棚户区" in words_for(county)


def test_key_phrases_of_hot_topics_use_the_committee_terms(county, staff):
    dictionary.term_add(actor=actor_for(staff, county), word="清水河治理", part_of_speech="nz")
    texts = ["清水河治理进展缓慢，沿岸污水直排", "建议加快清水河治理，建设截污管网",
             "清水河治理资金不足"]
    with segment.using(dictionary.dictionary_for(county.pk)):
        assert segment.key_phrases(texts, top=3)[0] == "清水河治理"
    assert "清水河治理" not in segment.key_phrases(texts, top=3)


def test_a_change_refits_the_similarity_model(county, staff, django_capture_on_commit_callbacks):
    from tests.proposals.factories import S, build_world, reach
    from xieshang.proposals import selectors

    reach(build_world(county), S.FILED)
    before = selectors._similarity_model(county.pk)[0]
    assert selectors._similarity_model(county.pk)[0] is before  # cached
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dictionary.term_add(actor=actor_for(staff, county), word="桃花坞片区")
    assert len(callbacks) == 1  # the refresh task was queued
    assert selectors._similarity_model(county.pk)[0] is not before


@pytest.mark.parametrize("word", ["", "a", "桃花，坞", "<script>", "x" * 31, "桃花坞;DROP"])
def test_a_bad_term_is_refused_with_a_message_and_nothing_saved(county, staff, word):
    with pytest.raises(ValidationError) as exc:
        dictionary.term_add(actor=actor_for(staff, county), word=word)
    assert exc.value.message_dict["word"]
    assert not DictionaryTerm.objects.exists()


def test_a_duplicate_term_is_refused(county, staff):
    actor = actor_for(staff, county)
    dictionary.term_add(actor=actor, word="桃花坞片区")
    with pytest.raises(ValidationError):
        dictionary.term_add(actor=actor, word="桃花坞片区")
    assert DictionaryTerm.objects.count() == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.UNIT_CLERK, Role.COLLECTIVE])
def test_others_may_not_edit_the_dictionary(county, role, staff, client):
    user = user_with_role(county, role)
    with pytest.raises(PermissionDenied):
        dictionary.term_add(actor=actor_for(user, county), word="桃花坞片区")
    term = dictionary.term_add(actor=actor_for(staff, county), word="清水河")
    with pytest.raises(PermissionDenied):
        dictionary.term_remove(actor=actor_for(user, county), term=term)
    client.force_login(user)
    assert client.get("/search/dictionary/").status_code == 403
    assert client.post("/search/dictionary/", {"word": "新词语"}).status_code == 403
    assert client.post(f"/search/dictionary/{term.pk}/remove/").status_code == 403
    assert list(DictionaryTerm.objects.values_list("word", flat=True)) == ["清水河"]


def test_staff_of_another_committee_cannot_touch_this_dictionary(county, other_county, staff,
                                                                 client):
    term = dictionary.term_add(actor=actor_for(staff, county), word="桃花坞片区")
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    with pytest.raises(PermissionDenied):
        dictionary.term_remove(actor=actor_for(outsider, other_county), term=term)
    client.force_login(outsider)
    assert client.post(f"/search/dictionary/{term.pk}/remove/").status_code == 404
    assert "term-桃花坞片区" not in client.get("/search/dictionary/").content.decode()
    assert DictionaryTerm.objects.filter(pk=term.pk).exists()


@pytest.mark.parametrize("role", [Role.STAFF_OFFICE, Role.ADMIN])
def test_staff_and_admins_keep_the_dictionary_on_its_page(county, client, role):
    client.force_login(user_with_role(county, role))
    r = client.post("/search/dictionary/", {"word": "桃花坞片区", "part_of_speech": "ns",
                                             "weight": "7"})
    assert r.status_code == 302
    term = DictionaryTerm.objects.get()
    assert (term.word, term.part_of_speech, term.weight, term.committee) == (
        "桃花坞片区", "ns", 7, county)
    html = client.get("/search/dictionary/", {"sample": TEXT}).content.decode()
    assert 'data-testid="term-桃花坞片区"' in html
    assert '<span class="tag">桃花坞片区</span>' in html
    assert client.post(f"/search/dictionary/{term.pk}/remove/").status_code == 302
    assert not DictionaryTerm.objects.exists()


def test_the_page_explains_a_bad_term_in_chinese(county, staff, client):
    client.force_login(staff)
    r = client.post("/search/dictionary/", {"word": "桃花 坞!", "weight": "500"})
    assert r.status_code == 400
    assert not DictionaryTerm.objects.exists()
    assert "role=\"alert\"" in r.content.decode()


def test_a_change_tells_the_proposals_app_to_rebuild_its_models(county):
    """search sends core.dictionary.dictionary_changed; proposals retrains and refits."""
    from xieshang.core import dictionary as core_dictionary

    received = []

    def listener(sender, committee_id, **kwargs):
        received.append(committee_id)

    core_dictionary.dictionary_changed.connect(listener)
    try:
        note = dictionary.refresh_task.call(county.pk)
    finally:
        core_dictionary.dictionary_changed.disconnect(listener)
    assert received == [county.pk]
    assert "similarity refitted" in note  # the proposals app's receiver ran


def test_the_apps_below_search_read_the_terms_through_core(county, staff):
    from xieshang.core import dictionary as core_dictionary

    dictionary.term_add(actor=actor_for(staff, county), word="桃花坞片区")
    assert "桃花坞片区" in [t[0] for t in core_dictionary.dictionary_for(county.pk).terms]
    assert "桃花坞片区" in [t[0] for t in core_dictionary.dictionary_for_many([county.pk]).terms]
    assert core_dictionary.dictionary_for(None).terms == ()
