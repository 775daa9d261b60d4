import numpy as np

from xieshang.textmining.similarity import SimilarityModel, containment, order_score, shared_phrases
from xieshang.textmining.synonyms import canonical
from xieshang.textmining.tokens import bigrams, highlight, query_terms, unigrams

ARCHIVE = [
    "关于加强农村饮水安全保障的建议。部分村庄饮水水质不稳定，建议加大投入。",
    "关于规范城区停车秩序的建议。城区停车位严重不足，建议建设立体停车场。",
    "关于发展乡村旅游的建议。依托山水资源发展民宿，建议完善配套设施。",
    "关于城市支援农村教育的建议。城市学校与农村学校结对，建议加强师资交流。",
]


def test_rewording_scores_above_word_swap():
    model = SimilarityModel(ARCHIVE)
    base = ARCHIVE[3]
    swapped = base.replace("城市支援农村", "农村支援城市")
    reworded = "有关城区支援乡村教育的提议。城区学校与乡村学校结对，提议强化师资交流。"
    s_swap, s_reword = model.pair_scores([base, base], [swapped, reworded])
    assert s_reword > s_swap


def test_unrelated_texts_score_low_and_identical_high():
    model = SimilarityModel(ARCHIVE)
    same, other = model.pair_scores([ARCHIVE[0], ARCHIVE[0]], [ARCHIVE[0], ARCHIVE[1]])
    assert same > 0.99
    assert other < 0.5


def test_nearest_finds_a_partial_overlap():
    model = SimilarityModel(ARCHIVE)
    query = ARCHIVE[1][:25] + "另外建议规范共享单车停放，增加非机动车道。"
    assert model.nearest(query, k=1)[0][0] == 1


def test_canonical_maps_synonyms():
    assert canonical("强化乡村饮用水保障") == "加强农村饮水保障"


def test_order_score_and_containment():
    assert order_score("城市支援农村", "城市支援农村") == 1.0
    assert order_score("城市支援农村", "农村支援城市") < 0.6
    assert containment("饮水安全保障", ARCHIVE[0]) == 1.0


def test_shared_phrases_lists_common_words():
    assert "停车" in "".join(shared_phrases(ARCHIVE[1], "城区停车难的问题"))


def test_tokens_cover_every_length():
    assert bigrams("农村饮水 ABC") == "农村 村饮 饮水 abc"
    assert unigrams("饮水a1") == "饮 水 a1"
    assert query_terms("饮 饮水安全") == [("uni", ["饮"]), ("bi", ["饮水", "水安", "安全"])]
    snippet, spans = highlight("这是一个关于饮水安全的建议", "饮水")
    assert snippet[spans[0][0]:spans[0][1]] == "饮水"


def test_order_signal_counts_as_far_as_the_lengths_compare():
    """Between texts of like length the score is the three signals as weighted; between a
    short subject and a long body the trigram Dice (which falls with the body's length)
    gives its weight to the character cosine in proportion to the length ratio."""
    from xieshang.textmining.similarity import WEIGHTS, _blend, _dice

    a, b = {"abc", "bcd", "cde", "def"}, {"abc", "bcd", "xyz", "yzw"}
    assert _blend(0.6, 0.5, a, b) == WEIGHTS[0] * 0.6 + WEIGHTS[1] * 0.5 + WEIGHTS[2] * 0.5
    body = a | {f"x{i}" for i in range(36)}  # 40 trigrams holding all 4 of the subject's
    r = 4 / 40
    expected = (WEIGHTS[0] * 0.6 + WEIGHTS[1] * 0.5
                + WEIGHTS[2] * (r * _dice(a, body) + (1 - r) * 0.6))
    assert abs(_blend(0.6, 0.5, a, body) - expected) < 1e-12
    before = WEIGHTS[0] * 0.6 + WEIGHTS[1] * 0.5 + WEIGHTS[2] * _dice(a, body)
    assert _blend(0.6, 0.5, a, body) > before
    assert _blend(0.6, 0.5, a, set()) == WEIGHTS[0] * 0.6 + WEIGHTS[1] * 0.5


def test_batch_scores_equal_pair_scores():
    model = SimilarityModel([*ARCHIVE, "停车", ARCHIVE[1][:12]])
    a = np.array([0, 1, 4, 5, 2], dtype=np.int32)
    b = np.array([3, 5, 4, 1, 0], dtype=np.int32)
    batch = model.indexed_pair_scores(a, b)
    single = model.pair_scores([model.texts[i] for i in a], [model.texts[i] for i in b])
    assert np.allclose(batch, single, atol=1e-6)
