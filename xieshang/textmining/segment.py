"""Segmentation with jieba, a user dictionary of local and policy terms, and stop words."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import jieba

jieba.setLogLevel(logging.WARNING)

# Policy terms that jieba's stock dictionary splits; committees add their own (place and unit
# names) through add_words().
POLICY_TERMS = (
    "乡村振兴", "营商环境", "共同富裕", "高质量发展", "新质生产力", "基层治理", "农村饮水",
    "饮水安全", "校车", "医共体", "城乡融合", "人居环境", "老旧小区", "一老一小", "双减",
    "职业教育", "养老服务", "社区养老", "数字经济", "生态保护", "河长制", "秸秆禁烧",
    "有事好商量", "社情民意", "政协委员", "承办单位", "民主监督", "高标准农田", "电商直播",
)

STOP_WORDS = frozenset(
    "的 了 和 与 及 或 等 对 在 为 是 有 把 被 将 从 以 于 而 并 也 都 就 还 又 很 更 最 "
    "这 那 其 之 "
    "我 我们 你 你们 他 他们 它 本 该 此 各 每 个 一 一个 一些 没有 不 要 会 能 可 可以 应 应当 "
    "进一步 加强 关于 建议 提出 问题 情况 工作 相关 有关 方面 通过 进行 开展 推进 推动 "
    "做好 "
    "目前 当前 存在 部分 一是 二是 三是 四是 五是 我县 我市 我省 县 市 省 ， 。 、 ； ： ？ ！ "
    "“ ” （ ） 《 》 , . ; : ? ! ( )".split()
)

_lock = threading.Lock()
_loaded = False
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"\s+")


def _ensure() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            for word in POLICY_TERMS:
                jieba.add_word(word, freq=20000)
            _loaded = True


@dataclass(frozen=True)
class UserDictionary:
    """A committee's own terms: (word, part of speech, weight). Inside ``using(dictionary)``
    every occurrence of a term is one word, whatever jieba would do; where two terms overlap
    at the same place, the higher weight wins, then the longer term. The process-wide jieba
    dictionary is left alone, so one committee's terms never change another's segmentation."""

    terms: tuple[tuple[str, str, int], ...] = ()

    @property
    def pattern(self) -> re.Pattern[str] | None:
        return _compile(self.terms)

    def part_of_speech(self, word: str) -> str:
        return next((pos for w, pos, _weight in self.terms if w == word), "")


_COMPILED: dict[tuple[tuple[str, str, int], ...], re.Pattern[str] | None] = {}
_active: ContextVar[UserDictionary | None] = ContextVar("xieshang_user_dictionary", default=None)


def _compile(terms: tuple[tuple[str, str, int], ...]) -> re.Pattern[str] | None:
    if terms not in _COMPILED:
        words_ = sorted({(normalise(w), weight) for w, _pos, weight in terms if normalise(w)},
                        key=lambda x: (-x[1], -len(x[0])))
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        _COMPILED[terms] = (re.compile("|".join(re.escape(w) for w, _weight in words_))
                            if words_ else None)
    return _COMPILED[terms]


@contextmanager
def using(dictionary: UserDictionary | None) -> Iterator[None]:
    """Segment with ``dictionary`` (a committee's terms) inside the block."""
    token = _active.set(dictionary)
    try:
        yield
    finally:
        _active.reset(token)


def active_dictionary() -> UserDictionary | None:
    return _active.get()


def _cut(text: str) -> list[str]:
    dictionary = _active.get()
    pattern = dictionary.pattern if dictionary is not None else None
    if pattern is None:
        words: list[str] = jieba.lcut(text)
        return words
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            out.extend(jieba.lcut(text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    if pos < len(text):
        out.extend(jieba.lcut(text[pos:]))
    return out


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter a committee's own terms (place names, unit names…)."""
    _ensure()
    for word in words:
        word = word.strip()
        if word:
            jieba.add_word(word, freq=20000)


def normalise(text: str) -> str:
    """Full-width letters/digits to half-width, whitespace collapsed, lower case."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif code == 0x3000:
            ch = " "
        out.append(ch)
    return _SPACE.sub(" ", "".join(out)).strip().lower()


def words(text: str, *, keep_stop: bool = False) -> list[str]:
    """Words of ``text`` (search-engine mode off: one segmentation)."""
    _ensure()
    result = []
    for token in _cut(normalise(text)):
        token = token.strip()
        if not token or (not keep_stop and token in STOP_WORDS):
            continue
        if len(token) == 1 and not _CJK.match(token) and not token.isalnum():
            continue
        result.append(token)
    return result


def search_words(text: str) -> list[str]:
    """Words in jieba's search-engine mode: each word of ``words`` preceded by the two- and
    three-character words of jieba's dictionary inside it (乡村振兴 → 乡村, 振兴, 乡村振兴), as
    ``jieba.cut_for_search`` does, with the committee's terms kept whole."""
    _ensure()
    freq = jieba.dt.FREQ
    result = []
    for word in _cut(normalise(text)):
        pieces = [word[i:i + n] for n in (2, 3) if len(word) > n
                  for i in range(len(word) - n + 1) if freq.get(word[i:i + n])]
        for token in [*pieces, word]:
            token = token.strip()
            if not token or token in STOP_WORDS:
                continue
            if len(token) == 1 and not _CJK.match(token) and not token.isalnum():
                continue
            result.append(token)
    return result


def analyzer(text: str) -> list[str]:
    """Analyzer for scikit-learn vectorisers: words plus word bigrams."""
    ws = words(text)
    return ws + [f"{a}_{b}" for a, b in zip(ws, ws[1:], strict=False)]


def key_phrases(texts: Iterable[str], top: int = 5) -> list[str]:
    """The most characteristic words of a group of texts (jieba's TF-IDF keywords)."""
    import jieba.analyse  # loads its IDF table: only where key phrases are asked for

    _ensure()
    joined = "\n".join(texts)
    dictionary = _active.get()
    if dictionary is None or dictionary.pattern is None:
        return [w for w in jieba.analyse.extract_tags(joined, topK=top * 3)
                if w not in STOP_WORDS and not w.isdigit()][:top]
    # jieba's extractor uses its own segmentation; with a committee's terms, weigh our words
    # by jieba's IDF instead (a committee term counts as a rare word).
    idf = jieba.analyse.default_tfidf.idf_freq
    rare = max(jieba.analyse.default_tfidf.median_idf * 1.5, 1.0)
    counts = Counter(w for w in words(joined) if len(w) > 1 and not w.isdigit())
    scored = {w: n * idf.get(w, rare) * (1.0 if dictionary.part_of_speech(w) == "" else 1.2)
              for w, n in counts.items()}
    return [w for w, _score in sorted(scored.items(), key=lambda x: (-x[1], x[0]))[:top]]
