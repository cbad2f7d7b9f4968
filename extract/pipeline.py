"""One reply through every stage: load -> normalise -> tables -> read -> merge -> validate.

The orchestrator only calls stages; each stage lives in its own module.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar

from extract.document import Document
from extract.errors import LoadError, ReplyTimeout
from extract.grouping import ReplyInput
from extract.injection import guard_injection
from extract.limits import Limits
from extract.load import load_files
from extract.load.ocr import OCR_NOTE
from extract.merge import conflict_flags
from extract.normalise import normalise
from extract.readers.rules import read_rules
from extract.tables import find_tables
from schemas import Evidence, Flag, Record

Backend = Literal["rules", "llm"]
T = TypeVar("T")


@dataclass
class RunConfig:
    """How replies are read. Its hash (with the input hash) decides whether a rerun redoes one."""

    backend: Backend = "rules"
    limits: Limits = field(default_factory=Limits)
    llm: Any = None  # extract.llm.config.LLMConfig when backend == "llm"
    cache: Any = None  # an LLM response cache shared by the run's workers
    chunk_tokens: int = 1500

    def fingerprint(self) -> str:
        """A short hash of everything that changes what a reply's record would be."""
        data: dict[str, Any] = {"backend": self.backend, "limits": asdict(self.limits),
                                "chunk_tokens": self.chunk_tokens, "schema_version": 1}
        if self.backend == "llm" and self.llm is not None:
            data["llm"] = self.llm.fingerprint()
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def prepare(reply: ReplyInput, limits: Limits) -> Document:
    """Load and normalise a reply, then find its tables. Raises LoadError when nothing is usable."""
    loaded = load_files(list(reply.paths), limits)
    doc = normalise(reply.doc_id, loaded, limits)
    if not doc.text.strip():
        reason = "; ".join(loaded.errors) or "no text in the reply"
        raise LoadError(f"{reply.doc_id}: {reason}")
    doc.tables = find_tables(doc)
    cap_tables(doc, limits.max_table_cells)
    return doc


def cap_tables(doc: Document, max_cells: int) -> None:
    """Cut each table to the rows that fit in ``max_cells`` (with a warning).

    Loaders cap their own grids; this also covers tables found in the text, where a long
    tab-separated dump would otherwise make the readers crawl.
    """
    kept_tables = []
    for t in doc.tables:
        cells, keep = 0, 0
        for row in t.rows:
            cells += max(1, len(row))
            if cells > max_cells:
                break
            keep += 1
        if keep < len(t.rows):
            doc.warnings.append(f"table {t.id}: over {max_cells:,} cells; only its first "
                                f"{keep} rows were read")
            t.rows = t.rows[:keep]
            t.total_rows = {r for r in t.total_rows if r < keep}
            t.header_rows = min(t.header_rows, keep)
            t.end = max((c.end for c in t.rows[-1]), default=t.start) if keep else t.start
        if keep:
            kept_tables.append(t)
    doc.tables = kept_tables


def _apply_manifest(record: Record, reply: ReplyInput) -> None:
    """A manifest's force and reference stand where the text names none."""
    if reply.force and record.force is None:
        record.force = reply.force
        record.evidence.setdefault("force", [])
    if reply.reference and record.reference is None:
        record.reference = reply.reference


def _doc_flags(doc: Document) -> list[Flag]:
    # A page read by OCR is an `ocr` flag (with its mean word confidence): its figures
    # deserve a closer look than those of a text layer.
    return [Flag(code="ocr" if OCR_NOTE in w else "load_warning", message=w)
            for w in doc.warnings] + [Flag(code="load_error", message=e) for e in doc.errors]


def read(doc: Document, config: RunConfig) -> tuple[Record, dict[str, Any]]:
    """Run the configured readers over a prepared Document: (record, usage)."""
    if config.backend != "llm":
        return read_rules(doc), {}
    from extract.merge import merge
    from extract.readers.llm import read_llm, rules_inputs

    rules, rules_maps = rules_inputs(doc)
    llm_record, usage = read_llm(doc, rules, config.llm, config.cache, rules_maps=rules_maps)
    return merge(rules, llm_record), usage.as_dict()


def process_reply(reply: ReplyInput, config: RunConfig) -> tuple[Record, Document]:
    """Read one reply into a validated Record (raises ExtractError subclasses on failure).

    Raises ReplyTimeout when the reply takes longer than ``limits.reply_timeout_s``.
    """
    return with_deadline(lambda: _process(reply, config), config.limits.reply_timeout_s,
                         reply.doc_id)


def with_deadline(fn: Callable[[], T], timeout_s: float, what: str) -> T:
    """``fn()`` in a daemon thread; ReplyTimeout if it has not returned after ``timeout_s``.

    A Python thread cannot be killed: a reply that overruns is abandoned (its result is
    dropped) and the batch moves on. Every stage that can block has its own bound (PDF
    parsing runs in a killable child; model calls have timeouts and capped attempts), so an
    abandoned thread ends by itself.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=target, name=f"reply:{what}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise ReplyTimeout(f"{what}: took longer than {timeout_s:g} s (reply_timeout_s); "
                           "abandoned")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _process(reply: ReplyInput, config: RunConfig) -> tuple[Record, Document]:
    doc = prepare(reply, config.limits)
    record, usage = read(doc, config)
    guard_injection(record, doc)
    record.flags += conflict_flags(record)  # after the guard: an injected 999 is no conflict
    _apply_manifest(record, reply)
    record.flags = _doc_flags(doc) + record.flags
    record.meta.update({"backend": config.backend, "input_hash": doc.input_hash,
                        "config_hash": config.fingerprint(), "usage": usage,
                        "sources": [str(p) for p in reply.paths]})
    check_grounding(record, doc)
    return Record.model_validate(record.model_dump()), doc


def _all_evidence(record: Record) -> list[Evidence]:
    items: list[Any] = [*record.offences, *record.victims, *record.suspects, *record.platforms,
                        *record.outcomes_by_type, *record.exemptions]
    if record.youngest_victim:
        items.append(record.youngest_victim)
    evs = [e for item in items for e in item.evidence]
    return evs + [e for lst in record.evidence.values() for e in lst]


def check_grounding(record: Record, doc: Document) -> None:
    """Every evidence span must quote the normalised text exactly (a broken span is a bug)."""
    for ev in _all_evidence(record):
        if doc.text[ev.start:ev.end] != ev.quote:
            record.flags.append(Flag(code="bad_evidence", message=(
                f"evidence at {ev.start}-{ev.end} does not match the text"), evidence=[ev]))
