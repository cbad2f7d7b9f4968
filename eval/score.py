"""Compare predicted facts with gold facts: P/R/F1 per kind, per reply, micro-averaged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eval.facts import KINDS, Fact, group


@dataclass
class Tally:
    """True positives, false positives and false negatives, with the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Disagreement:
    """A gold fact without its match, a predicted fact without its match, or both (wrong value)."""

    doc_id: str
    kind: str
    key: tuple[Any, ...]
    gold: Any
    pred: Any
    quote: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "kind": self.kind, "key": _jsonable(self.key),
                "gold": _jsonable(self.gold), "pred": _jsonable(self.pred), "quote": self.quote}


@dataclass
class DocScore:
    doc_id: str
    by_kind: dict[str, Tally] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)
    note: str | None = None

    @property
    def total(self) -> Tally:
        t = Tally()
        for tally in self.by_kind.values():
            t.add(tally)
        return t


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "values") and isinstance(value.values, frozenset):
        return sorted((_jsonable(v) for v in value.values), key=str)
    return value


def _match_key(gold: list[Fact], pred: list[Fact]) -> tuple[int, list[Fact], list[Fact]]:
    """Greedy multiset matching of the facts under one key: (tp, gold left, pred left)."""
    gold_left = list(gold)
    pred_left: list[Fact] = []
    tp = 0
    for p in pred:
        hit = next((g for g in gold_left if g.matches(p)), None)
        if hit is None:
            pred_left.append(p)
        else:
            gold_left.remove(hit)
            tp += 1
    return tp, gold_left, pred_left


def score_doc(doc_id: str, gold: list[Fact], pred: list[Fact]) -> DocScore:
    """Score one reply's predicted facts against its gold facts."""
    result = DocScore(doc_id, {k: Tally() for k in KINDS})
    g_groups, p_groups = group(gold), group(pred)
    for kind, key in sorted(set(g_groups) | set(p_groups), key=repr):
        tp, g_left, p_left = _match_key(g_groups.get((kind, key), []),
                                        p_groups.get((kind, key), []))
        tally = result.by_kind.setdefault(kind, Tally())
        tally.tp += tp
        tally.fp += len(p_left)
        tally.fn += len(g_left)
        for i in range(max(len(g_left), len(p_left))):
            g = g_left[i] if i < len(g_left) else None
            p = p_left[i] if i < len(p_left) else None
            result.disagreements.append(Disagreement(
                doc_id, kind, key, None if g is None else g.value,
                None if p is None else p.value, None if p is None else p.quote))
    return result


@dataclass
class Report:
    docs: list[DocScore]
    warnings: list[str] = field(default_factory=list)

    def by_kind(self) -> dict[str, Tally]:
        out = {k: Tally() for k in KINDS}
        for d in self.docs:
            for kind, tally in d.by_kind.items():
                out.setdefault(kind, Tally()).add(tally)
        return out

    def micro(self) -> Tally:
        t = Tally()
        for d in self.docs:
            t.add(d.total)
        return t

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro().as_dict(),
            "by_kind": {k: v.as_dict() for k, v in self.by_kind().items()},
            "by_doc": {d.doc_id: {**d.total.as_dict(), "note": d.note} for d in self.docs},
            "disagreements": [x.as_dict() for d in self.docs for x in d.disagreements],
        }


def score(gold: dict[str, list[Fact]], pred: dict[str, list[Fact]],
          ignore_extra: bool = False) -> Report:
    """Score every reply. A reply missing on one side counts all its facts as missed."""
    docs = []
    ids = sorted(set(gold) | (set() if ignore_extra else set(pred)))
    for doc_id in ids:
        d = score_doc(doc_id, gold.get(doc_id, []), pred.get(doc_id, []))
        if doc_id not in pred:
            d.note = "no prediction for this reply"
        elif doc_id not in gold:
            d.note = "no gold record for this reply"
        docs.append(d)
    return Report(docs)
