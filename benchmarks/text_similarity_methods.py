"""Subject → own body on real messages: scoring methods compared over many random draws.

    .venv/bin/python benchmarks/text_similarity_methods.py [--csv ../shared/data/routing_dev.csv]
        [--draws 20] [--subjects 200] [--bodies 400] [--head 25] [--methods "a;b;..."]

The stand-in of ``text_similarity_batch.py``: the development file holds each message's subject
and body run together, so a message's first ``--head`` characters stand for its subject and the
rest for its body. Each draw (seed 0, 1, …) samples ``--bodies`` messages; the first
``--subjects`` of them give the subjects; every subject is scored against every body (200 × 400
= 80,000 pairs of 600 distinct texts, as the command sees them). Per method and draw: recall@5
(the subject's own body among its 5 best-scored bodies) and MRR; then the mean ± sd over the
draws, and the paired comparison of each method with the product's score (``product``) draw by
draw (mean Δ, draws better / worse). Every model is fitted on the draw's own texts only, as the
command fits on the file it is given. Prints figures only, never a message's text.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from xieshang.textmining import similarity  # noqa: E402
from xieshang.textmining.similarity import prepare  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "routing_dev.csv"


def load(path: Path, head: int) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [r["text"] for r in csv.DictReader(fh) if len(r["text"]) > head + 40]


class Draw:
    """One draw's texts and the signals every method is built from (dense S × B matrices)."""

    def __init__(self, subjects: list[str], bodies: list[str]) -> None:
        self.subjects, self.bodies = subjects, bodies
        self.distinct = list(dict.fromkeys([*subjects, *bodies]))
        self._cache: dict[str, np.ndarray] = {}

    def get(self, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    # --- vector-space signals -------------------------------------------------------------
    def cosine(self, vec: TfidfVectorizer, fit_on: str = "all") -> np.ndarray:
        fit = self.distinct if fit_on == "all" else self.bodies
        vec.fit(fit)
        a, b = vec.transform(self.subjects), vec.transform(self.bodies)
        return (a @ b.T).toarray()

    def grams(self, n: int) -> tuple[list[set[str]], list[set[str]]]:
        def g(t: str) -> set[str]:
            return similarity._char_ngrams(prepare(t), n)
        return [g(t) for t in self.subjects], [g(t) for t in self.bodies]

    def set_overlap(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(|A∩B|, |A|, |B|) for every subject × body, from a binary sparse product."""
        ga, gb = self.grams(n)
        vocab: dict[str, int] = {}

        def rows(gs: list[set[str]]) -> sp.csr_matrix:
            indptr, indices = [0], []
            for s in gs:
                indices.extend(vocab.setdefault(x, len(vocab)) for x in s)
                indptr.append(len(indices))
            return sp.csr_matrix((np.ones(len(indices)), indices, indptr))

        ma, mb = rows(ga), rows(gb)
        width = len(vocab)
        ma.resize(ma.shape[0], width)
        mb.resize(mb.shape[0], width)
        inter = (ma @ mb.T).toarray()
        na = np.array([len(s) for s in ga], dtype=float)[:, None]
        nb = np.array([len(s) for s in gb], dtype=float)[None, :]
        return inter, na, nb

    def weighted_containment(self, ngram: tuple[int, int], fit_on: str = "all") -> np.ndarray:
        """IDF-weighted share of the subject's distinct char n-grams found in the body."""
        vec = CountVectorizer(analyzer="char", ngram_range=ngram, binary=True,
                              preprocessor=prepare)
        fit = self.distinct if fit_on == "all" else self.bodies
        docs = vec.fit_transform(fit)
        df = np.asarray((docs > 0).sum(axis=0)).ravel()
        idf = np.log((1 + len(fit)) / (1 + df)) + 1
        a = vec.transform(self.subjects).multiply(idf[None, :]).tocsr()
        b = vec.transform(self.bodies)
        return (a @ b.T).toarray() / np.maximum(np.asarray(a.sum(axis=1)), 1e-9)

    def bm25(self, analyzer: str | Callable[[str], list[str]], ngram: tuple[int, int] = (1, 1),
             k1: float = 1.2, b: float = 0.75) -> np.ndarray:
        """BM25 of the subject's terms against each body (IDF over the bodies)."""
        if callable(analyzer):
            vec = CountVectorizer(analyzer=analyzer)
        else:
            vec = CountVectorizer(analyzer=analyzer, ngram_range=ngram, preprocessor=prepare)
        tf = vec.fit_transform(self.bodies).astype(float).tocsr()
        n = tf.shape[0]
        df = np.asarray((tf > 0).sum(axis=0)).ravel()
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        length = np.asarray(tf.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * length / length.mean())
        tf = tf.tocoo()
        sat = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        w = sp.csr_matrix((sat, (tf.row, tf.col)), shape=tf.shape)
        q = (vec.transform(self.subjects) > 0).astype(float).multiply(idf[None, :]).tocsr()
        return (q @ w.T).toarray()


def chars(n: tuple[int, int], sublinear: bool = True) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=n, sublinear_tf=sublinear,
                           preprocessor=prepare)


def words() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=similarity._prepared_words, sublinear_tf=True)


