"""The national table (one row per force and period), its age-band detail, platform counts
and the coverage of all 46 forces.

Rules (issue 16):
- a period keeps its own kind (financial year, calendar year, partial year, multi-year, see
  :func:`extract.outputs.period_kind`); rows of different kinds are never added together, and
  a partial year is its own row, marked ``partial``;
- within a reply, a value that contains another value of the same kind (a whole-period total
  beside yearly figures, an all-ages cell beside cells by age) is never added to its parts
  (:func:`extract.outputs.is_total`);
- a suppressed cell is counted as suppressed (``*_suppressed``), never as 0; a measure whose
  every part is suppressed is null;
- victims by age are given in the bands 0-11 / 12-15 / 16-17 / unknown only when every band of
  the reply nests in one of them; otherwise ``age_bands_comparable`` is false and the reply's
  own bands stay in the detail table;
- a duplicate reply is not counted; when two replies of one force cover the same period, one
  is used (a corrected one, else the latest response date) and the other is named beside it;
- every row names the replies it was built from (``doc_ids``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from extract.dataset.inputs import UNKNOWN_FORCE, Inputs, force_of
from extract.outputs import is_total, period_kind, period_total
from schemas import GoldRecord
from schemas.vocab import force_names, platform_vocab

AGE_BANDS = {"0_11": (0, 11), "12_15": (12, 15), "16_17": (16, 17)}
GENDERS = ("female", "male", "gender_unknown")
MEASURES = ("offences", "victims_total", *(f"victims_{g}" for g in GENDERS),
            *(f"victims_{b}" for b in AGE_BANDS), "victims_age_unknown")
TOP_PLATFORMS = 3

Span = tuple[date, date]


@dataclass
class Sum:
    """Counts added up, with the suppressed cells among them kept apart."""

    count: int = 0
    suppressed: int = 0
    cells: int = 0

    def add(self, item: Any) -> None:
        """Add one counted item."""
        self.cells += 1
        if item.suppressed or item.count is None:
            self.suppressed += 1
        else:
            self.count += item.count

    def value(self) -> int | None:
        """The known sum; None when there is no data or every cell is suppressed."""
        return self.count if self.cells > self.suppressed else None


def measure_columns(rows: list[dict[str, Any]]) -> list[str]:
    """The measures that have a figure (or a suppressed cell) in any row."""
    return [m for m in MEASURES if any(r[m] is not None or r[f"{m}_suppressed"] for r in rows)]


def total_of(items: Iterable[Any]) -> Sum:
    """A Sum over items."""
    s = Sum()
    for item in items:
        s.add(item)
    return s


def period_label(start: date, end: date) -> str:
    """'2013', '2024/25' (financial year), or 'start..end'."""
    kind = period_kind(start, end)
    if kind == "calendar_year":
        return str(start.year)
    if kind == "financial_year":
        return f"{start.year}/{str(end.year)[2:]}"
    return f"{start.isoformat()}..{end.isoformat()}"


def parts(record: GoldRecord, kind: str) -> list[Any]:
    """The items of one kind that are not totals of other items of the reply.

    For offences only whole-period totals go: an all-codes count beside per-code counts of
    the same period stays, because :func:`_offences` prefers it to the per-code sum.
    """
    if kind == "offences":
        return [i for i in record.offences if not period_total(record, kind, i)]
    return [i for i in getattr(record, kind) if not is_total(record, kind, i)]


def _by_period(items: Iterable[Any]) -> dict[Span, list[Any]]:
    out: dict[Span, list[Any]] = {}
    for i in items:
        out.setdefault((i.period.start, i.period.end), []).append(i)
    return out


def band_of(age: str) -> str | None:
    """The comparable band an age of the reply nests in ('0_11', ..., 'age_unknown'), or None."""
    if age == "unknown":
        return "age_unknown"
    lo, sep, hi = age.partition("-")
    if not sep or not lo.isdigit() or not hi.isdigit():
        return None  # 'all' or an open band ('16+' may hold adults)
    for name, (a, b) in AGE_BANDS.items():
        if a <= int(lo) and int(hi) <= b:
            return name
    return None


def _gender_group(gender: str) -> str:
    return gender if gender in ("female", "male") else "gender_unknown"


@dataclass
class Contribution:
    """What one reply says about one period."""

    doc_id: str
    force: str
    span: Span
    record: GoldRecord
    measures: dict[str, Sum] = field(default_factory=dict)
    comparable: bool | None = None
    platforms: dict[str, Sum] = field(default_factory=dict)
    named: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def figures(self) -> tuple[Any, ...]:
        """The figures this contribution gives, to compare replies for one period."""
        return tuple((m, s.count, s.suppressed) for m, s in sorted(self.measures.items()))


def _offences(items: list[Any]) -> Sum:
    # The reply's all-codes count where it gives one, else the per-code counts added up.
    all_codes = [o for o in items if o.code is None]
    return total_of(all_codes or items)


def _value_text(item: Any) -> str:
    return "suppressed" if item.suppressed or item.count is None else str(item.count)


def first_per_key(items: list[Any], key: Any, what: str, notes: list[str]) -> list[Any]:
    """One item per key: a reply that states the same figure twice (or two different values
    for it) must not have them added. The first in reading order is kept; a difference is
    noted for the reader of the table."""
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        if k not in seen:
            seen[k] = item
        elif _value_text(item) != _value_text(seen[k]):
            notes.append(f"{what} {' '.join(str(p) for p in k if p) or 'all codes'}: the reply "
                         f"gives {_value_text(seen[k])} and {_value_text(item)}; the first "
                         "is used")
    return list(seen.values())


def _victims(c: Contribution, cells: list[Any]) -> None:
    grid = [v for v in cells if v.gender != "all" and v.age != "all"]
    by_gender = [v for v in cells if v.gender != "all" and v.age == "all"]
    by_age = [v for v in cells if v.gender == "all" and v.age != "all"]
    overall = [v for v in cells if v.gender == "all" and v.age == "all"]
    in_grid = {v.gender for v in grid}
    c.measures["victims_total"] = total_of(
        overall or (grid + [v for v in by_gender if v.gender not in in_grid]) or by_gender
        or by_age)
    for g in GENDERS:
        mine = [v for v in grid if _gender_group(v.gender) == g] or \
            [v for v in by_gender if _gender_group(v.gender) == g]
        c.measures[f"victims_{g}"] = total_of(mine)
    aged = grid or by_age
    if not aged:
        return
    bands = [band_of(v.age) for v in aged]
    c.comparable = all(b is not None for b in bands)
    for name in (*AGE_BANDS, "age_unknown"):
        key = f"victims_{name}"
        c.measures[key] = total_of(
            v for v, b in zip(aged, bands, strict=True) if b == name) if c.comparable else Sum()


def platform_key(row: Any) -> str:
    """A platform row's name: canonical names joined, else its label."""
    return " + ".join(sorted(row.platforms)) or row.label.strip() or "(no label)"


