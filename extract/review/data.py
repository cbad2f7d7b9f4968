"""The review page's data: one JSON object per reply, drawn by the page only when opened.

Per reply: the record (evidence quotes left out: the page takes them back from the text, which
keeps 200 replies small), the normalised text, the tables found in it (cell spans, so the page
can draw them as grids), and one entry per fact saying which record field and item it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from extract.dataset.national import Sum, contributions, period_label
from extract.dataset.report import measure_text
from extract.document import Document
from extract.outputs import COUNTED_KINDS, DOCS, doc_text_name, fact_row, reply_facts
from extract.tables import find_tables
from schemas import GoldRecord

FIELD_OF = {"offence_code": "offence_codes", "exemption": "exemptions"}
URGENT = re.compile(r"conflict|disagree", re.I)


_LISTS = ("offences", "victims", "suspects", "platforms", "outcomes_by_type", "exemptions")


def _slim_record(record: GoldRecord) -> dict[str, Any]:
    """The record JSON without what the page can rebuild: item evidence and readers (the facts
    carry them) and evidence quotes (the text holds them). Keeps 200 replies small."""
    obj = record.model_dump(mode="json", exclude={"meta", "flags"})
    for name in _LISTS:
        for item in obj[name]:
            item.pop("evidence", None)
            item.pop("readers", None)
    if obj.get("youngest_victim"):
        obj["youngest_victim"].pop("evidence", None)
        obj["youngest_victim"].pop("readers", None)
    obj["evidence"] = {k: [[e["start"], e["end"]] for e in v] for k, v in obj["evidence"].items()}
    return obj


def _facts(record: GoldRecord) -> list[dict[str, Any]]:
    """Per fact: kind, record field and index, a description, value, evidence, status."""
    out = []
    index: dict[str, int] = {}
    for n, rf in enumerate(reply_facts(record)):
        kind = rf.fact.kind
        fld = FIELD_OF.get(kind, kind)
        i = index.get(kind, 0)
        index[kind] = i + 1
        row = fact_row(record, rf)
        listed = isinstance(getattr(record, fld, None), list) and kind not in (
            "force", "reference", "outcome")
        out.append({
            "id": n, "kind": kind, "field": fld, "index": i if listed else None,
            "period": period_label(rf.item.period.start, rf.item.period.end)
            if getattr(rf.item, "period", None) is not None else "",
            "key": _key(row.__dict__), "value": _value(row.__dict__),
            "gender": row.gender, "age": row.age,
            "ev": [[e.start, e.end] for e in rf.evidence],
            "readers": rf.readers, "flagged": rf.flagged,
            # fact_row has decided it already (is_total compares the item with all its kind)
            "total": rf.item is not None and kind in COUNTED_KINDS and row.is_total == "true"})
    return out


def _key(row: dict[str, str]) -> str:
    parts = [row["code"], row["gender"], row["age"], row["platforms"] or row["label"],
             row["outcome_type"], row["section"]]
    return " ".join(p for p in parts if p)


def _value(row: dict[str, str]) -> str:
    if row["suppressed"] == "true":
        return "suppressed"
    if row["youngest_withheld"] or row["youngest_age_min"] or row["youngest_gender"]:
        if row["youngest_withheld"] == "true":
            return "withheld"
        return f"{row['youngest_age_min']}-{row['youngest_age_max']} {row['youngest_gender']}"
    if row["kind"] == "offence_code":
        return "stated"
    if row["kind"] == "exemption":
        return "ncnd" if row["ncnd"] == "true" else "applied"
    return row["count"] or row["value"]


MAX_GRID_TEXT = 300_000  # characters: past this a reply is shown as plain text (speed)


def _tables(text: str, doc_id: str) -> list[dict[str, Any]]:
    """Grids found in the text, as cell spans; overlapping ones are left as plain text."""
    out: list[dict[str, Any]] = []
    if len(text) > MAX_GRID_TEXT:
        return out
    end = -1
    for t in find_tables(Document(doc_id=doc_id, text=text)):
        if t.start < end or t.source == "keyword":
            continue  # a keyword list reads better as the text it is
        rows = [[[c.start, c.end] for c in r] for r in t.rows]
        if sum(len(r) for r in rows) < 2:
            continue
        out.append({"start": t.start, "end": t.end, "rows": rows, "head": t.header_rows})
        end = t.end
    return out


def headline(record: GoldRecord) -> tuple[str, str]:
    """(period, offences) to show in the index: the span the reply's figures cover, and their
    sum without totals (a whole-period total is shown when it is all there is)."""
    parts = [c for c in contributions(record) if "offences" in c.measures]
    if not parts:
        return "", ""
    start = min(c.span[0] for c in parts)
    end = max(c.span[1] for c in parts)
    total = Sum()
    for c in parts:
        s = c.measures["offences"]
        total.count += s.count
        total.suppressed += s.suppressed
        total.cells += s.cells
    return period_label(start, end), measure_text(total.value(), total.suppressed)


def reply_data(record: GoldRecord, out_dir: Path) -> dict[str, Any]:
    """Everything the page needs to draw and correct one reply."""
    path = out_dir / DOCS / doc_text_name(record.doc_id)
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    period, count = headline(record)
    urgent = sum(bool(URGENT.search(f.code)) for f in record.flags)
    return {
        "doc_id": record.doc_id, "force": _scalar(record.force),
        "reference": _scalar(record.reference), "outcome": _scalar(record.outcome),
        "period": period, "headline": count, "flags": [
            {"code": f.code, "message": f.message, "ev": [[e.start, e.end] for e in f.evidence]}
            for f in record.flags],
        "urgent": urgent, "duplicate_of": record.meta.get("duplicate_of"), "text": text,
        "tables": _tables(text, record.doc_id) if text else [],
        "facts": _facts(record),
        "record": _slim_record(record)}


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return "" if value is None else str(value)
