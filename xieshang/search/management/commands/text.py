"""``xieshang text …``: the text-intelligence commands on any labelled CSV (UTF-8 or GB18030).

    xieshang text router-train --csv F --text-column C [--text-column C2] --label-column L --out M
    xieshang text router-evaluate --csv F --text-column C [...] --label-column L --model M
    xieshang text similarity --csv F --a-column A --b-column B --out F2 [--bom]
    xieshang text hot-topics --csv F --text-column C [...] --time-column T [--support-column S]
                             [--id-column I] --top N   (hot issues: place or object + problem)
    xieshang text reindex [--kind K] [--check [--committee CODE]]
Errors in the input are reported in one line (exit status 2), never as a traceback. The command
is the search app's: it rebuilds the index and fits the proposals' models, both below search.
The text-mining modules are imported inside each action on purpose: scikit-learn is heavy, and
each action needs one of them.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xieshang.core.models import Committee
from xieshang.proposals import similar
from xieshang.search.index import SOURCES, reindex
from xieshang.textmining.csvio import InputError, joined_text, read_csv, require_columns


class Command(BaseCommand):
    help = "Text intelligence: routing, similarity and hot topics on CSV files."
    requires_system_checks: list[str] = []  # noqa: RUF012 - Django's own attribute

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("router-train", help="train a routing classifier")
        train.add_argument("--csv", required=True)
        train.add_argument("--text-column", action="append", required=True)
        train.add_argument("--label-column", required=True)
        train.add_argument("--out", required=True)
        ev = sub.add_parser("router-evaluate", help="evaluate a routing classifier")
        ev.add_argument("--csv", required=True)
        ev.add_argument("--text-column", action="append", required=True)
        ev.add_argument("--label-column", required=True)
        ev.add_argument("--model", required=True)
        sim = sub.add_parser("similarity", help="score the similarity of text pairs")
        sim.add_argument("--csv", required=True)
        sim.add_argument("--a-column", required=True)
        sim.add_argument("--b-column", required=True)
        sim.add_argument("--out", required=True)
        sim.add_argument("--bom", action="store_true",
                         help="write UTF-8 with a byte-order mark (for Excel)")
        hot = sub.add_parser("hot-topics", help="cluster texts and rank the topics")
        hot.add_argument("--csv", required=True)
        hot.add_argument("--text-column", action="append", required=True)
        hot.add_argument("--time-column", required=True)
        hot.add_argument("--support-column", action="append", default=[])
        hot.add_argument("--id-column")
        hot.add_argument("--top", type=int, default=10)
        re = sub.add_parser("reindex", help="rebuild the search index")
        re.add_argument("--kind", action="append", default=None,
                        help="only these kinds (default: all)")
        re.add_argument("--check", action="store_true",
                        help="rebuild nothing: print source and index counts per kind and "
                             "committee, exit 1 on any difference")
        re.add_argument("--committee", action="append", default=None,
                        help="with --check: only these committees (code; default: all)")
        fit = sub.add_parser("similar-fit", help="fit the committees' similar-proposal models "
                                                 "now (otherwise the task worker fits each on "
                                                 "first use)")
        fit.add_argument("--committee", action="append", default=None,
                         help="committee code (default: every committee)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, action)(options)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except (OSError, ValueError) as exc:
            raise CommandError(f"{type(exc).__name__}: {exc}", returncode=2) from None

    def reindex(self, options: dict[str, Any]) -> None:
        unknown = set(options["kind"] or []) - set(SOURCES)
        if unknown:
            raise InputError(f"unknown kind(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(SOURCES))}")
        if options["check"]:
            self._check(options)
            return
        started = time.perf_counter()
        counts = reindex(options["kind"])
        for kind, n in counts.items():
            self.stdout.write(f"{kind}: {n}")
        self.stdout.write(f"reindexed in {time.perf_counter() - started:.1f} s")

    def _check(self, options: dict[str, Any]) -> None:
        from xieshang.search.completeness import counts

        committee_ids = None
        if options["committee"]:
            found = dict(Committee.objects.filter(code__in=options["committee"])
                         .values_list("code", "pk"))
            missing = set(options["committee"]) - set(found)
            if missing:
                raise InputError(f"unknown committee(s): {', '.join(sorted(missing))}")
            committee_ids = list(found.values())
        started = time.perf_counter()
        rows = counts(options["kind"], committee_ids)
        width = max([len(r.committee) for r in rows] + [9])
        self.stdout.write(f"{'kind':<10} {'committee':<{width}} {'source':>8} {'index':>8} "
                          f"{'missing':>8} {'stale':>8}")
        for r in rows:
            flag = "" if r.ok else "  DIFFERENT"
            self.stdout.write(f"{r.kind:<10} {r.committee:<{width}} {r.source:>8} "
                              f"{r.indexed:>8} {r.missing:>8} {r.stale:>8}{flag}")
        bad = [r for r in rows if not r.ok]
        self.stdout.write(f"checked {len(rows)} kind-committee pairs in "
                          f"{time.perf_counter() - started:.1f} s: "
                          + ("index complete" if not bad else
                             f"{len(bad)} differ; `xieshang text reindex` rebuilds the index"))
        if bad:
            raise CommandError("search index incomplete", returncode=1)

    def similar_fit(self, options: dict[str, Any]) -> None:
        committees = Committee.objects.order_by("path")
        if options["committee"]:
            committees = committees.filter(code__in=options["committee"])
            missing = set(options["committee"]) - set(committees.values_list("code", flat=True))
            if missing:
                raise InputError(f"unknown committee(s): {', '.join(sorted(missing))}")
        started = time.perf_counter()
        for committee in committees:
            fitted = similar.fit(committee.pk)
            self.stdout.write(f"{committee.code}: {len(fitted.ids) if fitted else 0} proposals")
        self.stdout.write(f"fitted in {time.perf_counter() - started:.1f} s")

    def _labelled(self, options: dict[str, Any]) -> tuple[list[str], list[str]]:
        table = read_csv(options["csv"])
        require_columns(table, [*options["text_column"], options["label_column"]],
                        options["csv"])
        texts, labels = [], []
        for row in table.rows:
            text = joined_text(row, options["text_column"])
            label = (row.get(options["label_column"]) or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
        if not texts:
            raise InputError(f"{options['csv']}: no row has both text and a label")
        return texts, labels

    def router_train(self, options: dict[str, Any]) -> None:
        from xieshang.textmining.router import train

        texts, labels = self._labelled(options)
        model = train(texts, labels)
        model.save(options["out"])
        self.stdout.write(f"trained on {model.trained_on} texts, {len(model.labels)} labels, "
                          f"in {model.seconds:.1f} s; saved to {options['out']}")

    def router_evaluate(self, options: dict[str, Any]) -> None:
        from xieshang.textmining.router import RouterModel, evaluate

        try:
            model = RouterModel.load(options["model"])
        except Exception as exc:  # noqa: BLE001 - any unreadable model file is one clear error
            raise InputError(f"cannot read the model {options['model']}: {exc}") from None
        texts, labels = self._labelled(options)
        started = time.perf_counter()
        result = evaluate(model, texts, labels)
        self.stdout.write(result.report)
        self.stdout.write(f"rows={result.n} seconds={time.perf_counter() - started:.2f}")
        self.stdout.write(f"accuracy={result.accuracy:.4f}")
        self.stdout.write(f"macro_f1={result.macro_f1:.4f}")

    def similarity(self, options: dict[str, Any]) -> None:
        """Two passes over the file, row by row: the first collects the distinct texts and
        the pairs as indices into them, the second writes each row with its score. A text is
        vectorised once however many pairs it is in; memory follows the distinct texts, not
        the rows."""
        from array import array

        import numpy as np

        from xieshang.textmining.csvio import open_stream
        from xieshang.textmining.similarity import SimilarityModel

        started = time.perf_counter()
        stream = open_stream(options["csv"])
        a_col, b_col = options["a_column"], options["b_column"]
        require_columns(stream, [a_col, b_col], options["csv"])
        distinct: dict[str, int] = {}
        a_ids, b_ids = array("i"), array("i")
        for _number, row in stream.rows():
            a_ids.append(distinct.setdefault(row.get(a_col) or "", len(distinct)))
            b_ids.append(distinct.setdefault(row.get(b_col) or "", len(distinct)))
        texts = list(distinct)
        del distinct
        scores = (SimilarityModel(texts).indexed_pair_scores(
            np.frombuffer(a_ids, dtype=np.int32), np.frombuffer(b_ids, dtype=np.int32))
            if a_ids else np.zeros(0, dtype=np.float32))
        header = stream.header if "score" in stream.header else [*stream.header, "score"]
        encoding = stream.encoding
        if options["bom"]:
            encoding = "utf-16" if encoding == "utf-16" else "utf-8-sig"
        elif encoding == "mixed":
            encoding = "utf-8"
        written = 0
        with open(options["out"], "w", newline="", encoding=encoding) as fh:
            writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore",
                                    dialect=stream.dialect, lineterminator="\r\n")
            writer.writeheader()
            for (_number, row), score in zip(stream.rows(), scores.tolist(), strict=True):
                writer.writerow({**row, "score": f"{score:.4f}"})
                written += 1
        self.stdout.write(f"scored {written} pairs of {len(texts)} distinct texts in "
                          f"{time.perf_counter() - started:.1f} s; written to {options['out']} "
                          f"({encoding})")

    def hot_topics(self, options: dict[str, Any]) -> None:
        from xieshang.textmining.hottopics import hot_topics, parse_time

        table = read_csv(options["csv"])
        columns = [*options["text_column"], options["time_column"], *options["support_column"]]
        if options["id_column"]:
            columns.append(options["id_column"])
        require_columns(table, columns, options["csv"])
        if options["top"] < 1:
            raise InputError("--top must be at least 1")
        texts, times, ids, supports = [], [], [], []
        unreadable: list[int] = []
        for row, number in zip(table.rows, table.line_numbers, strict=True):
            text = joined_text(row, options["text_column"])
            if not text:
                continue
            when = parse_time(row.get(options["time_column"], ""))
            if when is None:
                unreadable.append(number)
            texts.append(text)
            times.append(when)
            ids.append(row[options["id_column"]] if options["id_column"] else str(number))
            total = 0.0
            for col in options["support_column"]:
                with contextlib.suppress(ValueError):  # a non-number counts as no support
                    total += float((row.get(col) or "0").replace(",", ""))
            supports.append(total)
        if not texts:
            raise InputError(f"{options['csv']}: no row has text")
        # The summary goes to stderr: stdout holds exactly one JSON line per issue.
        shown = ", ".join(map(str, unreadable[:10])) + (" …" if len(unreadable) > 10 else "")
        self.stderr.write(f"{len(texts)} rows with text; {len(unreadable)} with a time that "
                          f"could not be read" + (f" (data rows {shown})" if unreadable else ""))
        for topic in hot_topics(texts, times, ids, supports, top=options["top"]):
            sys.stdout.write(json.dumps(topic.__dict__, ensure_ascii=False) + "\n")
