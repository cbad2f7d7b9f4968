"""Bulk runs: many replies in, ``records.jsonl`` + ``facts.csv`` + ``errors.jsonl`` +
``summary.json`` + ``docs/<doc_id>.txt`` out, resumable after a kill.

Replies are dispatched by an executor (:mod:`extract.executors`: threads here, or Ray
tasks); this process writes each outcome as it arrives. Each finished reply is written at
once (see :mod:`extract.outputs` for the durability rules); a rerun skips a reply whose
input hash and config hash match its stored record, unless ``force``.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import json
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TextIO

from extract.document import Document
from extract.errors import ExtractError, Interrupted, LLMError
from extract.executors import Executor, Outcome
from extract.executors.local import LocalExecutor
from extract.outputs import (
    DOCS,
    ERRORS,
    FACTS,
    RECORDS,
    SUMMARY,
    JsonlStore,
    doc_text_name,
    parse_records,
    reply_facts,
    write_atomic,
    write_facts_csv,
)
from extract.rerun import (
    check_input_set,
    code_fingerprint,
    content_key,
    exclude_outputs,
    find_text_duplicates,
    input_set,
    is_duplicate,
    pointer_record,
    remove_stale,
    rules_fallback,
)
from extract.review import build_review
from schemas import SCHEMA_VERSION, Flag, Record


class ReplyLike(Protocol):
    """What the runner needs of a reply (``extract.grouping.ReplyInput`` has it)."""

    @property
    def doc_id(self) -> str: ...

    @property
    def paths(self) -> Sequence[Path]: ...

    @property
    def force(self) -> str | None: ...

    @property
    def reference(self) -> str | None: ...


Processor = Callable[[Any, Any], tuple[Record, Document]]

# Keys of a run config that do not change what a reply's record says.
_CONFIG_IGNORED = frozenset({"cache_dir", "api_key", "workers", "progress", "quiet"})
_SECRET_PATTERNS = (
    re.compile(r"sk-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"(?i)\b(bearer|api[_-]?key|authorization|token)\b([\s:=\"']+)"
               r"(?:bearer\s+)?[^\s\"',]{6,}"),
)
_MAX_MESSAGE = 500
EXIT_INTERRUPTED = 130  # what a shell reports for a program ended by SIGINT


def _package_version() -> str:
    try:
        return metadata.version("foi-extract")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sha256_json(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_hash(reply: ReplyLike) -> str:
    """sha256 of a reply's identity and its files' bytes (by base name; moving a folder
    does not change it). A missing file hashes as missing, so the reply is redone."""
    files = []
    for p in reply.paths:
        path = Path(p)
        digest = _file_sha256(path) if path.is_file() else "missing"
        files.append([path.name, digest])
    return _sha256_json({"doc_id": reply.doc_id, "force": reply.force,
                         "reference": reply.reference, "files": sorted(files)})


def _config_dict(config: Any) -> Any:
    if hasattr(config, "fingerprint"):
        return config.fingerprint()
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        return dataclasses.asdict(config)
    if hasattr(config, "model_dump"):
        return config.model_dump(mode="json")
    return config


def _strip_ignored(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_ignored(v) for k, v in obj.items() if k not in _CONFIG_IGNORED}
    if isinstance(obj, list | tuple):
        return [_strip_ignored(v) for v in obj]
    return obj


def config_hash(config: Any) -> str:
    """sha256 of everything in the run config that can change a record, plus the code.

    Uses ``config.fingerprint()`` when the config has one; otherwise its fields minus the
    ones that cannot change a record (cache dir, key, worker count). The code part is a
    hash of our .py files, prompts and vocabularies (the version stays 0.1.0 across edits).
    """
    return _sha256_json({"config": _strip_ignored(_config_dict(config)),
                         "version": _package_version(), "code": code_fingerprint(),
                         "schema_version": SCHEMA_VERSION})


def redact(message: str) -> str:
    """``message`` with secret env values and anything that looks like a key redacted."""
    for name, value in os.environ.items():
        if len(value) >= 8 and re.search(r"(?i)key|token|secret|password", name):
            message = message.replace(value, "[redacted]")
    message = _SECRET_PATTERNS[0].sub("[redacted]", message)
    return _SECRET_PATTERNS[1].sub(r"\1\2[redacted]", message)


def scrub(message: str) -> str:
    """One line, at most 500 characters, with anything that looks like a key redacted."""
    message = " ".join(redact(message).split())
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


class RedactingFilter(logging.Filter):
    """Redacts keys from log records (message, arguments and traceback) before output."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact(text)
        return True


