"""Merge the rules reader's record with the LLM reader's record.

Facts both readers found get ``readers=["llm", "rules"]``. A disagreement (same key,
different value) is never resolved silently: the record gets a ``Flag(code="disagreement")``
that names both values and which one was kept: the rules value for counts read from table
cells, otherwise the value whose evidence holds it (rules first when both do).
"""

from __future__ import annotations

import re
from typing import Any

from extract.llm.models import numbers_in
from schemas import Evidence, Flag, Record
from schemas.vocab import fold

LIST_KINDS = ("offences", "victims", "suspects", "platforms", "outcomes_by_type", "exemptions")
SCALARS = ("force", "reference", "response_date", "outcome", "data_in_attachment")
_CELL_LOCATOR = re.compile(r"\br\d+c\d+\b")


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


def _from_table(ev: list[Evidence]) -> bool:
    return any(e.locator and _CELL_LOCATOR.search(e.locator) for e in ev)


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


def _choose(kind: str, ours: Any, theirs: Any) -> tuple[Any, str]:
    if kind != "exemptions" and _from_table(ours.evidence):
        return ours, "kept the rules value: counts read from table cells come from the grid"
    if _holds(kind, ours):
        return ours, "kept the rules value: its evidence holds it"
    if _holds(kind, theirs):
        return theirs, "kept the llm value: its evidence holds it and the rules value's does not"
    return ours, "kept the rules value: neither value's evidence holds it"


def _disagreement(what: str, rules_v: Any, llm_v: Any, why: str,
                  ev: list[Evidence]) -> Flag:
    return Flag(code="disagreement",
                message=f"{what}: rules say {rules_v!r}, llm says {llm_v!r}; {why}",
                evidence=ev)


def _merge_list(kind: str, rules: list[Any], llm: list[Any],
                flags: list[Flag]) -> list[Any]:
    merged = list(rules)
    used: set[int] = set()
    for item in llm:
        key, value = fact_key(kind, item), fact_value(kind, item)
        same = [i for i, r in enumerate(merged)
                if i < len(rules) and i not in used and fact_key(kind, r) == key]
        agree = [i for i in same if fact_value(kind, merged[i]) == value]
        if agree:
            used.add(agree[0])
            merged[agree[0]] = _with_reader(merged[agree[0]], "llm")
        elif same:
            i = same[0]
            used.add(i)
            chosen, why = _choose(kind, merged[i], item)
            flags.append(_disagreement(f"{kind} {key}", fact_value(kind, merged[i]), value,
                                       why, [*merged[i].evidence, *item.evidence]))
            merged[i] = chosen
        else:
            merged.append(item)
    return merged


def _merge_scalar(name: str, rules: Record, llm: Record, out: dict[str, Any],
                  flags: list[Flag], readers: dict[str, list[str]]) -> None:
    llm_ev = llm.evidence.get(name)
    if not llm_ev:  # the llm record's value has no evidence: the model did not find it
        return
    ours, theirs = getattr(rules, name), getattr(llm, name)
    rules_ev = rules.evidence.get(name, [])
    if ours is None or (name == "data_in_attachment" and not ours and not rules_ev):
        out[name], out["evidence"][name] = theirs, llm_ev
        readers[name] = ["llm"]
    elif ours == theirs:
        readers[name] = ["llm", "rules"]
    elif rules_ev:
        flags.append(_disagreement(name, ours, theirs, "kept the rules value (both have "
                                   "evidence)", [*rules_ev, *llm_ev]))
    else:
        out[name], out["evidence"][name] = theirs, llm_ev
        flags.append(_disagreement(name, ours, theirs, "kept the llm value: the rules value "
                                   "has no evidence", llm_ev))


def _merge_youngest(rules: Record, llm: Record, flags: list[Flag]) -> Any:
    ours, theirs = rules.youngest_victim, llm.youngest_victim
    if theirs is None:
        return ours
    if ours is None:
        return theirs
    key = ("age_min", "age_max", "gender", "withheld")
    if ours.model_dump(include=set(key)) == theirs.model_dump(include=set(key)):
        return _with_reader(ours, "llm")
    flags.append(_disagreement("youngest_victim", ours.model_dump(include=set(key)),
                               theirs.model_dump(include=set(key)), "kept the rules value",
                               [*ours.evidence, *theirs.evidence]))
    return ours


def merge(rules: Record, llm: Record) -> Record:
    """One record from both readers; agreements marked, disagreements flagged."""
    flags: list[Flag] = [*rules.flags, *llm.flags]
    out: dict[str, Any] = {"evidence": dict(rules.evidence)}
    readers: dict[str, list[str]] = {}
    for name in SCALARS:
        _merge_scalar(name, rules, llm, out, flags, readers)
    for kind in LIST_KINDS:
        out[kind] = _merge_list(kind, getattr(rules, kind), getattr(llm, kind), flags)
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
                   "scalar_readers": readers}
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
