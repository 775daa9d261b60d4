"""Hot issues: what an office would put in a 热点问题 table, not broad themes.

A hot issue is one place, body or case with one problem ("伊景园滨河苑 · 捆绑销售车位"), raised
by several people in their own words or supported by many, within a time window. So:

1. **Vectors of what is specific.** Character 2–4-grams, TF-IDF, with every n-gram that occurs
   in more than ``COMMON_SHARE`` of the texts dropped: "物业", "公交", "A市", "希望有关部门" are
   shared by whole themes and say nothing about which estate or case a message is about; an
   estate's name, a company's name, "捆绑销售" are what near-duplicate complaints share. The
   subject (first line) counts twice.
2. **Tight clusters.** Average-linkage clustering on cosine distance with a tight threshold
   (``SIMILARITY``). It is run on each connected component of the graph of pairs at least that
   similar (found by sparse products in chunks), which gives exactly the clusters of one
   global run — two clusters whose average similarity passes the threshold have a pair that
   does — with memory that follows the largest component, not the square of the input.
3. **Ranking** by volume (messages), support (likes, co-signers) and concentration in time
   (the share of the messages in the busiest ``WINDOW_DAYS``); a single message qualifies only
   with support far above the rest.
4. **Labels.** The place or object is the longest phrase most members share that ends like a
   place or a body (小区, 苑, 中学, 公司 … or a committee's own place and unit terms); the problem
   is the cluster's most distinctive words outside it, in the order the messages use them.

Times arrive in the formats real exports mix; ``parse_time`` reads them, and callers count
the rows it could not read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from xieshang.textmining import segment

SIMILARITY = 0.2  # average cosine within a place cluster, on the specific n-grams
PROBLEM_SIMILARITY = 0.2  # average cosine of the problem words within an issue
COMMON_SHARE = 0.1  # an n-gram in more texts than this share (and than MIN_COMMON) is generic
MIN_COMMON = 30
WINDOW_DAYS = 30
NO_PLACE_FACTOR = 0.7
PLACE_CHARS = 12  # the longest place or body a label names
PLACE_WITHIN = 160  # characters of a message searched for it
COMPONENT_LIMIT = 5000  # larger components are split at a tighter threshold
CHUNK = 250

# Endings of a place, an estate, a body or a case's subject: what a label's first half names.
PLACE_ENDINGS = (
    "小区", "花园", "家园", "新城", "公寓", "大厦", "广场", "苑", "园", "城", "府", "湾", "庭",
    "居",
    "村", "镇", "乡", "街道", "社区", "路", "街", "巷", "大道", "桥", "河", "湖",
    "中学", "小学", "学校", "学院", "大学", "幼儿园", "医院", "卫生院", "诊所",
    "公司", "集团", "财富", "银行", "超市", "商场", "市场", "酒店", "工厂", "厂", "站", "场",
    "项目", "工地", "景区", "公园", "车站", "线", "区", "县", "市",
)
_ENDING = re.compile("(?:" + "|".join(sorted(map(re.escape, PLACE_ENDINGS), key=len,
                                              reverse=True)) + ")$")
# Leading words that belong to the message, not to the place ("投诉伊景园…", "关于…").
_LEADING = re.compile(r"^(?:关于|投诉|反映|举报|请问|咨询|建议|希望|我是|我们|我|在|的|对|有关)+")
_MASKED = re.compile(r"^[A-Z]\d*[市区县省]")  # "A市", "A7县": masked names, kept as a prefix
_NAME_FLAGS = frozenset({"m", "eng", "j", "x", "b", "s"})  # besides nouns (n…)
_PROPER_FLAGS = frozenset({"ns", "nr", "nt", "nz", "nrt", "nrfg"})
_CHINESE_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_GENERIC_WORDS = frozenset(
    "希望 领导 尽快 部门 相关 有关 请求 恳请 处理 解决 反映 投诉 问题 业主 居民 群众 我们 "
    "谢谢 您好 尊敬 严重 影响 要求 是否 情况 已经 没有 多次 至今 何时 为什么 怎么 还是 可以 "
    "现在 目前 一直 非常 政府 单位 领导们 市民 请问 咨询 关于 建议".split()
)


@dataclass
class Topic:
    rank: int
    label: str
    size: int
    score: float
    first: str
    last: str
    ids: list[str]
    place: str = ""
    problem: str = ""
    support: float = 0.0
    peak_share: float = 0.0  # share of the messages in the busiest WINDOW_DAYS


# ------------------------------------------------------------------------------------- times
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - naive local times
_SEPARATORS = re.compile(r"[/.年月]")
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
            "%Y-%m-%d", "%Y-%m", "%Y%m%d")


def parse_time(value: str | float | None) -> dt.datetime | None:
    """A time as real exports write it: 2019/8/7 19:52:14, 2019-07-11 00:00:00, 2019年8月7日,
    2019.8.7, ISO 8601 with or without a zone (the zone is dropped: local times), or Excel's
    serial day number (43684.83 = 2019-08-07 19:55). None when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return _excel(float(value))
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return _excel(number) if len(text.split(".")[0]) <= 5 else _compact(text)
    cleaned = _SEPARATORS.sub("-", text.replace("日", " ").replace("时", ":").replace("分", ""))
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" -:")
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt)  # noqa: DTZ007 - local times in CSVs
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def _excel(serial: float) -> dt.datetime | None:
    # Excel for Windows counts days from 1900-01-00 and believes 1900 was a leap year, so for
    # every date after February 1900 day 0 is 1899-12-30. Only plausible dates are accepted.
    if not 1 <= serial < 2_958_466:  # up to 9999-12-31
        return None
    when = _EXCEL_EPOCH + dt.timedelta(days=serial)
    return when.replace(microsecond=0) if 1950 <= when.year <= 2200 else None