_REDACT = RedactingFilter()


def redact_logs() -> None:
    """Send log output only through handlers that redact keys.

    Libraries log server error bodies (instructor at ERROR level), and some endpoints echo
    the API key in them. Without handlers Python prints warnings through its last-resort
    handler, which cannot be filtered, so a plain stderr handler stands in for it.
    """
    root = logging.getLogger()
    if not root.handlers:
        stderr = logging.StreamHandler()
        stderr.setLevel(logging.WARNING)
        root.addHandler(stderr)
    for handler in root.handlers:
        if _REDACT not in handler.filters:
            handler.addFilter(_REDACT)


# ---------------------------------------------------------------- progress


class Progress(Protocol):
    """Status reporting of a run (always to stderr)."""

    def start(self, total: int, skipped: int) -> None: ...

    def done(self, doc_id: str, status: str, detail: str = "") -> None: ...

    def close(self) -> None: ...


class NullProgress:
    """``--quiet``: say nothing."""

    def start(self, total: int, skipped: int) -> None:
        """Nothing."""

    def done(self, doc_id: str, status: str, detail: str = "") -> None:
        """Nothing."""

    def close(self) -> None:
        """Nothing."""


class LogProgress:
    """Plain log lines, one per reply (stderr is not a terminal)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = self.n = 0
        self._lock = threading.Lock()

    def start(self, total: int, skipped: int) -> None:
        """Announce the run."""
        self.total = total
        self._say(f"foi-extract: {total} replies to process, {skipped} unchanged (skipped)")

    def done(self, doc_id: str, status: str, detail: str = "") -> None:
        """One line per finished reply."""
        with self._lock:
            self.n += 1
            self._say(f"[{self.n}/{self.total}] {status} {doc_id}" + (f": {detail}" if detail
                                                                       else ""))

    def close(self) -> None:
        """Nothing to tidy."""

    def _say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class RichProgress:
    """A rich progress bar with counts and ETA (stderr is a terminal)."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichBar

        self.bar = RichBar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                           TextColumn("ETA"), TimeRemainingColumn(),
                           console=console or Console(stderr=True))
        self.counts: Counter[str] = Counter()
        self.task: Any = None

    def start(self, total: int, skipped: int) -> None:
        """Show the bar."""
        self.bar.start()
        self.task = self.bar.add_task("replies", total=total, counts=self._counts())
        if skipped:
            self.bar.console.print(f"{skipped} replies unchanged since the last run: skipped")

    def done(self, doc_id: str, status: str, detail: str = "") -> None:
        """Advance the bar; print failures above it."""
        self.counts[status] += 1
        if status == "failed":
            self.bar.console.print(f"[red]failed[/] {doc_id}: {detail}", markup=True,
                                   highlight=False)
        self.bar.update(self.task, advance=1, counts=self._counts())

    def _counts(self) -> str:
        return f"ok {self.counts['ok']}  failed {self.counts['failed']}"

    def close(self) -> None:
        """Stop the bar."""
        self.bar.stop()


