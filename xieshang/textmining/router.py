"""Routing texts to handling units: a linear classifier on character and word n-grams.

Four blocks of TF-IDF features, each sublinear and L2-normalised: character 1–3-grams of the
whole text (names and terms whatever the segmentation), jieba words and word bigrams (with the
committee's own terms inside ``segment.using``), character 1–3-grams of the text's subject (the
text before the first salutation or self-introduction — 尊敬的, 您好, 我是, 本人 … — within 60
characters, else its first ``HEAD_CHARS`` characters: the subject and the opening name the
matter, while a body wanders into neighbouring matters), and jieba's search-mode words (a long
word and the dictionary words inside it, so 乡村振兴 also counts as 乡村 and 振兴). A linear SVM
with balanced class weights on them was the strongest of what was measured on 2,609 real
citizens' messages (docs/text.md: embeddings of multilingual-e5-small, logistic regression,
complement naive Bayes and their ensembles did not beat it at the training sizes that matter,
and cost far more time; the subject and search-mode blocks won 23 of 25 folds at ≤100 per class
in the third round). Decision scores become a confidence by a softmax; the words behind a
suggestion are the word features whose weight times value pushed the text furthest towards that
label.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import classification_report, f1_score
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from xieshang.textmining import segment

FORMAT_VERSION = 3
HEAD_CHARS = 30
# General conventions of a letter to an official: a salutation or a self-introduction starts
# the body; what comes before it (from the fifth character on, within 60) is the subject.
SUBJECT_END = re.compile(r"尊敬的|您好|你好|各位领导|领导好|我是|本人|我们是|我叫|我家")
# Softmax temperature of the decision scores (LinearSVC scores for a confident text lie
# around +1 for its label and -1 for the others).
SHARPNESS = 3.0


def subject(text: str) -> str:
    """The subject found by rule: the text before the first salutation or self-introduction
    within 60 characters, else the first ``HEAD_CHARS`` characters."""
    t = segment.normalise(text)
    m = SUBJECT_END.search(t, 4, 60)
    return t[:m.start()] if m else t[:HEAD_CHARS]


def head(texts: Any) -> list[str]:
    """The subject of each text (a module function so models pickle)."""
    return [subject(str(t)) for t in texts]


def build_pipeline() -> Pipeline:
    features = FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                  min_df=2, max_features=300_000,
                                  preprocessor=segment.normalise)),
        ("words", TfidfVectorizer(analyzer=segment.analyzer, sublinear_tf=True, min_df=1,
                                  max_features=200_000)),
        ("head", Pipeline([
            ("cut", FunctionTransformer(head)),
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                      preprocessor=segment.normalise, max_features=100_000)),
        ])),
        ("search", TfidfVectorizer(analyzer=segment.search_words, sublinear_tf=True,
                                   max_features=200_000)),
    ])
    return Pipeline([
        ("features", features),
        ("clf", LinearSVC(C=0.6, class_weight="balanced")),
    ])


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float  # in [0, 1]; the suggestions of one text sum to at most 1
    words: tuple[str, ...]  # the words of the text that drove it, strongest first


@dataclass
class RouterModel:
    pipeline: Pipeline
    labels: list[str]
    trained_on: int
    seconds: float
    version: int = FORMAT_VERSION
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> None:
        joblib.dump(self, path, compress=3)

    @staticmethod
    def load(path: str | Path) -> RouterModel:
        model = joblib.load(path)
        if not isinstance(model, RouterModel):
            raise ValueError(f"{path} is not a routing model")
        if getattr(model, "version", 0) != FORMAT_VERSION:
            raise ValueError(f"{path} was trained by an older version; train it again")
        return model

    def predict(self, texts: list[str]) -> list[str]:
        return [str(x) for x in self.pipeline.predict(texts)]

    def _scores(self, text: str) -> tuple[Any, np.ndarray, list[str]]:
        features = self.pipeline.named_steps["features"].transform([text])
        clf = self.pipeline.named_steps["clf"]
        scores = np.atleast_1d(clf.decision_function(features)[0])
        classes = [str(c) for c in clf.classes_]
        if len(classes) == 2:  # one score s: the second class at +s, the first at -s
            scores = np.array([-scores[0], scores[0]]) / 2
        return features, scores, classes

    def suggest(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        """The ``top`` most likely labels with a confidence in [0, 1] (softmax of scores)."""
        return [(s.label, s.confidence) for s in self.explain(text, top=top, words=0)]

    def explain(self, text: str, top: int = 3, words: int = 4) -> list[Suggestion]:
        """The ``top`` most likely labels, each with the ``words`` words that drove it."""
        features, scores, classes = self._scores(text)
        z = np.exp(SHARPNESS * (scores - scores.max()))
        probs = z / z.sum()
        order = np.argsort(-probs)[:top]
        out = []
        for i in order:
            drivers = self._drivers(features, classes, int(i), words) if words else ()
            out.append(Suggestion(classes[i], round(float(probs[i]), 4), drivers))
        return out

    def _drivers(self, features: Any, classes: list[str], i: int, n: int) -> tuple[str, ...]:
        """Words (and two-word phrases) of the text weighing most towards class ``i``."""
        union = self.pipeline.named_steps["features"]
        clf = self.pipeline.named_steps["clf"]
        chars, words = union.transformer_list[0][1], union.transformer_list[1][1]
        offset = len(chars.vocabulary_)
        size = len(words.vocabulary_)
        coef = clf.coef_
        weights = (coef[0] if i == 1 else -coef[0]) if len(classes) == 2 else coef[i]
        row = features.tocsr()
        contributions: dict[str, float] = {}
        names = self._word_names()
        for j, value in zip(row.indices, row.data, strict=True):
            if offset <= j < offset + size:
                c = float(value * weights[j])
                if c > 0:
                    word = names[j - offset].replace("_", "")
                    if len(word) > 1 and not word.isdigit():
                        contributions[word] = max(contributions.get(word, 0.0), c)
        ranked = sorted(contributions.items(), key=lambda x: (-x[1], x[0]))
        picked: list[str] = []
        for word, _c in ranked:
            # a phrase that only repeats a word already shown (or is inside one) adds nothing
            if any(word in p or p in word for p in picked):
                continue
            picked.append(word)
            if len(picked) == n:
                break
        return tuple(picked)

    def _word_names(self) -> list[str]:
        names = self.__dict__.get("_names")
        if names is None:
            words = self.pipeline.named_steps["features"].transformer_list[1][1]
            names = [""] * len(words.vocabulary_)
            for word, j in words.vocabulary_.items():
                names[j] = word
            self.__dict__["_names"] = names
        return names

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_names", None)  # derived from the vocabulary; rebuilt on first use
        return state


def train(texts: list[str], labels: list[str]) -> RouterModel:
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    counts = Counter(labels)
    if len(counts) < 2:
        raise ValueError("at least two different labels are needed to train a router")
    started = time.perf_counter()
    pipeline = build_pipeline()
    pipeline.fit(texts, labels)
    return RouterModel(pipeline=pipeline, labels=sorted(counts), trained_on=len(texts),
                       seconds=time.perf_counter() - started,
                       meta={"label_counts": dict(counts)})


@dataclass
class Evaluation:
    accuracy: float
    macro_f1: float
    report: str
    n: int


def evaluate(model: RouterModel, texts: list[str], labels: list[str]) -> Evaluation:
    predicted = model.predict(texts)
    accuracy = sum(p == t for p, t in zip(predicted, labels, strict=True)) / max(1, len(labels))
    label_set = sorted(set(labels) | set(predicted))
    return Evaluation(
        accuracy=accuracy,
        macro_f1=float(f1_score(labels, predicted, labels=label_set, average="macro",
                                zero_division=0)),
        report=str(classification_report(labels, predicted, labels=label_set, digits=4,
                                         zero_division=0)),
        n=len(labels),
    )
