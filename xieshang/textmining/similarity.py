"""Text similarity for near-duplicate proposals.

Three lexical signals, each in [0, 1]: cosine of character 1–2-gram TF-IDF (robust to
segmentation), cosine of word TF-IDF (meaning-bearing terms weigh more), and an order-aware
score (character 3-gram overlap), so that a text whose words were only shuffled into another
meaning does not score as high as a faithful rewording that keeps the phrases. The weights
were set on generated rewordings, reorderings and partial overlaps (benchmarks/text_similarity.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from xieshang.textmining import segment
from xieshang.textmining.synonyms import canonical

# chars, words, order. Order weighs enough that swapping two words ("城市支援农村" /
# "农村支援城市") costs more than a faithful rewording with synonyms.
WEIGHTS = (0.35, 0.30, 0.35)


# The shortlist looks only at a query's most distinctive character n-grams: the common ones
# ("建议", "关于") touch every document and cost most of the time while deciding little.
SHORTLIST_TERMS = 48


def _keep_top(matrix: csr_matrix, k: int) -> csr_matrix:
    matrix = matrix.tocsr(copy=True)
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        if end - start > k:
            row = matrix.data[start:end]
            cut = np.partition(row, -k)[-k]
            row[row < cut] = 0
    matrix.eliminate_zeros()
    return matrix


def prepare(text: str) -> str:
    return canonical(segment.normalise(text))


def _char_ngrams(text: str, n: int) -> set[str]:
    t = "".join(ch for ch in segment.normalise(text) if not ch.isspace())
    return {t[i:i + n] for i in range(max(0, len(t) - n + 1))}


def _dice(ga: set[str], gb: set[str]) -> float:
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


def _blend(char_cos: float, word_cos: float, ga: set[str], gb: set[str]) -> float:
    """The three signals in one score. The order signal (trigram overlap) weighs in
    proportion to how comparable the two texts' lengths are (r = shorter / longer, in distinct
    trigrams); the rest of its weight goes to the character cosine. Between texts of like
    length (a rewording, a word swap) that is the order signal as before; between a subject
    and a body, whose trigram overlap says more about the body's length than about the
    match, it is mostly the character cosine (docs/text.md, "Third round")."""
    if ga and gb:
        r = min(len(ga), len(gb)) / max(len(ga), len(gb))
        order = r * _dice(ga, gb) + (1 - r) * char_cos
    else:
        order = 0.0
    s = WEIGHTS[0] * char_cos + WEIGHTS[1] * word_cos + WEIGHTS[2] * order
    return min(1.0, max(0.0, s))


def order_score(a: str, b: str) -> float:
    """Overlap of character trigrams of the canonical texts: high only when words keep their
    order ("城市支援农村" and "农村支援城市" share no trigram around the swapped words)."""
    a, b = prepare(a), prepare(b)
    ga, gb = _char_ngrams(a, 3), _char_ngrams(b, 3)
    if not ga or not gb:
        return 1.0 if a == b else 0.0
    return _dice(ga, gb)


def containment(part: str, whole: str) -> float:
    """Share of ``part``'s character trigrams found in ``whole`` (for partial overlaps)."""
    gp, gw = _char_ngrams(prepare(part), 3), _char_ngrams(prepare(whole), 3)
    return len(gp & gw) / len(gp) if gp else 0.0


def _prepared_words(text: str) -> list[str]:
    """The word analyzer (a module function, not a lambda, so a fitted model pickles)."""
    return segment.words(prepare(text))