def make_progress(quiet: bool = False, stream: TextIO | None = None) -> Progress:
    """No output when quiet, a bar on a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    if quiet:
        return NullProgress()
    if stream.isatty():
        return RichProgress()
    return LogProgress(stream)


# ---------------------------------------------------------------- the run


@dataclass
class RunSummary:
    """What a run did (also written to summary.json)."""

    total: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    wall_time_s: float = 0.0
    config_hash: str = ""
    usage: dict[str, float] = field(default_factory=dict)
    records_in_file: int = 0
    facts_by_kind: dict[str, int] = field(default_factory=dict)
    flags: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False
    left: int = 0  # replies not done because the run was interrupted
    removed: int = 0  # replies no longer given whose outputs were removed
    duplicates: dict[str, str] = field(default_factory=dict)  # later doc_id -> first doc_id
    llm_failed: list[str] = field(default_factory=list)  # written from the rules reader alone
    outputs_excluded: int = 0  # files under the output folder left out of the inputs

    @property
    def exit_code(self) -> int:
        """0 when every reply succeeded (or was skipped); 1 when any failed or had its model
        part fail (its rules record is written; a rerun retries the model); 130 (as for
        SIGINT) when the run was interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return 1 if self.failed or self.llm_failed else 0

    @property
    def done(self) -> int:
        """Replies with a result now: written, failed or unchanged."""
        return self.total - self.left

    def as_dict(self) -> dict[str, Any]:
        """The summary.json content."""
        return {
            "replies": {"total": self.total, "ok": self.ok, "failed": self.failed,
                        "skipped": self.skipped},
            "removed": self.removed,
            "duplicates": dict(sorted(self.duplicates.items())),
            "llm_failed": sorted(self.llm_failed),
            "wall_time_s": round(self.wall_time_s, 3),
            "config_hash": self.config_hash,
            "usage": self.usage,
            "dataset": {"records": self.records_in_file, "facts_by_kind": self.facts_by_kind,
                        "flags": self.flags},
            "failures": self.failures,
            "warnings": self.warnings,
            "interrupted": {"left": self.left} if self.interrupted else None,
        }


@contextmanager
def _exclusive(out_dir: Path) -> Iterator[None]:
    """Refuse a second run on the same output folder at the same time."""
    fh = open(out_dir / ".lock", "w")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExtractError(f"another run is writing to {out_dir}") from None
        yield
    finally:
        fh.close()


def _default_processor(reply: Any, config: Any) -> tuple[Record, Document]:
    from extract import pipeline  # late: the pipeline pulls in every stage

    return pipeline.process_reply(reply, config)


