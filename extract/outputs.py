"""Output files of a bulk run: crash-safe JSONL stores, per-reply texts, and ``facts.csv``.

Durability rules (what makes a SIGKILLed run resumable):

- a record line is written with ONE ``os.write`` of the whole line on an ``O_APPEND`` fd,
  then ``fsync``, under a lock; a kill can at worst leave a torn *last* line, which
  :func:`truncate_torn_tail` cuts away on the next start;
- replacing a line (``--force``) rewrites the whole file to a temp file, ``fsync``s it and
  ``os.replace``s it over the old one, so a reader sees the old file or the new one, never a mix.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from eval.facts import Fact, flatten
from schemas import Evidence, GoldRecord

RECORDS, ERRORS, SUMMARY, FACTS, DOCS = (
    "records.jsonl", "errors.jsonl", "summary.json", "facts.csv", "docs")

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def fsync_dir(path: Path) -> None:
    """fsync a directory so that a rename/creation inside it survives a power cut."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename is still atomic
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a whole file via temp file + fsync + ``os.replace`` (never half-written)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o644)  # mkstemp's 0600 would hide outputs from others
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def truncate_torn_tail(path: Path) -> int:
    """Cut a torn last line (no trailing newline) left by a killed writer; bytes removed."""
    if not path.exists():
        return 0
    with open(path, "rb+") as fh:
        data = fh.read()
        if not data or data.endswith(b"\n"):
            return 0
        keep = data.rfind(b"\n") + 1
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    return len(data) - keep


def _line(obj: dict[str, Any]) -> bytes:
    # ensure_ascii keeps the line free of raw U+2028 etc.; json escapes every newline.
    return (json.dumps(obj, ensure_ascii=True, separators=(",", ":"), default=str)
            + "\n").encode("ascii")