def is_named(row: Any) -> bool:
    """A platform row that names only real platforms (not Unknown, Various, an empty label)."""
    return bool(row.platforms) and not set(row.platforms) & platform_vocab().generic


def contributions(record: GoldRecord) -> list[Contribution]:
    """One contribution per period the reply gives figures for."""
    force = force_of(record)
    offences = _by_period(parts(record, "offences"))
    victims = _by_period(parts(record, "victims"))
    platforms = _by_period(parts(record, "platforms"))
    out = []
    for span in sorted(set(offences) | set(victims) | set(platforms)):
        c = Contribution(record.doc_id, force, span, record)
        if span in offences:
            c.measures["offences"] = _offences(first_per_key(
                offences[span], lambda o: (o.code,), "offences", c.notes))
        if span in victims:
            _victims(c, first_per_key(victims[span], lambda v: (str(v.gender), v.age),
                                      "victims", c.notes))
        for row in platforms.get(span, []):
            c.platforms.setdefault(platform_key(row), Sum()).add(row)
            if is_named(row):
                c.named.add(platform_key(row))
        out.append(c)
    return out


def _preference(c: Contribution, group: list[Contribution],
                corrected: set[str]) -> tuple[bool, int, bool, date, str]:
    """Which of several replies for one force and period to use: a corrected one, else the
    figures most of them agree on, else one without internal contradictions, else the latest
    response date."""
    rd = c.record.response_date
    when = rd if isinstance(rd, date) else max(rd) if isinstance(rd, list) and rd else date.min
    agree = sum(o.figures() == c.figures() for o in group)
    return (c.doc_id in corrected, agree, not c.notes, when, c.doc_id)


def _top_platforms(c: Contribution) -> str:
    named = [(k, s) for k, s in c.platforms.items() if k in c.named]
    named.sort(key=lambda kv: (-kv[1].count, kv[0]))
    shown = []
    for name, s in named[:TOP_PLATFORMS]:
        value = s.value()
        extra = f" (+{s.suppressed} suppressed)" if s.suppressed and value is not None else ""
        shown.append(f"{name} {'suppressed' if value is None else value}{extra}")
    return ", ".join(shown)


def _row(chosen: Contribution, others: list[Contribution]) -> dict[str, Any]:
    start, end = chosen.span
    kind = period_kind(start, end)
    row: dict[str, Any] = {
        "force": chosen.force, "period": period_label(start, end),
        "period_start": start.isoformat(), "period_end": end.isoformat(), "period_kind": kind,
        "partial": kind == "partial_year"}
    for m in MEASURES:
        s = chosen.measures.get(m, Sum())
        row[m], row[f"{m}_suppressed"] = s.value(), s.suppressed
    row["age_bands_comparable"] = chosen.comparable
    row["top_platforms"] = _top_platforms(chosen)
    row["platform_rows_n"] = sum(s.count for s in chosen.platforms.values()) or None
    row["doc_ids"] = chosen.doc_id
    row["also_reported_by"] = ";".join(o.doc_id for o in others)
    row["conflict"] = any(o.figures() != chosen.figures() for o in others)
    row["notes"] = "; ".join(chosen.notes)
    return row