class _Run:
    """The state of one run (stores, hashes, counters) shared by the worker threads."""

    def __init__(self, out_dir: Path, config: Any, process: Processor, progress: Progress):
        self.out_dir, self.config, self.process, self.progress = (
            out_dir, config, process, progress)
        self.records = JsonlStore(out_dir / RECORDS)
        self.errors = JsonlStore(out_dir / ERRORS)
        self.cfg_hash = config_hash(config)
        self.summary = RunSummary(config_hash=self.cfg_hash)
        self.usage: Counter[str] = Counter()
        self.early: list[tuple[str, str]] = []
        self.order: list[str] = []  # doc_ids in input order ("the later one" is a duplicate)
        self.hashes: dict[str, str] = {}
        self.same_as: dict[str, str] = {}
        self.fallback: Any = None  # the rules-only config used when the model part fails
        self._lock = threading.Lock()

    def plan(self, replies: Sequence[ReplyLike], force: bool) -> list[tuple[ReplyLike, str]]:
        """The replies to (re)do, with their input hashes; count the skipped ones.

        A reply whose files repeat an earlier reply's is not read: it is listed in
        ``self.same_as`` and gets a pointer record once the first one is done.
        """
        todo: list[tuple[ReplyLike, str]] = []
        seen: set[str] = set()
        redone: set[str] = set()
        first: dict[str, str] = {}  # content key -> first doc_id with it
        for reply in replies:
            if reply.doc_id in seen:
                self.summary.warnings.append(
                    f"two inputs have doc_id {reply.doc_id!r}; only the first was processed")
                continue
            seen.add(reply.doc_id)
            h = self._hash(reply)
            if h is None:
                continue
            self.order.append(reply.doc_id)
            self.hashes[reply.doc_id] = h
            key = content_key(reply, _file_sha256)
            if key in first:
                self.same_as[reply.doc_id] = first[key]
                continue
            first[key] = reply.doc_id
            if self._unchanged(reply.doc_id, h, redone) and not force:
                self._skip(reply.doc_id)
            else:
                todo.append((reply, h))
                redone.add(reply.doc_id)
        return todo

    def _skip(self, doc_id: str) -> None:
        """Count an unchanged reply (a duplicate's pointer record counts as a duplicate)."""
        original = self.records.rows[doc_id].get("meta", {}).get("duplicate_of")
        if original:
            self.summary.duplicates[doc_id] = original
        else:
            self.summary.skipped += 1

    def _unchanged(self, doc_id: str, in_hash: str, redone: set[str]) -> bool:
        """Same input and config, model part not failed, and (for a duplicate found by its
        text) its original still given and not redone."""
        meta = self.records.rows.get(doc_id, {}).get("meta", {})
        if meta.get("input_hash") != in_hash or meta.get("config_hash") != self.cfg_hash:
            return False
        if meta.get("llm_failed"):  # retry the model part
            return False
        original = meta.get("duplicate_of")
        return not original or (original in self.order and original not in redone)

    def _hash(self, reply: ReplyLike) -> str | None:
        try:
            return input_hash(reply)
        except OSError as exc:
            self._fail(reply.doc_id, "LoadError", f"cannot read input: {exc.strerror or exc}",
                       report=False)
            return None

    def accept(self, reply: ReplyLike, in_hash: str, outcome: Outcome) -> None:
        """Write one reply's outcome (on the driver): its record, or its error line.

        An interrupted reply writes nothing: it is neither done nor failed, and a rerun
        does it again."""
        if outcome.status == "interrupted":
            return
        if outcome.status != "ok" or outcome.record is None or outcome.text is None:
            self._fail(reply.doc_id, outcome.error or "InternalError", outcome.message)
            return
        try:
            obj = self._finish(outcome, in_hash)
        except (OSError, ValueError) as exc:  # e.g. the disk is full: this reply fails
            self._fail(reply.doc_id, f"InternalError ({type(exc).__name__})", str(exc))
            return
        self.records.put(obj)
        self.errors.drop([reply.doc_id])
        with self._lock:
            self.summary.ok += 1
            self.usage.update(_usage(obj))
            if obj.get("meta", {}).get("llm_failed"):
                self.summary.llm_failed.append(reply.doc_id)
        self.progress.done(reply.doc_id, "ok", f"{len(reply_facts_safe(obj))} facts")

    def _finish(self, outcome: Outcome, in_hash: str) -> dict[str, Any]:
        assert outcome.record is not None and outcome.text is not None
        doc_id = str(outcome.record["doc_id"])
        name = doc_text_name(doc_id)
        write_atomic(self.out_dir / DOCS / name, outcome.text)  # before the record points at it
        obj = dict(outcome.record)
        obj["meta"] = {**obj.get("meta", {}), "input_hash": in_hash,
                       "config_hash": self.cfg_hash, "text_file": f"{DOCS}/{name}",
                       "text_sha256": hashlib.sha256(outcome.text.encode("utf-8")).hexdigest(),
                       "elapsed_s": round(outcome.elapsed_s, 3),
                       "finished_at": datetime.now(UTC).isoformat(timespec="seconds")}
        return obj

    def _fail(self, doc_id: str, kind: str, message: str, report: bool = True) -> None:
        line = {"doc_id": doc_id, "error": kind, "message": scrub(message),
                "at": datetime.now(UTC).isoformat(timespec="seconds")}
        self.errors.put(line)
        # A stale record would contradict the failure: the input or config changed.
        self.records.drop([doc_id])
        with self._lock:
            self.summary.failed += 1
            self.summary.failures.append({k: line[k] for k in ("doc_id", "error", "message")})
        if report:
            self.progress.done(doc_id, "failed", f"{kind}: {line['message']}")
        else:  # found while planning, before the progress display started
            self.early.append((doc_id, f"{kind}: {line['message']}"))


def _read_with_fallback(reply: Any, config: Any, process: Processor,
                        fallback: Any) -> tuple[Record, Document]:
    """The processor's record; when the model part fails, the rules record flagged
    ``llm_failed`` (listed in the summary; the next run retries it)."""
    try:
        return process(reply, config)
    except LLMError as exc:
        if fallback is None:
            raise
        reason = scrub(f"{type(exc).__name__}: {exc}")
        record, doc = process(reply, fallback)
    record.flags.append(Flag(code="llm_failed", message=(
        f"the model part failed ({reason}); this record is the rules reader's alone. "
        "Run again to retry the model")))
    record.meta["llm_failed"] = reason
    return record, doc


