"""Merge the rules reader's record with the LLM reader's record: the merge adjudicates.

The model saw the rules reader's facts as hints (and its table mappings), so its answer is
a second reading, not an independent vote:

- a fact both found is *confirmed*: one item, ``readers=["llm", "rules"]``, the more specific
  evidence kept;
- a disagreement on a value keeps the value whose evidence is more specific (a table cell
  or the exact number token beats a longer quote); on a tie, the model's (it saw the hint and
  read otherwise); a ``disagreement`` flag names both;
- a rules fact the model saw and dropped is dropped and listed in a ``rejected`` flag; a
  rules fact the model never saw (its request failed, or it lies outside every request) is
  kept as the rules reader's;
- table facts follow the model's mapping of that table; when the two mappings differ, that is
  one ``mapping_disagreement`` flag per table, naming the fields that differ;
- judgement fields (outcome, data_in_attachment, youngest victim, exemptions applied) follow
  the model when its evidence holds.
"""

from __future__ import annotations

import re
from typing import Any

from extract.llm.models import numbers_in
from schemas import Evidence, Flag, Record
from schemas.vocab import fold

LIST_KINDS = ("offences", "victims", "suspects", "platforms", "outcomes_by_type", "exemptions")
SCALARS = ("force", "reference", "response_date", "outcome", "data_in_attachment")
JUDGEMENT = frozenset({"outcome", "data_in_attachment"})
_CELL_LOCATOR = re.compile(r"\b([A-Za-z0-9_-]+) r\d+c\d+\b")
_NUMBER_ONLY = re.compile(r"^\W*(?:\d[\d,]*|[A-Za-z]+)\W*$")


def fact_key(kind: str, item: Any) -> tuple[Any, ...]:
    """The key a fact is compared on (as the contract's facts table defines it)."""
    if kind == "exemptions":
        return (item.section,)
    period = (item.period.start, item.period.end)
    if kind == "offences":
        return (period, item.code)
    if kind in ("victims", "suspects"):
        return (period, str(item.gender), item.age)
    if kind == "platforms":
        return (period, tuple(sorted(item.platforms)) or (f"label:{fold(item.label)}",))
    return (period, str(item.outcome))


def fact_value(kind: str, item: Any) -> Any:
    """The compared value: ncnd for exemptions, else the count or 'suppressed'."""
    if kind == "exemptions":
        return item.ncnd
    return "suppressed" if item.suppressed else item.count


def _with_reader(item: Any, reader: str) -> Any:
    readers = sorted({*(item.readers or ["rules"]), reader})
    return item.model_copy(update={"readers": readers})


def table_of(ev: list[Evidence]) -> str | None:
    """The table id a fact's evidence points into (a cell locator), else None."""
    for e in ev:
        m = _CELL_LOCATOR.search(e.locator or "")
        if m:
            return m.group(1)
    return None


def specificity(ev: list[Evidence]) -> int:
    """2: a table cell or the exact number token; 1: a longer quote; 0: no evidence."""
    if not ev:
        return 0
    if table_of(ev) is not None or any(_NUMBER_ONLY.match(e.quote) for e in ev):
        return 2
    return 1


def _holds(kind: str, item: Any) -> bool:
    """True when the item's evidence shows its value (a count's number, a section)."""
    text = " ".join(e.quote for e in item.evidence)
    if not item.evidence:
        return False
    if kind == "exemptions":
        return int(item.section.split("(")[0]) in numbers_in(text)
    if item.suppressed:
        return True
    return item.count in numbers_in(text) or (item.count == 0 and not text.strip("-– \t"))


class _Seen:
    """What the model was shown and answered for: its prose spans and the tables it mapped."""

    def __init__(self, llm: Record) -> None:
        self.spans = [tuple(s) for s in llm.meta.get("prose_spans", [])]
        self.tables = set(llm.meta.get("mappings", {}))

    def saw(self, item: Any) -> bool:
        """Whether the model saw (and so could keep or drop) this rules fact."""
        table = table_of(item.evidence)
        if table is not None:
            return table in self.tables
        return bool(item.evidence) and all(
            any(a <= e.start < b for a, b in self.spans) for e in item.evidence)


def _disagreement(what: str, rules_v: Any, llm_v: Any, why: str,
                  ev: list[Evidence]) -> Flag:
    return Flag(code="disagreement",
                message=f"{what}: rules say {rules_v!r}, llm says {llm_v!r}; {why}",
                evidence=ev)