def _compact(text: str) -> dt.datetime | None:
    for fmt in ("%Y%m%d%H%M%S", "%Y%m%d%H%M", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - local times in CSVs
        except ValueError:
            continue
    return None


# -------------------------------------------------------------------------------- clustering
def _subject_twice(text: str) -> str:
    first = text.split("\n", 1)[0]
    return f"{first}\n{text}" if first != text else f"{text}\n{text}"


def _vectors(texts: Sequence[str]) -> tuple[csr_matrix, csr_matrix, dict[str, int]]:
    """(specific character n-grams, problem words, the words' columns), rows L2-normalised."""
    n = len(texts)
    limit = max(MIN_COMMON, int(COMMON_SHARE * n))
    specific = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True,
                               min_df=2 if n > 2 else 1,
                               max_df=limit if limit < n else 1.0,
                               preprocessor=_prepare, dtype=np.float32)
    words = TfidfVectorizer(analyzer=_problem_words, sublinear_tf=True, dtype=np.float32)
    doubled = [_subject_twice(t) for t in texts]
    out = []
    for vectorizer in (specific, words):
        try:
            out.append(vectorizer.fit_transform(doubled).tocsr())
        except ValueError:  # nothing left: no two texts share anything specific
            out.append(csr_matrix((n, 1), dtype=np.float32))
    return out[0], out[1], getattr(words, "vocabulary_", {})


def _problem_words(text: str) -> list[str]:
    """Words that can say what is wrong: not a place or a name (words ending like a place,
    masked names, single characters, numbers), not the boilerplate of a message."""
    return [w for w in segment.words(text) if len(w) > 1 and _CHINESE_WORD.match(w)
            and w not in _GENERIC_WORDS and not _ENDING.search(w)]


def _prepare(text: str) -> str:
    # Punctuation and spaces break n-grams; digits stay (a bus line, a building number).
    return "|".join(_CJK_RUN.findall(segment.normalise(text)))


def _pairs_at_least(matrix: csr_matrix, threshold: float) -> csr_matrix:
    """The sparse graph of pairs with cosine ≥ threshold (chunks of rows: bounded memory)."""
    n = matrix.shape[0]
    rows, cols = [], []
    transposed = matrix.T.tocsc()
    for start in range(0, n, CHUNK):
        block = (matrix[start:start + CHUNK] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.row + start != block.col)
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return csr_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))