def work(reply: Any, config: Any, process: Processor, fallback: Any = None) -> Outcome:
    """One reply through ``process``, as plain data for the driver. Never raises.

    Runs wherever the executor puts it (a thread here, a Ray task elsewhere), so it writes
    nothing: the record travels back as a JSON-ready dict with the normalised text.
    """
    t0 = time.monotonic()
    try:
        record, doc = _read_with_fallback(reply, config, process, fallback)
        if record.doc_id != doc.doc_id:
            raise ExtractError(f"record doc_id {record.doc_id!r} != document {doc.doc_id!r}")
        return Outcome(doc_id=reply.doc_id, status="ok", elapsed_s=time.monotonic() - t0,
                       record=record.model_dump(mode="json"), text=doc.text)
    except Interrupted:
        return Outcome(doc_id=reply.doc_id, status="interrupted")
    except ExtractError as exc:
        return Outcome(doc_id=reply.doc_id, status="failed", error=type(exc).__name__,
                       message=str(exc))
    except Exception as exc:  # a bug must not stop the batch; report it per reply
        return Outcome(doc_id=reply.doc_id, status="failed",
                       error=f"InternalError ({type(exc).__name__})", message=str(exc))


def _usage(obj: dict[str, Any]) -> Counter[str]:
    usage = obj.get("meta", {}).get("usage") or {}
    return Counter({k: v for k, v in usage.items()
                    if isinstance(v, int | float) and not isinstance(v, bool)})


def reply_facts_safe(obj: dict[str, Any]) -> list[Any]:
    """The facts of a record dict, or [] when it is not a valid record."""
    records, _ = parse_records([obj])
    return reply_facts(records[0]) if records else []


def _mark_duplicates(run: _Run) -> None:
    """Pointer records for replies given twice: by file bytes (not read at all) and by
    force, reference and normalised text (read, then replaced). The first one keeps the
    figures; see :func:`extract.rerun.pointer_record`."""
    rows = run.records.rows
    for doc_id, original in run.same_as.items():
        if original not in rows:
            run._fail(doc_id, "DuplicateOfFailed", f"the same files as {original}, which "
                      "has no record")
            continue
        _put_pointer(run, doc_id, original, "file contents")
    for doc_id, original in find_text_duplicates(run.order, rows).items():
        _put_pointer(run, doc_id, original, "force, reference and text")


def _put_pointer(run: _Run, doc_id: str, original: str, by: str) -> None:
    """Write doc_id's pointer record to ``original`` (its text file is the original's)."""
    source = run.records.rows[original]
    meta = {k: v for k, v in source.get("meta", {}).items() if k != "usage"}
    meta.update(input_hash=run.hashes[doc_id], config_hash=run.cfg_hash)
    pointer = pointer_record(source, doc_id, meta, by)
    if run.records.rows.get(doc_id) != pointer:  # unchanged since the last run: no rewrite
        run.records.put(pointer)
    run.errors.drop([doc_id])
    run.summary.duplicates[doc_id] = original


def _finalise(run: _Run, started: float) -> RunSummary:
    """facts.csv and summary.json from the whole records.jsonl (never half-written)."""
    records, warnings = parse_records(o for o in run.records.rows.values()
                                      if not is_duplicate(o))
    write_facts_csv(records, run.out_dir / FACTS)
    s = run.summary
    s.warnings += run.records.warnings + run.errors.warnings + warnings
    s.records_in_file = len(records)
    kinds: Counter[str] = Counter(rf.fact.kind for r in records for rf in reply_facts(r))
    s.facts_by_kind = dict(sorted(kinds.items()))
    s.flags = sum(len(r.flags) for r in records)
    s.usage = {k: round(v, 6) for k, v in sorted(run.usage.items())}
    s.wall_time_s = time.monotonic() - started
    try:
        _, review_warnings = build_review(run.out_dir)
        s.warnings += review_warnings
    except (OSError, ValueError) as exc:  # the dataset stands without its review page
        s.warnings.append(f"review.html not written: {scrub(str(exc))}")
    write_atomic(run.out_dir / SUMMARY, json.dumps(s.as_dict(), indent=2) + "\n")
    return s


