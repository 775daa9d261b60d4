"""Text similarity for near-duplicate proposals.

Three lexical signals, each in [0, 1]: cosine of character 1–2-gram TF-IDF (robust to
segmentation), cosine of word TF-IDF (meaning-bearing terms weigh more), and an order-aware
score (character 3-gram overlap), so that a text whose words were only shuffled into another
meaning does not score as high as a faithful rewording that keeps the phrases. The weights
were set on generated rewordings, reorderings and partial overlaps (benchmarks/text_similarity.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from xieshang.textmining import segment

WEIGHTS = (0.45, 0.35, 0.20)


def _char_ngrams(text: str, n: int) -> set[str]:
    t = "".join(ch for ch in segment.normalise(text) if not ch.isspace())
    return {t[i:i + n] for i in range(max(0, len(t) - n + 1))}


def order_score(a: str, b: str) -> float:
    """Overlap of character trigrams (Dice): high only when phrases appear in the same order."""
    ga, gb = _char_ngrams(a, 3), _char_ngrams(b, 3)
    if not ga or not gb:
        return 1.0 if segment.normalise(a) == segment.normalise(b) else 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


class SimilarityModel:
    """Fitted on a corpus (the archive); scores pairs and finds the nearest texts."""

    def __init__(self, corpus: Sequence[str]) -> None:
        texts = list(corpus) or [""]
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                     preprocessor=segment.normalise)
        self.words = TfidfVectorizer(analyzer=segment.words, sublinear_tf=True)
        self.char_matrix = self.chars.fit_transform(texts)
        try:
            self.word_matrix = self.words.fit_transform(texts)
        except ValueError:  # no words at all (e.g. only punctuation)
            self.words = TfidfVectorizer(analyzer="char", ngram_range=(1, 1))
            self.word_matrix = self.words.fit_transform(texts)
        self.texts = texts

    def pair_scores(self, a: Sequence[str], b: Sequence[str]) -> list[float]:
        ca, cb = self.chars.transform(a), self.chars.transform(b)
        wa, wb = self.words.transform(a), self.words.transform(b)
        char_cos = np.asarray(ca.multiply(cb).sum(axis=1)).ravel()
        word_cos = np.asarray(wa.multiply(wb).sum(axis=1)).ravel()
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not x.strip() or not y.strip():
                out.append(0.0)
                continue
            s = (WEIGHTS[0] * char_cos[i] + WEIGHTS[1] * word_cos[i]
                 + WEIGHTS[2] * order_score(x, y))
            out.append(float(min(1.0, max(0.0, s))))
        return out

    def nearest(self, text: str, k: int = 5, shortlist: int = 50) -> list[tuple[int, float]]:
        """Indices of the ``k`` most similar corpus texts with their scores."""
        q = normalize(self.chars.transform([text]))
        rough = (self.char_matrix @ q.T).toarray().ravel()
        if rough.size == 0:
            return []
        m = min(shortlist, rough.size)
        candidates = np.argpartition(-rough, m - 1)[:m]
        scores = self.pair_scores([text] * len(candidates), [self.texts[i] for i in candidates])
        ranked = sorted(zip(candidates.tolist(), scores, strict=True), key=lambda x: -x[1])
        return ranked[:k]


def shared_phrases(a: str, b: str, top: int = 6) -> list[str]:
    wa, wb = set(segment.words(a)), set(segment.words(b))
    common = [w for w in segment.words(a) if w in wb and len(w) > 1]
    seen: list[str] = []
    for w in common:
        if w not in seen:
            seen.append(w)
    return sorted(seen, key=lambda w: -len(w))[:top] if wa else []