class SimilarityModel:
    """Fitted on a corpus (the archive); scores pairs and finds the nearest texts."""

    def __init__(self, corpus: Sequence[str]) -> None:
        texts = list(corpus) or [""]
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                     preprocessor=prepare)
        self.words = TfidfVectorizer(analyzer=_prepared_words, sublinear_tf=True)
        self.char_matrix = self.chars.fit_transform(texts)
        try:
            self.word_matrix = self.words.fit_transform(texts)
        except ValueError:  # no words at all (e.g. only punctuation)
            self.words = TfidfVectorizer(analyzer="char", ngram_range=(1, 1))
            self.word_matrix = self.words.fit_transform(texts)
        self.texts = texts
        self._gram_cache: dict[int, set[str]] = {}

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
            px, py = prepare(x), prepare(y)
            ga, gb = _char_ngrams(px, 3), _char_ngrams(py, 3)
            if not ga or not gb:  # too short for trigrams: the order signal is equality
                ga = gb = {""} if px == py else set()
            out.append(_blend(float(char_cos[i]), float(word_cos[i]), ga, gb))
        return out

    def indexed_pair_scores(self, a: np.ndarray, b: np.ndarray,
                            chunk: int = 20_000) -> np.ndarray:
        """Scores of the pairs (texts[a[k]], texts[b[k]]) of the texts the model was fitted
        on: the same scores as ``pair_scores``, from vectors computed once per distinct text
        (a batch of many pairs over few texts costs a sparse row product per pair)."""
        out = np.zeros(len(a), dtype=np.float32)
        blank = np.array([not t.strip() for t in self.texts], dtype=bool)
        for start in range(0, len(a), chunk):
            ia, ib = a[start:start + chunk], b[start:start + chunk]
            char_cos = np.asarray(self.char_matrix[ia].multiply(self.char_matrix[ib])
                                  .sum(axis=1)).ravel()
            word_cos = np.asarray(self.word_matrix[ia].multiply(self.word_matrix[ib])
                                  .sum(axis=1)).ravel()
            for k, (i, j) in enumerate(zip(ia.tolist(), ib.tolist(), strict=True)):
                if blank[i] or blank[j]:
                    continue
                ga, gb = self._grams(i), self._grams(j)
                if not ga or not gb:  # too short for trigrams: the order signal is equality
                    same = prepare(self.texts[i]) == prepare(self.texts[j])
                    ga = gb = {""} if same else set()
                out[start + k] = _blend(float(char_cos[k]), float(word_cos[k]), ga, gb)
        return out

    def nearest(self, text: str, k: int = 5, shortlist: int = 30) -> list[tuple[int, float]]:
        """Indices of the ``k`` most similar corpus texts with their scores.

        Candidates come from the whole text and from each half of it (one sparse product), so
        that a proposal sharing only part of its text with an earlier one is still found; a
        candidate scores the better of its whole-text similarity and how much of one half it
        contains.
        """
        halves = [text[: len(text) // 2], text[len(text) // 2:]] if len(text) >= 40 else []
        queries = _keep_top(normalize(self.chars.transform([text, *halves])), SHORTLIST_TERMS)
        rough = (self.char_matrix @ queries.T).toarray()
        if rough.size == 0:
            return []
        candidates: set[int] = set()
        for column, size in enumerate([shortlist] + [shortlist // 2] * len(halves)):
            col = rough[:, column]
            m = min(size, col.size)
            candidates.update(np.argpartition(-col, m - 1)[:m].tolist())
        ids = sorted(candidates)
        char_cos = (self.char_matrix[ids] @ self.chars.transform([text]).T).toarray().ravel()
        word_cos = (self.word_matrix[ids] @ self.words.transform([text]).T).toarray().ravel()
        query_grams = _char_ngrams(prepare(text), 3)
        half_grams = [_char_ngrams(prepare(h), 3) for h in halves]
        scores = []
        for n, i in enumerate(ids):
            grams = self._grams(i)
            score = _blend(float(char_cos[n]), float(word_cos[n]), query_grams, grams)
            for hg in half_grams:
                if hg:
                    score = max(score, 0.9 * len(hg & grams) / len(hg))
            scores.append(float(min(1.0, max(0.0, score))))
        ranked = sorted(zip(ids, scores, strict=True), key=lambda x: -x[1])
        return ranked[:k]

    def _grams(self, index: int) -> set[str]:
        cached = self._gram_cache.get(index)
        if cached is None:
            if len(self._gram_cache) > 50_000:
                self._gram_cache.clear()
            cached = self._gram_cache[index] = _char_ngrams(prepare(self.texts[index]), 3)
        return cached


def shared_phrases(a: str, b: str, top: int = 6) -> list[str]:
    """Phrases the two texts share (longest common runs of two or more characters)."""
    pa, pb = segment.normalise(a), segment.normalise(b)
    matcher = SequenceMatcher(None, pa, pb, autojunk=False)
    found: list[str] = []
    for block in matcher.get_matching_blocks():
        phrase = pa[block.a:block.a + block.size].strip("，。、；：！？,.;:!? ")
        for word in ("关于", "的建议", "建议", "的"):
            phrase = phrase.removeprefix(word).removesuffix(word)
        if len(phrase) >= 2 and phrase not in found:
            found.append(phrase)
    return sorted(found, key=lambda p: -len(p))[:top]
