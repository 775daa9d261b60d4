"""Hot issues on messages shaped like a real board's export (benchmarks/hotgen.py)."""

import datetime as dt

import pytest

from benchmarks.hotgen import ISSUES, messages
from xieshang.textmining import segment
from xieshang.textmining.hottopics import cluster, hot_topics, parse_time


def run(seed, top=6, **kwargs):
    rows, planted = messages(seed=seed, **kwargs)
    texts = [f"{r['留言主题']}\n{r['留言详情']}" for r in rows]
    times = [parse_time(r["留言时间"]) for r in rows]
    ids = [r["留言编号"] for r in rows]
    likes = [float(r["点赞数"]) for r in rows]
    return hot_topics(texts, times, ids, likes, top=top), planted


@pytest.mark.parametrize("seed", [0, 1])
def test_the_planted_issues_are_the_top_ones_each_whole_and_alone(seed):
    topics, planted = run(seed)
    by_id = {i: key for key, ids in planted.items() for i in ids}
    found = {}
    for topic in topics:
        keys = [by_id.get(i) for i in topic.ids]
        main = max(set(keys), key=keys.count)
        if main is not None:
            found[main] = topic
            assert keys.count(main) / len(keys) >= 0.9  # mostly about that one issue
            assert keys.count(main) / len(planted[main]) >= 0.8  # and most of it
    assert set(found) == {issue.key for issue in ISSUES}


def test_labels_name_the_place_and_the_problem():
    topics, _planted = run(0)
    labels = {issue.key: next(t for t in topics if issue.key in t.place) for issue in ISSUES}
    for issue in ISSUES:
        topic = labels[issue.key]
        assert topic.label.startswith(topic.place) and " · " in topic.label
        assert topic.problem and issue.key not in topic.problem
    assert "车位" in labels["伊景园滨河苑"].problem
    assert "食堂" in labels["星沙中学"].problem


def test_a_case_backed_by_thousands_ranks_high_with_few_messages():
    topics, _planted = run(0)
    fraud = next(t for t in topics if "金鑫财富" in t.place)
    assert fraud.size == 5 and fraud.support > 1000
    assert fraud.rank <= 3


@pytest.mark.parametrize("background", [360, 1500])
def test_themes_spread_over_years_rank_below_every_issue(background):
    """Each theme here has far more messages than any issue (up to 150 against 5–26), and
    more likes in all; the issues come first all the same."""
    topics, planted = run(1, top=len(ISSUES) + 3, background=background)
    by_id = {i: key for key, ids in planted.items() for i in ids}
    kinds = ["issue" if by_id.get(t.ids[0]) else "theme" for t in topics]
    assert kinds == ["issue"] * len(ISSUES) + ["theme"] * 3
    assert all(t.peak_share < 0.5 for t in topics[len(ISSUES):])


def test_the_time_range_and_busiest_window_are_reported():
    topics, _planted = run(0)
    top = topics[0]
    first, last = dt.datetime.fromisoformat(top.first), dt.datetime.fromisoformat(top.last)
    assert dt.timedelta(0) < last - first <= dt.timedelta(days=21)
    assert top.peak_share == 1.0


def test_two_estates_with_the_same_problem_are_two_issues():
    texts = ([f"A市{name}开发商捆绑销售车位\n{name}买房必须买车位，不买不给签合同，请住建部门查处。"
              for name in ("伊景园滨河苑", "伊景园滨河苑", "伊景园滨河苑")]
             + ["A市金桂花园开发商捆绑销售车位\n金桂花园售楼部强制捆绑车位销售，业主负担不起。"
                for _ in range(3)])
    labels = cluster(texts)
    assert len(set(labels[:3])) == 1 and len(set(labels[3:])) == 1
    assert labels[0] != labels[3]


def test_one_estate_with_two_problems_is_two_issues():
    texts = (["和顺小区电梯频繁故障\n和顺小区的电梯三天两头出故障，上周又困人半小时。"] * 3
             + ["和顺小区垃圾无人清运\n和顺小区垃圾堆了一个星期没人清运，臭气熏天，蚊蝇滋生。"] * 3)
    labels = cluster(texts)
    assert labels[0] == labels[1] == labels[2] != labels[3] == labels[4] == labels[5]


def test_a_committee_place_term_names_the_issue():
    dictionary = segment.UserDictionary((("滨河苑", "ns", 5),))
    texts = ["滨河苑项目开发商捆绑销售车位\n不买车位不让买房",
             "投诉滨河苑捆绑车位销售\n捆绑销售车位违法",
             "滨河苑买房必须买车位\n强制捆绑车位"]
    with segment.using(dictionary):
        topics = hot_topics(texts, [None] * 3, ["1", "2", "3"], top=1)
    assert topics[0].place == "滨河苑" and topics[0].size == 3


@pytest.mark.parametrize(("value", "expected"), [
    ("2019/8/7 19:52:14", dt.datetime(2019, 8, 7, 19, 52, 14)),
    ("2019-07-11 00:00:00", dt.datetime(2019, 7, 11)),
    ("43684.5", dt.datetime(2019, 8, 7, 12)),
    ("43684", dt.datetime(2019, 8, 7)),
    ("2019年8月9日", dt.datetime(2019, 8, 9)),
    ("2019年8月9日 8:05", dt.datetime(2019, 8, 9, 8, 5)),
    ("2019.8.9", dt.datetime(2019, 8, 9)),
    ("2019-08-09T10:00:00+08:00", dt.datetime(2019, 8, 9, 10)),
    ("20190809", dt.datetime(2019, 8, 9)),
    ("", None), ("未知", None), ("2019-13-45 25:00:00", None), ("12", None), ("昨天", None),
])
def test_times_in_the_formats_exports_mix(value, expected):
    assert parse_time(value) == expected


def test_nothing_in_nothing_out():
    assert hot_topics([], [], []) == []
    assert list(cluster([])) == []
    assert hot_topics(["只有一条留言"], [None], ["1"]) == []