@contextmanager
def _sigint_stops(stop: threading.Event, abandon: threading.Event) -> Iterator[None]:
    """While dispatching, Ctrl-C sets ``stop`` (a second one ``abandon``) instead of raising
    KeyboardInterrupt at a random point of the driver, e.g. half-way through a write."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def handler(signum: int, frame: Any) -> None:
        (abandon if stop.is_set() else stop).set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _dispatch(run: _Run, todo: list[tuple[ReplyLike, str]], executor: Executor,
              stop: threading.Event) -> int:
    """Run every reply through the executor, writing each outcome as it arrives; the number
    of replies left undone (non-zero only after Ctrl-C)."""
    abandon = threading.Event()
    task = functools.partial(work, config=run.config, process=run.process,
                             fallback=run.fallback)
    left = len(todo)
    with _sigint_stops(stop, abandon):
        watcher = threading.Thread(target=_abort_pdfs_on, args=(stop, abandon), daemon=True)
        watcher.start()
        for i, outcome in executor.results([r for r, _ in todo], task, stop, abandon):
            run.accept(todo[i][0], todo[i][1], outcome)
            if outcome.status != "interrupted":
                left -= 1
        abandon.set()  # ends the watcher
    return left if stop.is_set() else 0


def _abort_pdfs_on(stop: threading.Event, abandon: threading.Event) -> None:
    """After Ctrl-C, end PDF parses in progress now (their workers are killed) rather than
    waiting up to ``reply_timeout_s`` for them."""
    while not (stop.wait(0.1) or abandon.is_set()):
        pass
    if stop.is_set():
        from extract.load import pdf_pool

        pdf_pool.shutdown()  # waits end with Interrupted; a later run in this process starts afresh


def _true_to_inputs(run: _Run, replies: Sequence[ReplyLike], force: bool,
                    sources: Sequence[Path] | None) -> Sequence[ReplyLike]:
    """Leave the output folder out of the inputs, refuse another input set (unless force)
    and remove the outputs of replies no longer given. Returns the replies to plan."""
    replies, run.summary.outputs_excluded = exclude_outputs(replies, run.out_dir)
    check_input_set(run.out_dir, input_set(replies, sources), bool(run.records.rows), force)
    run.summary.removed = remove_stale(run.records, run.errors, run.out_dir,
                                       (r.doc_id for r in replies))
    return replies


def run_batch(replies: Sequence[ReplyLike], config: Any, out_dir: Path, workers: int = 4,
              force: bool = False, progress: Progress | None = None,
              process: Processor | None = None, executor: Executor | None = None,
              stop: threading.Event | None = None, sources: Sequence[Path] | None = None,
              llm_fallback: bool = True) -> RunSummary:
    """Process replies into out_dir; skip unchanged ones unless force. Never raises for one
    bad reply: it becomes a line of errors.jsonl. ``process`` defaults to the pipeline,
    ``executor`` to threads of this process. Ctrl-C (or setting ``stop``) ends the run early:
    the summary says ``interrupted`` and how many replies were left.

    ``sources`` (the paths the user gave) identify the input set: another set into a used
    folder raises :class:`extract.rerun.InputSetChanged` unless force. With
    ``llm_fallback`` a reply whose model part fails is written from the rules reader.
    """
    started = time.monotonic()
    redact_logs()
    progress = progress or NullProgress()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / DOCS).mkdir(exist_ok=True)
    with _exclusive(out_dir):
        run = _Run(out_dir, config, process or _default_processor, progress)
        run.fallback = rules_fallback(config) if llm_fallback else None
        run.records.open()
        run.errors.open()
        try:
            replies = _true_to_inputs(run, replies, force, sources)
        except ExtractError:
            run.records.close()
            run.errors.close()
            raise
        run.summary.total = len(replies)
        try:
            todo = run.plan(replies, force)
            progress.start(len(todo) + len(run.early), run.summary.skipped)
            for doc_id, detail in run.early:
                progress.done(doc_id, "failed", detail)
            stop = stop or threading.Event()
            run.summary.left = _dispatch(run, todo, executor or LocalExecutor(workers), stop)
            run.summary.interrupted = stop.is_set()
            _mark_duplicates(run)
        finally:
            progress.close()
            run.records.close()
            run.errors.close()
        return _finalise(run, started)
