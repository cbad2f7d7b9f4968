"""Read gold and predicted records from files, with one clear error per bad file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas import GoldRecord


class RecordFileError(Exception):
    """A record file that cannot be read: names the file, the field and what is wrong."""

    def __init__(self, path: str, field: str | None, message: str) -> None:
        self.path, self.field, self.message = path, field, message
        where = f"{path}: field {field}" if field else path
        super().__init__(f"{where}: {message}")


class NoOverlapError(Exception):
    """Gold and predictions share no reply: a usage error, not a score of 0."""


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(record)"


def parse_record(data: Any, path: str) -> GoldRecord:
    """Validate one record (gold or predicted) or raise RecordFileError."""
    if not isinstance(data, dict):
        raise RecordFileError(path, None, "a record must be a JSON object")
    try:
        return GoldRecord.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RecordFileError(path, _field(tuple(err["loc"])), err["msg"] + more) from None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordFileError(str(path), None, f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise RecordFileError(str(path), None, f"not JSON ({where}: {exc.msg})") from None


def _read_jsonl(path: Path) -> list[GoldRecord]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordFileError(str(path), None, f"cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordFileError(where, None, f"not JSON ({exc.msg})") from None
        records.append(parse_record(data, where))
    return records


def load_records(path: str | Path) -> dict[str, GoldRecord]:
    """Records by doc_id from a records.jsonl, a JSON file, or a folder of either."""
    p = Path(path)
    if not p.exists():
        raise RecordFileError(str(p), None, "no such file or folder")
    if p.is_dir() and (p / "records.jsonl").is_file():
        files = [p / "records.jsonl"]  # a run's output folder
    elif p.is_dir():
        files = sorted(p.glob("*.json")) + sorted(p.glob("*.jsonl"))
        if not files:
            raise RecordFileError(str(p), None, "folder holds no .json or .jsonl record files")
    else:
        files = [p]
    out: dict[str, GoldRecord] = {}
    for f in files:
        recs = _read_jsonl(f) if f.suffix == ".jsonl" else [parse_record(_read_json(f), str(f))]
        for r in recs:
            if r.doc_id in out:
                raise RecordFileError(str(f), "doc_id", f"duplicate record for {r.doc_id!r}")
            out[r.doc_id] = r
    return out
