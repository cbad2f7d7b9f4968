"""The gold record of a scenario: exactly what the rendered reply states, per the contract."""

from __future__ import annotations

from typing import Any

from bench.scenario import Grid, PeriodSpec, Scenario, Value
from schemas import GoldRecord


def _period(p: PeriodSpec) -> dict[str, str]:
    return {"start": p.start.isoformat(), "end": p.end.isoformat()}


def _count(v: Value) -> dict[str, Any]:
    return {"count": None, "suppressed": True} if v.suppressed else {"count": v.true}


def _cells(sc: Scenario, grid: Grid) -> list[tuple[dict[str, Any], PeriodSpec, Value]]:
    """Every body cell of a grid: (merged row/col meaning, its period, its value)."""
    out = []
    for row, values in zip(grid.rows, grid.cells, strict=True):
        for col, value in zip(grid.cols, values, strict=True):
            key = {**row.key, **col.key}
            period = sc.periods[key["period"]] if "period" in key else (grid.period or sc.whole)
            out.append((key, period, value))
    return out


def _offences(sc: Scenario, grid: Grid) -> list[dict[str, Any]]:
    rows = [{"period": _period(p), "code": key.get("code"), **_count(v)}
            for key, p, v in _cells(sc, grid)]
    if grid.kind == "offences" and grid.total_label and len(sc.periods) > 1:
        total = sum(v.true for r in grid.cells for v in r)
        rows.append({"period": _period(sc.whole), "code": None, "count": total})
    return rows


def _people(sc: Scenario, grid: Grid) -> list[dict[str, Any]]:
    return [{"period": _period(p), "gender": key.get("gender", "all"),
             "age": key.get("age", "all"), **_count(v)} for key, p, v in _cells(sc, grid)]


def _platforms(sc: Scenario, grid: Grid) -> list[dict[str, Any]]:
    out = []
    for key, p, v in _cells(sc, grid):
        label = next(r.label for r in grid.rows if r.key.get("platforms") == key["platforms"])
        out.append({"period": _period(p), "label": label, "platforms": list(key["platforms"]),
                    "method": grid.method, **_count(v)})
    return out


def _outcomes(sc: Scenario, grid: Grid) -> list[dict[str, Any]]:
    return [{"period": _period(p), "outcome": key["outcome"], **_count(v)}
            for key, p, v in _cells(sc, grid)]


FIELD = {"offences": ("offences", _offences), "offences_by_code": ("offences", _offences),
         "victims": ("victims", _people), "suspects": ("suspects", _people),
         "platforms": ("platforms", _platforms), "outcomes": ("outcomes_by_type", _outcomes)}


def outcome_of(sc: Scenario) -> str:
    """The reply's outcome by the contract's definitions."""
    if sc.kind in {"refused", "not_held", "ncnd"}:
        return sc.kind
    return "partial" if sc.exemptions or sc.has_suppression else "full"


def gold_record(sc: Scenario) -> dict[str, Any]:
    """The gold record (a JSON-ready dict that validates as GoldRecord)."""
    rec: dict[str, Any] = {
        "schema_version": 1, "doc_id": sc.doc_id, "force": sc.force,
        "reference": sc.reference_gold,
        "response_date": sc.response_date.isoformat() if sc.response_date else None,
        "outcome": outcome_of(sc), "data_in_attachment": sc.kind == "attached",
        "offence_codes": list(sc.codes), "offences": [], "victims": [], "suspects": [],
        "platforms": [], "outcomes_by_type": [], "youngest_victim": None,
        "exemptions": [{"section": s, "ncnd": n} for s, n in sc.exemptions],
        "caveats": [f"synthetic reply, layout {sc.layout}"],
    }
    for grid in sc.grids:
        name, make = FIELD[grid.kind]
        rec[name] += make(sc, grid)
    if sc.youngest is not None:
        y = sc.youngest
        rec["youngest_victim"] = {"age_min": y.age_min, "age_max": y.age_max,
                                  "gender": y.gender, "withheld": y.withheld}
    GoldRecord.model_validate(rec)
    return rec