def rank_fuse(*mats: np.ndarray, k: int = 60) -> np.ndarray:
    """Reciprocal rank fusion over each subject's row."""
    out = np.zeros_like(mats[0])
    for m in mats:
        ranks = np.argsort(np.argsort(-m, axis=1), axis=1)
        out += 1.0 / (k + 1 + ranks)
    return out


def methods() -> dict[str, Callable[[Draw], np.ndarray]]:
    def c12(d: Draw) -> np.ndarray:
        return d.get("c12", lambda: d.cosine(chars((1, 2))))

    def c12b(d: Draw) -> np.ndarray:
        return d.get("c12b", lambda: d.cosine(chars((1, 2)), fit_on="bodies"))

    def c13(d: Draw) -> np.ndarray:
        return d.get("c13", lambda: d.cosine(chars((1, 3))))

    def c12raw(d: Draw) -> np.ndarray:
        return d.get("c12raw", lambda: d.cosine(chars((1, 2), sublinear=False)))

    def w(d: Draw) -> np.ndarray:
        return d.get("w", lambda: d.cosine(words()))

    def ov3(d: Draw) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return d.get("ov3", lambda: d.set_overlap(3))  # type: ignore[return-value,arg-type]

    def dice3(d: Draw) -> np.ndarray:
        inter, na, nb = ov3(d)
        return 2 * inter / np.maximum(na + nb, 1)

    def cont3(d: Draw) -> np.ndarray:  # subject's trigrams found in the body
        inter, na, _nb = ov3(d)
        return inter / np.maximum(na, 1)

    def overlap3(d: Draw) -> np.ndarray:  # symmetric: the shorter text's trigrams in the longer
        inter, na, nb = ov3(d)
        return inter / np.maximum(np.minimum(na, nb), 1)

    def wc12(d: Draw) -> np.ndarray:
        return d.get("wc12", lambda: d.weighted_containment((1, 2)))

    def wc2(d: Draw) -> np.ndarray:
        return d.get("wc2", lambda: d.weighted_containment((2, 2)))

    def wc12b(d: Draw) -> np.ndarray:
        return d.get("wc12b", lambda: d.weighted_containment((1, 2), fit_on="bodies"))

    def bm_c12(d: Draw) -> np.ndarray:
        return d.get("bm_c12", lambda: d.bm25("char", (1, 2)))

    def bm_c2(d: Draw) -> np.ndarray:
        return d.get("bm_c2", lambda: d.bm25("char", (2, 2)))

    def c2(d: Draw) -> np.ndarray:
        return d.get("c2", lambda: d.cosine(chars((2, 2))))

    def c12_maxdf(d: Draw) -> np.ndarray:
        return d.get("c12_maxdf", lambda: d.cosine(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                            preprocessor=prepare, max_df=0.3)))

    def lsa(d: Draw) -> np.ndarray:
        def make() -> np.ndarray:
            from sklearn.decomposition import TruncatedSVD

            vec = chars((1, 2))
            x = vec.fit_transform(d.distinct)
            svd = TruncatedSVD(150, random_state=0).fit(x)
            a = normalize(svd.transform(vec.transform(d.subjects)))
            b = normalize(svd.transform(vec.transform(d.bodies)))
            return np.asarray(a @ b.T)
        return d.get("lsa", make)

    def bm_c12_b(b: float, k1: float = 1.2) -> Callable[[Draw], np.ndarray]:
        return lambda d: d.get(f"bm_c12_{b}_{k1}", lambda: d.bm25("char", (1, 2), k1=k1, b=b))

    def bm_w(d: Draw) -> np.ndarray:
        return d.get("bm_w", lambda: d.bm25(similarity._prepared_words))

    def lenaware(d: Draw) -> np.ndarray:
        """The product's blend with the order signal's weight moved to the character cosine
        as the two texts' lengths part (r = shorter / longer, in distinct trigrams)."""
        inter, na, nb = ov3(d)
        r = np.minimum(na, nb) / np.maximum(np.maximum(na, nb), 1)
        return wt[0] * c12(d) + wt[1] * w(d) + wt[2] * (r * dice3(d) + (1 - r) * c12(d))

    wt = similarity.WEIGHTS
    return {
        "product": lambda d: wt[0] * c12(d) + wt[1] * w(d) + wt[2] * dice3(d),
        "product_length_aware": lenaware,
        "char12_cos": c12,
        "char12_cos_idf_bodies": c12b,
        "char12_cos_raw_tf": c12raw,
        "char13_cos": c13,
        "word_cos": w,
        "char12+word .5/.5": lambda d: 0.5 * c12(d) + 0.5 * w(d),
        "char12+word .7/.3": lambda d: 0.7 * c12(d) + 0.3 * w(d),
        "char13+word .5/.5": lambda d: 0.5 * c13(d) + 0.5 * w(d),
        "tri_dice": dice3,
        "tri_containment": cont3,
        "tri_overlap_coef": overlap3,
        "idf_containment_c12": wc12,
        "idf_containment_c2": wc2,
        "idf_containment_c12_idf_bodies": wc12b,
        "bm25_char12": bm_c12,
        "bm25_char2": bm_c2,
        "bm25_words": bm_w,
        "product_overlap_coef": lambda d: wt[0] * c12(d) + wt[1] * w(d) + wt[2] * overlap3(d),
        "product_containment": lambda d: wt[0] * c12(d) + wt[1] * w(d) + wt[2] * cont3(d),
        "c12+w+idfcont12 .35/.30/.35": lambda d: wt[0] * c12(d) + wt[1] * w(d) + wt[2] * wc12(d),
        "c12+w+idfcont12 1/3 each": lambda d: (c12(d) + w(d) + wc12(d)) / 3,
        "c12+idfcont12 .5/.5": lambda d: 0.5 * c12(d) + 0.5 * wc12(d),
        "char2_cos": c2,
        "char12_cos_maxdf.3": c12_maxdf,
        "lsa150_char12": lsa,
        "char12+lsa .8/.2": lambda d: 0.8 * c12(d) + 0.2 * lsa(d),
        "char12+lsa .6/.4": lambda d: 0.6 * c12(d) + 0.4 * lsa(d),
        "char12+word+lsa .6/.2/.2": lambda d: 0.6 * c12(d) + 0.2 * w(d) + 0.2 * lsa(d),
        "char12+word .8/.2": lambda d: 0.8 * c12(d) + 0.2 * w(d),
        "char12+word .9/.1": lambda d: 0.9 * c12(d) + 0.1 * w(d),
        "bm25_char12 b=.3": bm_c12_b(0.3),
        "bm25_char12 b=1": bm_c12_b(1.0),
        "bm25_char12 k1=2": bm_c12_b(0.75, 2.0),
        "rrf(c12,w)": lambda d: rank_fuse(c12(d), w(d)),
        "rrf(c12,bm25_c12)": lambda d: rank_fuse(c12(d), bm_c12(d)),
        "rrf(c12,w,bm25_w)": lambda d: rank_fuse(c12(d), w(d), bm_w(d)),
        "rrf(c12,w,idfcont12)": lambda d: rank_fuse(c12(d), w(d), wc12(d)),
    }


