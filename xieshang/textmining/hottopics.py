"""Hot topics: group recent texts by subject and rank the groups.

Texts are embedded as TF-IDF over words and character bigrams, reduced with truncated SVD, and
grouped by average-linkage clustering on cosine distance (a distance threshold, so the number of
topics follows the data); above a few thousand texts, mini-batch k-means keeps memory flat.
A cluster's score mixes volume, growth (share in the most recent third of the period), support
(likes, co-signers…) and recency. Its label is its key phrases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import hstack
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from xieshang.textmining import segment

AGGLOMERATIVE_LIMIT = 4000


@dataclass
class Topic:
    rank: int
    label: str
    size: int
    score: float
    first: str
    last: str
    ids: list[str]


def parse_time(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    value = value.replace("/", "-").replace("年", "-").replace("月", "-").replace("日", "")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d",
                "%Y-%m"):
        try:
            return dt.datetime.strptime(value[:19], fmt)  # noqa: DTZ007 - local dates in CSVs
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _vectors(texts: Sequence[str]) -> np.ndarray:
    words = TfidfVectorizer(analyzer=segment.words, sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2,
                            preprocessor=segment.normalise)
    parts = [words.fit_transform(texts)]
    with contextlib.suppress(ValueError):  # too few texts for min_df: words alone
        parts.append(chars.fit_transform(texts) * 0.7)
    matrix = hstack(parts).tocsr()
    dims = min(150, max(2, min(matrix.shape) - 1))
    if matrix.shape[1] > dims + 1 and matrix.shape[0] > dims + 1:
        dense = TruncatedSVD(n_components=dims, random_state=0).fit_transform(matrix)
    else:
        dense = matrix.toarray()
    return normalize(dense)


def cluster(texts: Sequence[str], threshold: float = 0.55) -> np.ndarray:
    n = len(texts)
    if n == 0:
        return np.array([], dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    vectors = _vectors(texts)
    if n <= AGGLOMERATIVE_LIMIT:
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=threshold)
        return model.fit_predict(vectors)
    k = max(2, n // 25)
    return MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3,
                           batch_size=2048).fit_predict(vectors)


def hot_topics(
    texts: Sequence[str], times: Sequence[dt.datetime | None], ids: Sequence[str],
    supports: Sequence[float] | None = None, top: int = 10, min_size: int = 2,
) -> list[Topic]:
    labels = cluster(texts)
    known = [t for t in times if t is not None]
    start = min(known) if known else None
    end = max(known) if known else None
    span = (end - start).total_seconds() if start and end and end > start else 0.0
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    sizes = [len(g) for g in groups.values()]
    big = [g for g in groups.values() if len(g) >= min_size] or list(groups.values())
    max_size = max(sizes) if sizes else 1
    max_support = max((sum((supports or [0] * len(texts))[i] for i in g) for g in big),
                      default=0) or 1
    scored = []
    for members in big:
        member_times: list[dt.datetime] = [t for i in members if (t := times[i]) is not None]
        if span and member_times and end is not None:
            recent_cut = end - dt.timedelta(seconds=span / 3)
            recent = sum(1 for t in member_times if t >= recent_cut) / len(member_times)
            latest = max(member_times)
            recency = 1 - (end - latest).total_seconds() / span
        else:
            recent, recency = 1 / 3, 1.0
        growth = min(1.0, recent * 1.5)
        support = sum((supports or [0] * len(texts))[i] for i in members) / max_support
        volume = math.log1p(len(members)) / math.log1p(max_size)
        score = 0.45 * volume + 0.2 * growth + 0.2 * support + 0.15 * recency
        phrases = segment.key_phrases([texts[i] for i in members], top=4)
        scored.append((score, members, phrases, member_times))
    scored.sort(key=lambda x: -x[0])
    out = []
    for rank, (score, members, phrases, member_times) in enumerate(scored[:top], start=1):
        out.append(Topic(
            rank=rank, label="、".join(phrases) or texts[members[0]][:20], size=len(members),
            score=round(float(score), 4),
            first=min(member_times).isoformat(sep=" ") if member_times else "",
            last=max(member_times).isoformat(sep=" ") if member_times else "",
            ids=[ids[i] for i in members],
        ))
    return out