@dataclass
class Tables:
    """Every table of the summary: name -> list of row dicts."""

    national: list[dict[str, Any]] = field(default_factory=list)
    age_detail: list[dict[str, Any]] = field(default_factory=list)
    platforms: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    national_totals: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        """name -> rows, in output order."""
        return {"national": self.national, "national_totals": self.national_totals,
                "age_detail": self.age_detail, "platforms": self.platforms,
                "coverage": self.coverage}


def national(inputs: Inputs) -> tuple[list[dict[str, Any]], list[Contribution]]:
    """The national rows and the contributions chosen for them."""
    groups: dict[tuple[str, Span], list[Contribution]] = {}
    for rec in inputs.counted():
        for c in contributions(rec):
            groups.setdefault((c.force, c.span), []).append(c)
    rows, chosen = [], []
    for key in sorted(groups, key=lambda k: (k[0] == UNKNOWN_FORCE, k[0], k[1])):
        members = groups[key]
        group = sorted(members, key=partial(_preference, group=members,
                                            corrected=inputs.corrected))
        rows.append(_row(group[-1], group[:-1]))
        chosen.append(group[-1])
    return rows, chosen


def _age_detail(chosen: list[Contribution]) -> list[dict[str, Any]]:
    out = []
    for c in chosen:
        for v in parts(c.record, "victims"):
            if (v.period.start, v.period.end) != c.span or v.age == "all":
                continue
            out.append({"force": c.force, "period": period_label(*c.span),
                        "period_kind": period_kind(*c.span), "gender": str(v.gender),
                        "age": v.age, "comparable_band": band_of(v.age), "count": v.count,
                        "suppressed": bool(v.suppressed), "doc_ids": c.doc_id})
    return out


def _platform_rows(chosen: list[Contribution]) -> list[dict[str, Any]]:
    out = []
    for c in chosen:
        for name, s in sorted(c.platforms.items(), key=lambda kv: (-kv[1].count, kv[0])):
            out.append({"force": c.force, "period": period_label(*c.span),
                        "period_kind": period_kind(*c.span), "platform": name,
                        "named": name in c.named, "count": s.value(),
                        "suppressed_cells": s.suppressed, "doc_ids": c.doc_id})
    return out


def _totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Offences across forces per period, only for whole years of one kind."""
    acc: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        if r["period_kind"] not in ("financial_year", "calendar_year") or \
                r["force"] == UNKNOWN_FORCE or (r["offences"] is None and
                                                not r["offences_suppressed"]):
            continue
        t = acc.setdefault((r["period_kind"], r["period_start"], r["period"]), {
            "period": r["period"], "period_kind": r["period_kind"],
            "period_start": r["period_start"], "offences": 0, "offences_suppressed": 0,
            "forces": 0, "doc_ids": []})
        t["offences"] += r["offences"] or 0
        t["offences_suppressed"] += r["offences_suppressed"]
        t["forces"] += 1
        t["doc_ids"].append(r["doc_ids"])
    out = [dict(v, doc_ids=";".join(v["doc_ids"])) for _, v in sorted(acc.items())]
    return out


def _status(recs: list[GoldRecord]) -> tuple[str, str]:
    """A force's coverage status and, for a refusal, its grounds."""
    if any(r.offences or r.victims or r.suspects or r.platforms or r.outcomes_by_type
           for r in recs):
        return "replied with figures", ""
    outcomes = {str(o) for r in recs for o in (r.outcome if isinstance(r.outcome, list)
                                                 else [r.outcome])}
    grounds = ", ".join(sorted({e.section for r in recs for e in r.exemptions}))
    if outcomes & {"refused", "ncnd"}:
        return "refused", grounds or "(ground not stated)"
    if "not_held" in outcomes:
        return "not held", ""
    if recs:
        return "replied without figures", grounds
    return "no reply in input", ""


def coverage(inputs: Inputs, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per force of the vocabulary (46), then any other force name met."""
    by_force: dict[str, list[GoldRecord]] = {}
    for r in inputs.counted():
        by_force.setdefault(force_of(r), []).append(r)
    periods: dict[str, list[str]] = {}
    for row in rows:
        periods.setdefault(row["force"], []).append(row["period"])
    known = force_names()
    out = []
    for force in [*known, *sorted(set(by_force) - set(known))]:
        recs = by_force.get(force, [])
        status, grounds = _status(recs)
        out.append({"force": force, "in_vocabulary": force in known, "status": status,
                    "grounds": grounds, "replies": len(recs),
                    "periods": "; ".join(periods.get(force, [])),
                    "doc_ids": ";".join(r.doc_id for r in recs),
                    "duplicates_ignored": ";".join(sorted(
                        d for d, o in inputs.duplicates.items()
                        if force_of(next(r for r in inputs.records if r.doc_id == o)) == force))})
    return out


def build_tables(inputs: Inputs) -> Tables:
    """Every summary table from the records."""
    rows, chosen = national(inputs)
    return Tables(national=rows, age_detail=_age_detail(chosen), platforms=_platform_rows(chosen),
                  coverage=coverage(inputs, rows), national_totals=_totals(rows))