def score(matrix: np.ndarray) -> tuple[float, float]:
    """recall@5 and MRR; the own body of subject i is body i; a tie counts against it."""
    own = matrix[np.arange(matrix.shape[0]), np.arange(matrix.shape[0])][:, None]
    better = (matrix > own).sum(axis=1)
    ties = (matrix == own).sum(axis=1) - 1
    rank = 1 + better + ties
    return float((rank <= 5).mean()), float((1.0 / rank).mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=str(DEFAULT_CSV))
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--subjects", type=int, default=200)
    parser.add_argument("--bodies", type=int, default=400)
    parser.add_argument("--head", type=int, default=25)
    parser.add_argument("--methods", default="")
    args = parser.parse_args()
    path = Path(args.csv)
    if not path.exists():
        print(f"skipped: {path} is not here (real data is never part of the repository)")
        return
    texts = load(path, args.head)
    table = methods()
    chosen = [m.strip() for m in args.methods.split(";") if m.strip()] or list(table)
    recall: dict[str, list[float]] = {m: [] for m in chosen}
    mrr: dict[str, list[float]] = {m: [] for m in chosen}
    cpu: dict[str, float] = dict.fromkeys(chosen, 0.0)
    for seed in range(args.draws):
        sample = random.Random(seed).sample(texts, args.bodies)
        draw = Draw([t[:args.head] for t in sample[:args.subjects]],
                    [t[args.head:] for t in sample])
        for m in chosen:
            started = time.process_time()
            r, q = score(table[m](draw))
            cpu[m] += time.process_time() - started
            recall[m].append(r)
            mrr[m].append(q)
        print(f"draw {seed}: product recall@5={recall.get('product', [0])[-1]:.3f} "
              f"load={os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    print(f"texts={len(texts)} draws={args.draws} subjects={args.subjects} "
          f"bodies={args.bodies} head={args.head}")
    base = "product" if "product" in chosen else chosen[0]
    print(f"{'method':32s} {'recall@5 mean±sd':>18s} {'MRR mean±sd':>16s} "
          f"{'Δrecall vs ' + base:>18s} {'better/worse':>12s} {'ΔMRR':>8s} {'cpu_s':>6s}")
    for m in sorted(chosen, key=lambda m: -statistics.mean(recall[m])):
        d = [a - b for a, b in zip(recall[m], recall[base], strict=True)]
        dq = [a - b for a, b in zip(mrr[m], mrr[base], strict=True)]
        print(f"{m:32s} {statistics.mean(recall[m]):.4f} ± {statistics.stdev(recall[m]):.4f} "
              f"{statistics.mean(mrr[m]):.4f} ± {statistics.stdev(mrr[m]):.4f} "
              f"{statistics.mean(d):+18.4f} {sum(x > 0 for x in d):5d}/{sum(x < 0 for x in d):<6d} "
              f"{statistics.mean(dq):+8.4f} {cpu[m]:6.1f}")


if __name__ == "__main__":
    main()
