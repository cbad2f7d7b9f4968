"""The records a summary is built from: a run's records.jsonl, reviewer corrections laid over
it (a corrected record replaces the run's record of the same doc_id), duplicates noted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.io import RecordFileError, load_records
from extract.outputs import RECORDS, parse_records, read_jsonl
from schemas import GoldRecord

UNKNOWN_FORCE = "(force not stated)"


@dataclass
class Inputs:
    """Records to summarise plus what was done to them on the way in."""

    records: list[GoldRecord] = field(default_factory=list)
    # doc_id -> the doc_id it duplicates (only when that original is among the records)
    duplicates: dict[str, str] = field(default_factory=dict)
    corrected: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def counted(self) -> list[GoldRecord]:
        """The records whose figures count: every record except a duplicate of another."""
        return [r for r in self.records if r.doc_id not in self.duplicates]


def duplicate_of(obj: dict[str, Any]) -> str | None:
    """The doc_id a raw record says it duplicates (a top-level field or in ``meta``)."""
    meta = obj.get("meta")
    value = obj.get("duplicate_of") or (meta.get("duplicate_of") if isinstance(meta, dict)
                                        else None)
    return value if isinstance(value, str) and value else None


def force_of(record: GoldRecord) -> str:
    """The record's force (the first when a gold file lists several), or a placeholder."""
    force = record.force
    if isinstance(force, list):
        force = force[0] if force else None
    return force or UNKNOWN_FORCE


def _corrections(folder: Path, warnings: list[str]) -> dict[str, GoldRecord]:
    """Corrected records by doc_id; a file that cannot be read is a warning, not a stop."""
    out: dict[str, GoldRecord] = {}
    if not folder.is_dir():
        warnings.append(f"corrections: {folder} is not a folder")
        return out
    for path in sorted([*folder.glob("*.json"), *folder.glob("*.jsonl")]):
        try:
            out.update(load_records(path))
        except RecordFileError as exc:
            warnings.append(f"corrections: {exc}")
    return out


def load_inputs(out_dir: Path, corrections: Path | None = None) -> Inputs:
    """Read ``out_dir/records.jsonl`` and lay ``corrections`` (a folder) over it."""
    objs, warnings = read_jsonl(out_dir / RECORDS)
    dups = {o["doc_id"]: d for o in objs if (d := duplicate_of(o))}
    # The field is another engineer's addition to the record; the schema forbids unknown
    # fields, so it is taken out before validation (meta is free-form and keeps it).
    clean = [{k: v for k, v in o.items() if k != "duplicate_of"} for o in objs]
    records, bad = parse_records(clean)
    inputs = Inputs(warnings=warnings + bad)
    by_id = {r.doc_id: r for r in records}
    if corrections is not None:
        fixed = _corrections(corrections, inputs.warnings)
        by_id.update(fixed)
        inputs.corrected = set(fixed)
    inputs.records = [by_id[k] for k in sorted(by_id)]
    inputs.duplicates = {d: o for d, o in dups.items() if o in by_id and o != d}
    for d, o in dups.items():
        if d not in inputs.duplicates:
            inputs.warnings.append(f"{d} is marked a duplicate of {o!r}, which is not in the "
                                   "input: counted")
    return inputs