def cluster(texts: Sequence[str], threshold: float = SIMILARITY) -> np.ndarray:
    """A cluster number for each text: tight groups of messages about one place or object
    (first stage) and, within each, about one problem (second stage)."""
    n = len(texts)
    if n == 0:
        return np.array([], dtype=int)
    spec, problems, vocabulary = _vectors(texts)
    first = np.full(n, -1)
    _cluster_rows(spec, np.arange(n), threshold, first, [0])
    labels = np.full(n, -1)
    common = _common_words(texts)
    counter = 0
    for k in np.unique(first):
        members = np.flatnonzero(first == k)
        if len(members) < 2:
            labels[members] = counter
            counter += 1
            continue
        place = _place([texts[int(i)] for i in members], common).lower()
        rows = problems[members].tocsr(copy=True)
        if place:  # the place's own words say nothing about the problem
            dropped = [j for word, j in vocabulary.items() if word in place]
            if dropped:
                keep = np.ones(rows.shape[1], dtype=np.float32)
                keep[dropped] = 0
                rows = rows.multiply(keep.reshape(1, -1)).tocsr()
        rows = normalize(rows)
        distance = np.clip(1.0 - (rows @ rows.T).toarray(), 0.0, 1.0)
        np.fill_diagonal(distance, 0.0)
        found = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average",
            distance_threshold=1.0 - PROBLEM_SIMILARITY).fit_predict(distance)
        for sub in np.unique(found):
            labels[members[found == sub]] = counter
            counter += 1
    return labels


def _cluster_rows(matrix: csr_matrix, rows: np.ndarray, threshold: float, labels: np.ndarray,
                  counter: list[int]) -> None:
    graph = _pairs_at_least(matrix[rows], threshold)
    n_components, component = connected_components(graph, directed=False)
    for c in range(n_components):
        members = rows[component == c]
        if len(members) == 1:
            labels[members[0]] = counter[0]
            counter[0] += 1
        elif len(members) > COMPONENT_LIMIT and threshold < 0.9:
            _cluster_rows(matrix, members, threshold + 0.1, labels, counter)
        else:
            similarity = (matrix[members] @ matrix[members].T).toarray()
            distance = np.clip(1.0 - similarity, 0.0, 1.0)
            np.fill_diagonal(distance, 0.0)
            found = AgglomerativeClustering(
                n_clusters=None, metric="precomputed", linkage="average",
                distance_threshold=1.0 - threshold).fit_predict(distance)
            for k in np.unique(found):
                labels[members[found == k]] = counter[0]
                counter[0] += 1


# ------------------------------------------------------------------------------------ labels
def _shared_phrases(texts: Sequence[str], min_share: float) -> list[tuple[str, int]]:
    """Runs of 2 to PLACE_CHARS + 4 characters found in at least ``min_share`` of the texts
    (at least two), longest first; a run inside a longer one found as often is left out."""
    docs: list[set[str]] = [set() for _ in texts]
    for d, text in zip(docs, texts, strict=True):
        for run in _CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
            for size in range(2, min(PLACE_CHARS + 4, len(run)) + 1):
                for i in range(len(run) - size + 1):
                    d.add(run[i:i + size])
    counts = Counter(g for d in docs for g in d)
    need = max(2, math.ceil(min_share * len(texts))) if len(texts) > 1 else 1
    frequent = {g: c for g, c in counts.items() if c >= need}
    out: list[tuple[str, int]] = []
    for g, c in sorted(frequent.items(), key=lambda x: (-len(x[0]), -x[1], x[0])):
        if any(g in longer and c <= lc for longer, lc in out):
            continue
        out.append((g, c))
    return out