def _choose(kind: str, ours: Any, theirs: Any) -> tuple[Any, str]:
    """The rules item or the model's, by the specificity of their evidence."""
    s_rules, s_llm = specificity(ours.evidence), specificity(theirs.evidence)
    if s_rules > s_llm:
        return ours, "kept the rules value: its evidence is more specific"
    if s_llm > s_rules or _holds(kind, theirs) or not _holds(kind, ours):
        return theirs, "kept the llm value: its evidence is as specific or more, and it " \
                       "read the rules value as a hint"
    return ours, "kept the rules value: the llm value's evidence does not hold it"


def _confirmed(ours: Any, theirs: Any) -> Any:
    """One item for a fact both found: the more specific evidence, both readers."""
    best = theirs if specificity(theirs.evidence) > specificity(ours.evidence) else ours
    return best.model_copy(update={"readers": ["llm", "rules"]})


def _merge_list(kind: str, rules: list[Any], llm: list[Any], seen: _Seen,
                flags: list[Flag], dropped: dict[str, list[str]]) -> list[Any]:
    """Adjudicate one list kind (see the module docstring)."""
    out: list[Any] = []
    used: set[int] = set()
    for item in llm:
        key, value = fact_key(kind, item), fact_value(kind, item)
        same = [i for i, r in enumerate(rules) if i not in used and fact_key(kind, r) == key]
        agree = [i for i in same if fact_value(kind, rules[i]) == value]
        if agree:
            used.add(agree[0])
            out.append(_confirmed(rules[agree[0]], item))
        elif same:
            i = same[0]
            used.add(i)
            chosen, why = _choose(kind, rules[i], item)
            flags.append(_disagreement(f"{kind} {key}", fact_value(kind, rules[i]), value,
                                       why, [*rules[i].evidence, *item.evidence]))
            out.append(chosen)
        else:
            out.append(item)
    for i, r in enumerate(rules):
        if i in used:
            continue
        if seen.saw(r):
            where = table_of(r.evidence) or "prose"
            dropped.setdefault(where, []).append(f"{kind} {fact_key(kind, r)}="
                                                 f"{fact_value(kind, r)!r}")
        else:
            out.append(r)
    return out


def _rejected_flags(dropped: dict[str, list[str]], mapping_flags: set[str]) -> list[Flag]:
    """One ``rejected`` flag for the prose hints the model dropped, one per table otherwise
    (folded into the table's mapping flag when there is one)."""
    flags = []
    for where, facts in sorted(dropped.items()):
        if where in mapping_flags:
            continue
        what = "prose" if where == "prose" else f"table {where}"
        flags.append(Flag(code="rejected", message=(
            f"{len(facts)} rules fact(s) from {what} dropped: the model saw them as hints and "
            f"did not keep them: " + "; ".join(facts[:12]))[:1000]))
    return flags


def _merge_scalar(name: str, rules: Record, llm: Record, out: dict[str, Any],
                  flags: list[Flag], readers: dict[str, list[str]]) -> None:
    llm_ev = llm.evidence.get(name)
    if not llm_ev:  # the llm record's value has no evidence: the model did not find it
        return
    ours, theirs = getattr(rules, name), getattr(llm, name)
    rules_ev = rules.evidence.get(name, [])
    if ours == theirs:
        readers[name] = ["llm", "rules"]
        return
    model_wins = (ours is None or name in JUDGEMENT or not rules_ev
                  or specificity(llm_ev) > specificity(rules_ev))
    if model_wins:
        out[name], out["evidence"][name] = theirs, llm_ev
        readers[name] = ["llm"]
    if ours is not None and (rules_ev or name in JUDGEMENT):
        why = "kept the llm value" + (": a judgement the model makes when its evidence "
                                      "holds" if name in JUDGEMENT else "")
        flags.append(_disagreement(name, ours, theirs, why if model_wins else
                                   "kept the rules value: its evidence is as specific",
                                   [*rules_ev, *llm_ev]))


def _merge_youngest(rules: Record, llm: Record, flags: list[Flag]) -> Any:
    """A judgement: the model's reading when it gave evidence for it."""
    ours, theirs = rules.youngest_victim, llm.youngest_victim
    if theirs is None or not theirs.evidence:
        return ours
    if ours is None:
        return theirs
    key = {"age_min", "age_max", "gender", "withheld"}
    if ours.model_dump(include=key) == theirs.model_dump(include=key):
        return _confirmed(ours, theirs)
    flags.append(_disagreement("youngest_victim", ours.model_dump(include=key),
                               theirs.model_dump(include=key), "kept the llm value: a "
                               "judgement the model makes when its evidence holds",
                               [*ours.evidence, *theirs.evidence]))
    return theirs