def read_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The JSON objects of a JSONL file, plus a warning for each line that is not one."""
    if not path.exists():
        return [], []
    out: list[dict[str, Any]] = []
    warnings: list[str] = []
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                warnings.append(f"{path.name}:{n}: dropped a line that is not JSON ({exc})")
                continue
            if isinstance(obj, dict) and isinstance(obj.get("doc_id"), str):
                out.append(obj)
            else:
                warnings.append(f"{path.name}:{n}: dropped a line without a doc_id")
    return out, warnings


class JsonlStore:
    """A JSONL file holding at most one line per ``doc_id``, safe to kill at any moment.

    Call :meth:`open` first: it cuts a torn tail, drops unreadable or duplicate lines
    (keeping the last line of a doc_id), and loads the lines into :attr:`rows`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[str, dict[str, Any]] = {}
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._fd: int | None = None

    def open(self) -> JsonlStore:
        """Recover the file after a crash and open it for appending."""
        torn = truncate_torn_tail(self.path)
        if torn:
            self.warnings.append(f"{self.path.name}: cut a torn last line ({torn} bytes) "
                                 "left by an interrupted run")
        objs, warnings = read_jsonl(self.path)
        self.warnings += warnings
        self.rows = {o["doc_id"]: o for o in objs}
        if warnings or len(self.rows) != len(objs):
            self._rewrite()
        self._reopen()
        return self

    def _reopen(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _rewrite(self) -> None:
        write_atomic(self.path, b"".join(_line(o) for o in self.rows.values()))

    def put(self, obj: dict[str, Any]) -> None:
        """Add a line, or replace the line of the same doc_id (atomic either way)."""
        doc_id = obj["doc_id"]
        with self._lock:
            if doc_id in self.rows:
                self.rows[doc_id] = obj
                self._rewrite()
                self._reopen()  # the old fd points at the replaced inode
            else:
                self._append(_line(obj))
                self.rows[doc_id] = obj

    def _append(self, data: bytes) -> None:
        assert self._fd is not None, "JsonlStore.open() was not called"
        view = memoryview(data)
        while view:  # one write() for a regular file; the loop only guards a short write
            view = view[os.write(self._fd, view):]
        os.fsync(self._fd)

    def drop(self, doc_ids: Iterable[str]) -> None:
        """Remove the lines of these doc_ids (one atomic rewrite when any was present)."""
        with self._lock:
            gone = [d for d in doc_ids if self.rows.pop(d, None) is not None]
            if gone:
                self._rewrite()
                self._reopen()

    def close(self) -> None:
        """Close the append fd."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def doc_text_name(doc_id: str) -> str:
    """A safe file name for a reply's normalised text (doc_ids are file stems, but untrusted)."""
    safe = _UNSAFE.sub("_", doc_id).lstrip(".") or "_"
    return f"{safe}.txt" if safe == doc_id else f"{safe}.{_short_hash(doc_id)}.txt"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


# ---------------------------------------------------------------- facts.csv


COUNTED_KINDS = ("offences", "victims", "suspects", "platforms", "outcomes_by_type")


def period_kind(start: date, end: date) -> str:
    """What sort of period this is, so that unlike periods are never added together.

    ``calendar_year`` (Jan-Dec), ``financial_year`` (April-March), ``partial_year`` (shorter
    than a year: a year cut short, a month, a quarter), ``multi_year`` (longer than a year: a
    whole-period total) or ``other_year`` (twelve months on other dates).
    """
    whole_year = end == date(start.year + 1, start.month, start.day) - timedelta(days=1) \
        if not (start.month == 2 and start.day == 29) else False
    if whole_year and (start.month, start.day) == (1, 1):
        return "calendar_year"
    if whole_year and (start.month, start.day) == (4, 1):
        return "financial_year"
    if whole_year:
        return "other_year"
    if (end - start).days + 1 < 365:
        return "partial_year"
    return "multi_year"


def _span(item: Any) -> tuple[date, date]:
    return (item.period.start, item.period.end)


def _contains(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a != b and a[0] <= b[0] and b[1] <= a[1]


def period_total(record: GoldRecord, kind: str, item: Any) -> bool:
    """True when the item's period strictly contains the period of another item of its kind."""
    return any(_contains(_span(item), _span(o)) for o in getattr(record, kind))


def is_total(record: GoldRecord, kind: str, item: Any) -> bool:
    """True when another item of the same reply and kind is a part of this one.

    A period that strictly contains another period of the same kind (a whole-period total
    beside yearly figures); an all-codes offence count beside per-code counts of its period;
    a victim/suspect cell over all ages (or genders) beside cells split by age (or gender).
    Such values are kept in the data but must never be added to their parts.
    """
    if period_total(record, kind, item):
        return True
    items = getattr(record, kind)
    same = [o for o in items if o is not item and _span(o) == _span(item)]
    if kind == "offences":
        return item.code is None and any(o.code is not None for o in same)
    if kind in ("victims", "suspects"):
        return (item.age == "all" and any(o.gender == item.gender and o.age != "all"
                                          for o in same)) or \
            (item.gender == "all" and any(o.age == item.age and o.gender != "all"
                                          for o in same))
    return False


@dataclass
class FactRow:
    """One fact of one reply with everything a spreadsheet user needs beside it."""

    doc_id: str
    force: str
    reference: str
    kind: str
    period_start: str = ""
    period_end: str = ""
    code: str = ""
    gender: str = ""
    age: str = ""
    platforms: str = ""
    label: str = ""
    method: str = ""
    outcome_type: str = ""
    section: str = ""
    value: str = ""
    count: str = ""
    suppressed: str = ""
    ncnd: str = ""
    youngest_age_min: str = ""
    youngest_age_max: str = ""
    youngest_gender: str = ""
    youngest_withheld: str = ""
    period_kind: str = ""
    is_total: str = ""
    evidence_quote: str = ""
    evidence_start: str = ""
    evidence_end: str = ""
    evidence_part: str = ""
    evidence_locator: str = ""
    readers: str = ""
    agreed: str = ""
    flagged: str = ""

    @classmethod
    def columns(cls) -> list[str]:
        """The CSV header, in order."""
        return [f.name for f in fields(cls)]


@dataclass
class ReplyFact:
    """A fact (from ``eval.facts.flatten``) tied to the record item it came from."""

    fact: Fact
    item: Any  # the record item (OffenceCount, Cell, ...) or None for a scalar field
    evidence: list[Evidence]
    readers: list[str]
    flagged: bool


_SCALARS = ("force", "reference", "outcome", "data_in_attachment")


def _scalar_sources(record: GoldRecord) -> Iterator[tuple[str, Any]]:
    # Mirrors eval.facts._scalar: a scalar yields a fact unless it is None or an empty list.
    for name in _SCALARS:
        value = getattr(record, name)
        if value is None or (isinstance(value, list) and not [v for v in value if v is not None]):
            continue
        yield name, None


def _sources(record: GoldRecord) -> list[tuple[str, Any]]:
    """(kind, item) in the order ``eval.facts.flatten`` emits its facts."""
    out = list(_scalar_sources(record))
    out += [("offence_code", code) for code in record.offence_codes]
    out += [("offences", o) for o in record.offences]
    out += [("victims", c) for c in record.victims]
    out += [("suspects", c) for c in record.suspects]
    out += [("platforms", p) for p in record.platforms]
    out += [("outcomes_by_type", o) for o in record.outcomes_by_type]
    if record.youngest_victim is not None:
        out.append(("youngest_victim", record.youngest_victim))
    out += [("exemption", e) for e in record.exemptions]
    return out


def _code_evidence(record: GoldRecord, index: int, code: str) -> list[Evidence]:
    ev = record.evidence.get(f"offence_codes.{index}") or record.evidence.get(
        f"offence_codes[{index}]")
    if ev:
        return ev
    shared = record.evidence.get("offence_codes", [])
    digits = re.sub(r"\D", "", code)
    mine = [e for e in shared if digits and digits in re.sub(r"\D", "", e.quote)]
    return mine or shared


def _evidence(record: GoldRecord, kind: str, item: Any, code_index: int) -> list[Evidence]:
    if kind in _SCALARS:
        return list(record.evidence.get(kind, []))
    if kind == "offence_code":
        return _code_evidence(record, code_index, item)
    return list(getattr(item, "evidence", []))


def _overlaps(a: list[Evidence], b: list[Evidence]) -> bool:
    return any((x.start < y.end and y.start < x.end) or (x.start, x.end) == (y.start, y.end)
               for x in a for y in b)


def reply_facts(record: GoldRecord) -> list[ReplyFact]:
    """Every fact of a record with its item, evidence, readers and flag status."""
    facts = flatten(record)
    sources = _sources(record)
    if [f.kind for f in facts] != [k for k, _ in sources]:
        raise RuntimeError("eval.facts.flatten changed its order; update extract.outputs")
    flag_ev = [f.evidence for f in record.flags if f.evidence]
    out = []
    code_index = 0
    for fact, (kind, item) in zip(facts, sources, strict=True):
        ev = _evidence(record, kind, item, code_index)
        code_index += kind == "offence_code"
        readers = list(getattr(item, "readers", []) or [])
        flagged = bool(ev) and any(_overlaps(ev, fe) for fe in flag_ev)
        out.append(ReplyFact(fact, item, ev, readers, flagged))
    return out


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " | ".join(_str(v) for v in value)
    return str(getattr(value, "value", value))


def _item_columns(kind: str, item: Any, fact: Fact) -> dict[str, str]:
    cols: dict[str, str] = {}
    period = getattr(item, "period", None)
    if period is not None:
        cols.update(period_start=period.start.isoformat(), period_end=period.end.isoformat(),
                    period_kind=period_kind(period.start, period.end))
    if kind in ("offences", "victims", "suspects", "platforms", "outcomes_by_type"):
        cols.update(count=_str(item.count), suppressed=_str(item.suppressed))
    if kind == "offences":
        cols["code"] = _str(item.code)
    elif kind in ("victims", "suspects"):
        cols.update(gender=_str(item.gender), age=item.age)
    elif kind == "platforms":
        cols.update(platforms="; ".join(item.platforms), label=item.label,
                    method=_str(item.method))
    elif kind == "outcomes_by_type":
        cols["outcome_type"] = _str(item.outcome)
    elif kind == "offence_code":
        cols["code"] = fact.key[0]
    elif kind == "exemption":
        cols.update(section=item.section, ncnd=_str(item.ncnd))
    elif kind == "youngest_victim":
        # Columns, not a tuple's text: a spreadsheet can filter and sort them.
        cols.update(youngest_age_min=_str(item.age_min), youngest_age_max=_str(item.age_max),
                    youngest_gender=_str(item.gender), youngest_withheld=_str(item.withheld))
    else:
        cols["value"] = _str(fact.value)
    return cols


def fact_row(record: GoldRecord, rf: ReplyFact) -> FactRow:
    """The facts.csv row of one fact."""
    ev = rf.evidence
    row = FactRow(
        doc_id=record.doc_id, force=_str(record.force), reference=_str(record.reference),
        kind=rf.fact.kind,
        evidence_quote=" … ".join(e.quote for e in ev),
        evidence_start=str(ev[0].start) if ev else "",
        evidence_end=str(ev[0].end) if ev else "",
        evidence_part=_str(ev[0].part) if ev else "",
        evidence_locator=_str(ev[0].locator) if ev else "",
        readers=";".join(rf.readers),
        agreed=_str({"rules", "llm"} <= set(rf.readers)),
        flagged=_str(rf.flagged),
    )
    for name, value in _item_columns(rf.fact.kind, rf.item, rf.fact).items():
        setattr(row, name, value)
    if rf.fact.kind in COUNTED_KINDS:
        row.is_total = _str(is_total(record, rf.fact.kind, rf.item))
    if rf.fact.kind in _SCALARS:
        row.value = _str(getattr(record, rf.fact.kind))  # as written, not eval's folded form
    return row


def parse_records(objs: Iterable[dict[str, Any]]) -> tuple[list[GoldRecord], list[str]]:
    """Validate record dicts; a bad one becomes a warning, not an exception."""
    out, warnings = [], []
    for obj in objs:
        try:
            out.append(GoldRecord.model_validate(obj))
        except ValidationError as exc:
            warnings.append(f"record {obj.get('doc_id')!r} is not a valid record: "
                            f"{exc.error_count()} error(s), first: {exc.errors()[0]['msg']}")
    return out, warnings


def facts_csv(records: Iterable[GoldRecord]) -> str:
    """The tidy long table of all facts of these records, as CSV text."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FactRow.columns(), lineterminator="\n")
    writer.writeheader()
    for record in sorted(records, key=lambda r: r.doc_id):
        for rf in reply_facts(record):
            writer.writerow(asdict(fact_row(record, rf)))
    return buf.getvalue()


def write_facts_csv(records: Iterable[GoldRecord], path: Path) -> None:
    """Regenerate facts.csv atomically (a reader never sees a half-written table)."""
    write_atomic(path, facts_csv(records))
