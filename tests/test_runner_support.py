"""Shared helpers for the runner/review/summarize tests: a small, honest fake processor.

The fake reads the example replies' year tables (``2013<TAB>12``) and their reference into a
Record with real evidence offsets, so the writers can be tested before and apart from the
real pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extract.document import Document
from extract.errors import LoadError
from schemas import Evidence, Flag, OffenceCount, Period, Record

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "replies"
_YEAR_ROW = re.compile(r"^(20\d\d)\*?\t(\d+)$", re.M)
_REF = re.compile(r"Reference:?\s*(\S+)")


@dataclass
class FakeReply:
    """The shape of extract.grouping.ReplyInput."""

    doc_id: str
    paths: list[Path]
    force: str | None = None
    reference: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def replies_in(folder: Path) -> list[FakeReply]:
    """One reply per .txt file."""
    return [FakeReply(p.stem, [p]) for p in sorted(folder.glob("*.txt"))]


def _ev(doc: Document, start: int, end: int) -> Evidence:
    return doc.evidence(start, end)


def fake_process(reply: FakeReply, config: object) -> tuple[Record, Document]:
    """Read year/count rows and the reference, with evidence; flag a count over 10."""
    raw = reply.paths[0].read_text(encoding="utf-8")
    if "CORRUPT" in raw:
        raise LoadError(f"{reply.paths[0].name}: the file is corrupt")
    doc = Document(doc_id=reply.doc_id, text=raw)
    offences, flags = [], []
    for m in _YEAR_ROW.finditer(raw):
        year = int(m.group(1))
        ev = [_ev(doc, m.start(2), m.end(2))]
        offences.append(OffenceCount(period=Period(start=date(year, 1, 1),
                                                   end=date(year, 12, 31)),
                                     count=int(m.group(2)), evidence=ev, readers=["rules"]))
        if int(m.group(2)) > 10:
            flags.append(Flag(code="big", message="count over 10", evidence=ev))
    ref = _REF.search(raw)
    evidence = {"reference": [_ev(doc, ref.start(1), ref.end(1))]} if ref else {}
    record = Record(doc_id=reply.doc_id, outcome="full",
                    reference=ref.group(1) if ref else None, force=reply.force,
                    offences=offences, evidence=evidence, flags=flags,
                    meta={"usage": {"input_tokens": 100, "output_tokens": 10,
                                    "cost_usd": 0.001, "cache_hits": 1}})
    return record, doc