def mapping_flags(rules: Record, llm: Record, dropped: dict[str, list[str]]) -> list[Flag]:
    """One flag per table whose rules and model mappings differ, naming the fields."""
    ours: dict[str, Any] = rules.meta.get("mappings", {})
    theirs: dict[str, Any] = llm.meta.get("mappings", {})
    flags = []
    for table in sorted(set(ours) & set(theirs)):
        a, b = ours[table], theirs[table]
        fields = sorted(k for k in {*a, *b} if a.get(k) != b.get(k))
        if not fields:
            continue
        lost = dropped.get(table, [])
        detail = "; ".join(f"{k}: rules {a.get(k)!r}, llm {b.get(k)!r}" for k in fields)
        flags.append(Flag(code="mapping_disagreement", message=(
            f"table {table}: the model's mapping was used; it differs in {detail}"
            + (f"; {len(lost)} rules fact(s) of this table dropped" if lost else ""))[:1000]))
    return flags


def merge(rules: Record, llm: Record) -> Record:
    """One record from both readers, adjudicated (see the module docstring)."""
    # both expansions of an agreed mapping raise the same table flags: keep one of each
    flags: list[Flag] = list({(f.code, f.message): f for f in [*rules.flags, *llm.flags]}
                             .values())
    out: dict[str, Any] = {"evidence": dict(rules.evidence)}
    readers: dict[str, list[str]] = {}
    for name in SCALARS:
        _merge_scalar(name, rules, llm, out, flags, readers)
    seen = _Seen(llm)
    dropped: dict[str, list[str]] = {}
    for kind in LIST_KINDS:
        out[kind] = _merge_list(kind, getattr(rules, kind), getattr(llm, kind), seen, flags,
                                dropped)
    table_flags = mapping_flags(rules, llm, dropped)
    flags += table_flags
    flags += _rejected_flags(dropped, {f.message.split(":")[0].removeprefix("table ")
                                       for f in table_flags})
    codes = list(rules.offence_codes)
    for i, code in enumerate(llm.offence_codes):
        if code not in codes:
            out["evidence"][f"offence_codes.{len(codes)}"] = llm.evidence.get(
                f"offence_codes.{i}", [])
            codes.append(code)
    out["offence_codes"] = codes
    out["youngest_victim"] = _merge_youngest(rules, llm, flags)
    out["caveats"] = [*rules.caveats, *(c for c in llm.caveats if c not in rules.caveats)]
    out["flags"] = flags
    llm_meta = {k: v for k, v in llm.meta.items() if k != "readers"}
    out["meta"] = {**rules.meta, "llm": llm_meta, "prompt_hash": llm.meta.get("prompt_hash"),
                   "scalar_readers": readers,
                   "confirmed": sum("llm" in (i.readers or []) and "rules" in (i.readers or [])
                                    for k in LIST_KINDS for i in out[k])}
    return rules.model_copy(update=out)


def _key_text(key: tuple[Any, ...]) -> str:
    """A fact key for people: dates as ISO, tuples joined."""
    parts = []
    for part in key:
        if isinstance(part, tuple):
            parts.append(" to ".join(str(p) for p in part) if len(part) == 2 else
                         ", ".join(str(p) for p in part))
        else:
            parts.append(str(part))
    return "; ".join(p for p in parts if p and p != "None")


def _conflict_key(kind: str, item: Any) -> tuple[Any, ...] | None:
    """The fact key, except for platform rows: two rows of a platform table with different
    labels ("WhatsApp", "Internet - WhatsApp") are two facts even when both map to the same
    platform, and a row without a label matches nothing (None)."""
    if kind != "platforms":
        return fact_key(kind, item)
    label = fold(item.label)
    if not label:
        return None
    return ((item.period.start, item.period.end), tuple(sorted(item.platforms)), label)


def conflict_flags(record: Record) -> list[Flag]:
    """A ``conflict`` flag for every fact key the reply gives two different values for
    (e.g. a table's 52 and a sentence's 61 for the same year and code), naming both.

    Unlike a disagreement (two readers), this is the reply contradicting itself: nothing is
    chosen; both values stay in the record and a person decides.
    """
    flags = []
    for kind in LIST_KINDS:
        by_key: dict[tuple[Any, ...], list[Any]] = {}
        for item in getattr(record, kind):
            key = _conflict_key(kind, item)
            if key is not None:
                by_key.setdefault(key, []).append(item)
        for key, items in by_key.items():
            values = list(dict.fromkeys(fact_value(kind, i) for i in items))
            if len(values) < 2:
                continue
            shown = " and ".join(repr(v) for v in values)
            flags.append(Flag(code="conflict", message=(
                f"{kind} {_key_text(key)}: the reply gives {len(values)} different values "
                f"({shown}); both kept, check which is right"),
                evidence=[e for i in items for e in i.evidence][:6]))
    return flags
