"""``foi.db``: the dataset as SQLite (built with sqlite-utils) plus Datasette's metadata.json.

Tables: ``records`` (one row per reply), ``facts`` (one row per fact, as facts.csv),
``evidence`` (one row per evidence span of a fact), ``flags``, and the summary tables
(``national``, ``national_totals``, ``age_detail``, ``platforms``, ``coverage``). Columns are
typed (integers stay integers, booleans are 0/1) and the columns people filter on are indexed.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from extract.dataset.inputs import UNKNOWN_FORCE, Inputs, force_of
from extract.dataset.national import MEASURES, Tables
from extract.outputs import fact_row, reply_facts, write_atomic

DB = "foi.db"
METADATA = "metadata.json"
TITLE = "UK police FOI replies: figures read by foi-extract"
SOURCE = "UK police replies to Freedom of Information requests, read by foi-extract"

_INT = frozenset({"count", "evidence_start", "evidence_end", "youngest_age_min",
                  "youngest_age_max"})
_BOOL = frozenset({"suppressed", "agreed", "flagged", "ncnd", "youngest_withheld", "is_total"})


def _typed(row: dict[str, str]) -> dict[str, Any]:
    """A facts.csv row with integers and booleans as such (blank -> NULL)."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k in _INT:
            out[k] = int(v) if v != "" else None
        elif k in _BOOL:
            out[k] = None if v == "" else v == "true"
        else:
            out[k] = v if v != "" else None
    return out


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return None if value is None else str(value)


def _record_row(inputs: Inputs, rec: Any) -> dict[str, Any]:
    yv = rec.youngest_victim
    return {"doc_id": rec.doc_id, "force": force_of(rec), "reference": _scalar(rec.reference),
            "response_date": _scalar(rec.response_date), "outcome": _scalar(rec.outcome),
            "data_in_attachment": _scalar(rec.data_in_attachment),
            "offence_codes": ", ".join(rec.offence_codes),
            "exemptions": ", ".join(e.section for e in rec.exemptions),
            "youngest_age_min": yv.age_min if yv else None,
            "youngest_age_max": yv.age_max if yv else None,
            "youngest_gender": yv.gender if yv else None,
            "youngest_withheld": yv.withheld if yv else None,
            "n_flags": len(rec.flags), "caveats": "\n".join(rec.caveats),
            "duplicate_of": inputs.duplicates.get(rec.doc_id),
            "corrected": rec.doc_id in inputs.corrected}


def _fact_rows(inputs: Inputs) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    facts, evidence = [], []
    for rec in inputs.records:
        for n, rf in enumerate(reply_facts(rec)):
            fact_id = f"{rec.doc_id}#{n}"
            facts.append({"fact_id": fact_id, **_typed(
                {k: str(v) for k, v in asdict(fact_row(rec, rf)).items()})})
            for ev in rf.evidence:
                evidence.append({"fact_id": fact_id, "doc_id": rec.doc_id, "start": ev.start,
                                 "end": ev.end, "quote": ev.quote, "part": ev.part,
                                 "locator": ev.locator})
    return facts, evidence


def _flag_rows(inputs: Inputs) -> list[dict[str, Any]]:
    return [{"doc_id": r.doc_id, "code": f.code, "message": f.message,
             "quote": " … ".join(e.quote for e in f.evidence),
             "start": f.evidence[0].start if f.evidence else None}
            for r in inputs.records for f in r.flags]


_INDEXES = {"records": [["force"], ["outcome"]], "facts": [["doc_id"], ["kind"], ["force"],
                                                           ["period_kind"]],
            "evidence": [["fact_id"], ["doc_id"]], "flags": [["doc_id"]],
            "national": [["force"], ["period_kind"], ["period"]],
            "platforms": [["platform"], ["force"]], "age_detail": [["force"]],
            "coverage": [["status"]]}
_PKS = {"records": "doc_id", "facts": "fact_id", "coverage": "force"}