def _place(texts: Sequence[str], common: set[str]) -> str:
    """The place or object most members name (a committee's place and unit terms first)."""
    dictionary = segment.active_dictionary()
    joined = segment.normalise("\n".join(texts))
    if dictionary is not None:
        named = Counter({w: joined.count(segment.normalise(w)) for w, pos, _weight
                         in dictionary.terms if pos in ("ns", "nt")
                         and segment.normalise(w) in joined})
        if named and named.most_common(1)[0][1] >= max(1, len(texts) // 2):
            return named.most_common(1)[0][0]
    subjects = [t.split("\n", 1)[0] for t in texts]
    openings = [t[:PLACE_WITHIN] for t in texts]  # a message names its place early
    for source, share in ((subjects, 0.5), (openings, 0.5), (subjects, 0.3), (openings, 0.3)):
        best = ""
        for phrase, _count in _shared_phrases(source, share):
            candidate = _place_prefix(_LEADING.sub("", phrase))
            masked = _MASKED.match(candidate)
            core = candidate[masked.end():] if masked else candidate
            if (len(_ENDING.sub("", core)) < 2 or core in common
                    or len(candidate) <= len(best) or not _names_something(core)):
                continue
            best = candidate
        if best:
            return best
    return ""


def _names_something(phrase: str) -> bool:
    """A proper name, not a phrase ("附近的医院", "教育局合理调整学区", "车况差还经常不停站") nor a
    common object ("公交线路"): every word a noun, a number or a letter code (no verb, adverb,
    particle or preposition), and one of them a proper noun (jieba's ns, nr, nt, nz), a word
    jieba's dictionary does not hold, or a character jieba leaves on its own at the start (the
    "伊" of an unknown "伊景园")."""
    import jieba
    import jieba.posseg

    pairs = [(p.word, p.flag) for p in jieba.posseg.lcut(_MASKED.sub("", phrase))]
    if not pairs or any(not (flag.startswith("n") or flag in _NAME_FLAGS)
                        for _word, flag in pairs):
        return False
    first = pairs[0][0]
    if len(first) == 1 and _CHINESE_WORD.match(first) and not _ENDING.fullmatch(first):
        return True
    known = jieba.dt.FREQ
    return any(flag in _PROPER_FLAGS or (len(w) > 1 and _CHINESE_WORD.match(w)
                                         and not known.get(w))
               for w, flag in pairs)


def _place_prefix(phrase: str) -> str:
    """The longest start of ``phrase`` (at most 12 characters) that ends like a place or a
    body: "伊景园滨河苑开发商" -> "伊景园滨河苑"."""
    for end in range(min(len(phrase), PLACE_CHARS), 1, -1):
        if _ENDING.search(phrase[:end]):
            return phrase[:end]
    return ""


def _problem(texts: Sequence[str], place: str, idf: dict[str, float], top: int = 3) -> str:
    """The cluster's most distinctive words outside the place, in the order messages use
    them ("捆绑" "销售" "车位" -> "捆绑销售车位")."""
    subjects = [t.split("\n", 1)[0] for t in texts]
    df: Counter[str] = Counter()
    first_at: dict[str, list[float]] = {}
    for text in texts:
        words = [w for w in segment.words(text) if len(w) > 1 and _CHINESE_WORD.match(w)
                 and w not in _GENERIC_WORDS and w not in place.lower()]
        for at, word in enumerate(dict.fromkeys(words)):
            df[word] += 1
            first_at.setdefault(word, []).append(at / max(1, len(words)))
    subject_words = Counter(w for s in subjects for w in set(segment.words(s)))
    cap = 12.0  # beyond this, a rarer word is not a better name for the problem
    scored = {w: (c / len(texts)) ** 2 * (1 + subject_words[w] / len(texts))
              * min(idf.get(w, cap), cap)
              for w, c in df.items() if c >= max(1, math.ceil(0.3 * len(texts)))}
    chosen = sorted(scored, key=lambda w: (-scored[w], w))[:top]

    def position(word: str) -> float:  # in the order the subjects use them, else the texts
        spots = [s.find(word) for s in subjects if word in s]
        if spots:
            return float(np.median(spots))
        return 100 + float(np.median(first_at[word]))

    return "".join(sorted(chosen, key=position))


def _jieba_idf() -> dict[str, float]:
    import jieba.analyse

    idf: dict[str, float] = jieba.analyse.default_tfidf.idf_freq
    return idf


# ----------------------------------------------------------------------------------- ranking
def _peak(times: list[dt.datetime], supports: list[float]) -> tuple[int, float, float]:
    """(messages in the busiest window of WINDOW_DAYS, their share of all, their support)."""
    if not times:
        return 0, 0.0, 0.0
    ordered = sorted(zip(times, supports, strict=True))
    window = dt.timedelta(days=WINDOW_DAYS)
    best: tuple[int, float] = (0, 0.0)  # (messages, support) of the busiest window
    lo, running = 0, 0.0
    for hi, (t, support) in enumerate(ordered):
        running += support
        while t - ordered[lo][0] > window:
            running -= ordered[lo][1]
            lo += 1
        best = max(best, (hi - lo + 1, running))
    return best[0], best[0] / len(ordered), best[1]


def hot_topics(
    texts: Sequence[str], times: Sequence[dt.datetime | None], ids: Sequence[str],
    supports: Sequence[float] | None = None, top: int = 10, min_size: int = 2,
) -> list[Topic]:
    """The ``top`` hot issues among ``texts`` (subject on the first line, then the body)."""
    n = len(texts)
    if n == 0:
        return []
    support = [float(s) for s in supports] if supports is not None else [0.0] * n
    labels = cluster(texts)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    ordered_support = sorted(support)
    # a lone message is an issue only with support far above the others' (a case many
    # people back without writing themselves)
    lone_bar = max(50.0, 20 * ordered_support[int(0.9 * (n - 1))])
    candidates = [g for g in groups.values()
                  if len(g) >= min_size or sum(support[i] for i in g) >= lone_bar]
    if not candidates:
        return []
    common = _common_words(texts)
    known = [t for t in times if t is not None]
    span_days = max(WINDOW_DAYS, (max(known) - min(known)).days) if known else WINDOW_DAYS
    peaks = {id(g): _peak([t for i in g if (t := times[i]) is not None],
                          [support[i] for i in g if times[i] is not None]) for g in candidates}
    # the busiest window's messages beyond what the cluster's own rate would put there: a
    # theme raised all year long has a busy month too, but no busier than its average
    bursts = {id(g): max(0.0, peaks[id(g)][0] - len(g) * WINDOW_DAYS / span_days)
              if peaks[id(g)][0] else float(len(g)) for g in candidates}
    max_burst = max(bursts.values()) or 1.0
    max_size = max(len(g) for g in candidates)
    backings = {id(g): peaks[id(g)][2] if peaks[id(g)][0] else sum(support[i] for i in g)
                for g in candidates}
    max_support = max(backings.values())
    scored = []
    for members in candidates:
        member_times = [t for i in members if (t := times[i]) is not None]
        total = sum(support[i] for i in members)
        _count, peak, _support = peaks[id(members)]
        # hot = many messages close together, many backing them then, and many in all
        burst = math.log1p(bursts[id(members)]) / math.log1p(max_burst)
        backing = (math.log1p(backings[id(members)]) / math.log1p(max_support)
                   if max_support else 0.0)
        volume = math.log1p(len(members)) / math.log1p(max_size)
        score = 0.5 * burst + 0.3 * backing + 0.2 * volume
        place = _place([texts[i] for i in members], common)
        if not place:  # no one place or body: a theme, not an issue an office can act on
            score *= NO_PLACE_FACTOR
        scored.append((score, members, member_times, total, peak, place))
    scored.sort(key=lambda x: (-x[0], min(x[1])))
    idf = _jieba_idf()
    out = []
    for rank, (score, members, member_times, total, peak, place) in enumerate(scored[:top],
                                                                               start=1):
        member_texts = [texts[i] for i in members]
        problem = _problem(member_texts, place, idf)
        label = " · ".join(p for p in (place, problem) if p) or member_texts[0][:20]
        out.append(Topic(
            rank=rank, label=label, size=len(members), score=round(float(score), 4),
            first=min(member_times).isoformat(sep=" ") if member_times else "",
            last=max(member_times).isoformat(sep=" ") if member_times else "",
            ids=[ids[i] for i in members], place=place, problem=problem,
            support=total, peak_share=round(peak, 3),
        ))
    return out


def _common_words(texts: Sequence[str]) -> set[str]:
    """Two-to-four-character strings in more than COMMON_SHARE of all the texts."""
    n = len(texts)
    limit = max(MIN_COMMON, int(COMMON_SHARE * n))
    if n <= limit:
        return set()
    counts: Counter[str] = Counter()
    for text in texts:
        seen: set[str] = set()
        for run in _CJK_RUN.findall(segment.normalise(text)):
            for size in (2, 3, 4):
                seen.update(run[i:i + size] for i in range(len(run) - size + 1))
        counts.update(seen)
    return {g for g, c in counts.items() if c > limit}