def _table_types(rows: list[dict[str, Any]]) -> dict[str, type]:
    """Column types from every row (sqlite-utils would guess from the first 100 only); a
    column that is null in every row still exists: a count column as INTEGER, else TEXT."""
    types: dict[str, type] = {}
    for row in rows:
        for k, v in row.items():
            if v is None:
                continue
            t = int if isinstance(v, bool) else type(v)
            types[k] = str if types.get(k, t) is not t else t
    for k in rows[0] if rows else []:
        types.setdefault(k, int if k in MEASURES or k in _INT else str)
    return {k: types[k] for k in (rows[0] if rows else types)}


def build_db(folder: Path, inputs: Inputs, tables: Tables) -> Path:
    """Write ``folder/foi.db`` afresh and return its path."""
    import sqlite_utils

    path = folder / DB
    tmp = folder / f".{DB}.tmp"
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    facts, evidence = _fact_rows(inputs)
    data: dict[str, list[dict[str, Any]]] = {
        "records": [_record_row(inputs, r) for r in inputs.records], "facts": facts,
        "evidence": evidence, "flags": _flag_rows(inputs), **tables.as_dict()}
    for name, rows in data.items():
        table = db.table(name)
        table.create(_table_types(rows) or {"doc_id": str}, pk=_PKS.get(name))
        if rows:
            table.insert_all(rows, alter=True)
        for cols in _INDEXES.get(name, []):
            if set(cols) <= set(table.columns_dict):
                table.create_index(cols, if_not_exists=True)
    db.close()
    tmp.replace(path)  # a reader sees the old database or the new one
    return path


_DESCRIPTIONS = {
    "records": "One row per reply: force, reference, outcome, youngest victim, flags.",
    "facts": "One row per fact read from a reply, with the quote and character offsets of "
             "its evidence. is_total marks values that contain other values of the same reply "
             "(never add them to those).",
    "evidence": "Every evidence span: offsets into the reply's normalised text (docs/).",
    "flags": "Things the extractor asks a person to check.",
    "national": "One row per force and period. Periods keep their kind: financial years "
                "(April-March), calendar years, partial years (marked) and multi-year totals "
                "are never added together. *_suppressed counts cells withheld as small "
                "numbers: a figure with suppressed cells is a lower bound; null means every "
                "cell was suppressed or there is no figure.",
    "national_totals": "Offences added across forces for each whole financial or calendar "
                       "year; forces = how many forces gave that year.",
    "age_detail": "Victims by the age bands each reply used, with the comparable band "
                  "(0-11, 12-15, 16-17, unknown) they nest in, if any.",
    "platforms": "Communication platforms per force and period, with counts.",
    "coverage": "All 46 UK police forces: replied with figures, refused (ground), not held, "
                "or no reply in the input.",
}
CAVEATS = ("Forces record and count differently; periods differ between replies; small "
           "numbers are often suppressed; figures are as stated in each reply, not corrected.")


def metadata(inputs: Inputs, extracted: str) -> dict[str, Any]:
    """Datasette metadata: titles, descriptions, source and caveats."""
    forces = len({force_of(r) for r in inputs.counted()} - {UNKNOWN_FORCE})
    source = (f"{len(inputs.counted())} replies from {forces} forces, extracted on "
              f"{extracted}")
    return {"title": TITLE,
            "description": f"{source}. {CAVEATS}", "source": SOURCE,
            "databases": {"foi": {"tables": {
                name: {"title": name.replace("_", " ").capitalize(), "description": desc,
                       "source": SOURCE}
                for name, desc in _DESCRIPTIONS.items()}}}}


def write_metadata(folder: Path, inputs: Inputs, extracted: str) -> Path:
    """Write ``folder/metadata.json`` for ``datasette foi.db -m metadata.json``."""
    path = folder / METADATA
    write_atomic(path, json.dumps(metadata(inputs, extracted), indent=2) + "\n")
    return path
