"""``batch collect``: Batch API result files -> the LLM cache -> the same outputs as ``run``.

Each result is validated exactly as the live reader validates an answer
(:func:`extract.llm.parse.parse_completion`, then salvage: a batch answer gets no re-ask)
and stored in the LLM cache under the key the
live reader uses. The records are then made by the ordinary runner and pipeline, reading
the model's answers from that cache only: collect never calls a model, and a chunk with no
usable answer fails its reply with a clear error (the other replies are written).

Problems with the result files go to ``batch_errors.jsonl``, one line each; the retryable
ones (a missing answer, a failed request, an answer that failed validation) are re-prepared
by ``batch prepare --retry-failed``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extract.document import Document
from extract.errors import ExtractError, LLMError
from extract.grouping import ReplyInput
from extract.llm.cache import LLMCache
from extract.llm.parse import AnswerInvalid, CutOff, add_usage, parse_completion, salvage
from extract.llm.requests import LLMRequest
from extract.llm.usage import Usage
from extract.outputs import write_atomic
from extract.pipeline import RunConfig, process_reply
from extract.readers.llm import Leaf, mark_cut_off, store_leaves
from extract.runner import Progress, RunSummary, run_batch, scrub
from schemas import Record

from .plan import plan, quiet_instructor
from .wire import split_custom_id

BATCH_ERRORS = "batch_errors.jsonl"
BATCH_SUMMARY = "batch_summary.json"
RETRYABLE = frozenset({"missing_result", "request_failed", "invalid_answer",
                       "validation_failed", "cut_off"})
# The Batch API bills half the synchronous price.
BATCH_PRICE_FACTOR = 0.5


@dataclass
class BatchIssue:
    """One problem with the result files (a line of batch_errors.jsonl)."""

    kind: str
    message: str
    custom_id: str | None = None
    doc_id: str | None = None
    chunk_id: str | None = None
    file: str | None = None
    line: int | None = None


@dataclass
class Expected:
    """A chunk collect expects an answer for."""

    doc_id: str
    chunk_id: str
    key: str
    request: LLMRequest


@dataclass
class CollectReport:
    """What collect read, stored and wrote."""

    lines: int = 0
    stored: int = 0
    issues: list[BatchIssue] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    summary: RunSummary | None = None

    def as_dict(self) -> dict[str, Any]:
        """The batch_summary.json content."""
        cost = self.usage.cost_usd()
        return {"result_lines": self.lines, "answers_stored": self.stored,
                "issues": dict(Counter(i.kind for i in self.issues)),
                "retryable": sum(i.kind in RETRYABLE for i in self.issues),
                "usage": {**self.usage.as_dict(),
                          "cost_usd": None if cost is None else cost * BATCH_PRICE_FACTOR,
                          "price_factor": BATCH_PRICE_FACTOR}}


class AnswersOnly:
    """The LLM cache as collect lets the reader see it: a miss is an error, not a call."""

    def __init__(self, cache: LLMCache, ids_by_key: dict[str, str]) -> None:
        self.cache, self.ids_by_key = cache, ids_by_key

    def get(self, key: str) -> str | None:
        """The stored answer; LLMError (naming the request) when there is none."""
        row = self.cache.get(key)
        if row is None:
            cid = self.ids_by_key.get(key, f"with cache key {key[:16]}")
            raise LLMError(f"no usable batch answer for request {cid} (see {BATCH_ERRORS}; "
                           "re-prepare with `foi-extract batch prepare --retry-failed`)")
        return row

    def set(self, key: str, value: str) -> None:
        """Store an answer."""
        self.cache.set(key, value)


def read_lines(paths: Sequence[Path]) -> Iterator[tuple[str, int, Any, str | None]]:
    """(file name, line number, parsed JSON or None, parse error) for each non-blank line."""
    for path in paths:
        with open(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    yield path.name, n, json.loads(raw), None
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    yield path.name, n, None, f"not JSON: {exc}"


def result_body(obj: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, bool]:
    """(completion body, problem, malformed) of one Batch API output or error line."""
    error, response = obj.get("error"), obj.get("response")
    if isinstance(error, dict):
        return None, f"request failed: {error.get('code')}: {error.get('message')}", False
    if not isinstance(response, dict):
        return None, "line has neither a response object nor an error", True
    status, body = response.get("status_code"), response.get("body")
    if status != 200:
        detail = body.get("error", {}) if isinstance(body, dict) else {}
        message = detail.get("message") if isinstance(detail, dict) else None
        return None, f"request failed with HTTP {status}: {message or body!r:.200}", False
    if not isinstance(body, dict):
        return None, "response has no JSON body", True
    return body, None, False


class _Ingest:
    """Reads result lines into the cache, noting every problem."""

    def __init__(self, expected: dict[str, Expected], config: RunConfig, cache: LLMCache,
                 report: CollectReport) -> None:
        self.expected, self.config, self.cache, self.report = expected, config, cache, report
        self.answered: set[str] = set()
        self.failed: set[str] = set()
        self.doc_ids = {e.doc_id for e in expected.values()}

    def issue(self, kind: str, message: str, cid: str | None = None, file: str | None = None,
              line: int | None = None) -> None:
        """Note a problem (secrets scrubbed from the message)."""
        exp = self.expected.get(cid or "")
        self.report.issues.append(BatchIssue(
            kind, scrub(message), cid, exp.doc_id if exp else None,
            exp.chunk_id if exp else None, file, line))

    def line(self, file: str, n: int, obj: Any, problem: str | None) -> None:
        """Take one result line: store its answer or note why not."""
        self.report.lines += 1
        cid = obj.get("custom_id") if isinstance(obj, dict) else None
        if problem is not None or not isinstance(cid, str):
            self.issue("malformed_line", problem or "no custom_id string", None, file, n)
            return
        if cid not in self.expected:
            self.issue("unknown_custom_id", self._unknown(cid), cid, file, n)
            return
        if cid in self.answered:
            self.issue("duplicate_result", "a second result for this request; the first was "
                       "kept", cid, file, n)
            return
        body, why, malformed = result_body(obj)
        if body is None:
            self.failed.add(cid)
            self.issue("malformed_line" if malformed else "request_failed", why or "", cid,
                       file, n)
            return
        self._store(cid, body, file, n)

    def _unknown(self, cid: str) -> str:
        parts = split_custom_id(cid)
        if parts and parts[0] in self.doc_ids:
            return (f"no request of reply {parts[0]!r} has this id: its chunks, prompts, model "
                    "or settings changed since prepare; re-prepare it")
        return "no reply in the inputs has this custom_id (wrong --inputs, or not ours)"

    def _store(self, cid: str, body: dict[str, Any], file: str, n: int) -> None:
        exp = self.expected[cid]
        req = exp.request
        try:
            add_usage(self.report.usage, self.config.llm.model, body)
            try:
                result = parse_completion(req.answer_model, req.context, body)
            except AnswerInvalid as bad:  # one exchange per line: no re-ask, keep what holds
                result = salvage(req.answer_model, req.context, bad.raw)
                result.dropped = result.dropped or [str(bad)[:300]]
        except CutOff as exc:
            # Not used; marked so that `prepare --retry-failed` writes the split parts.
            mark_cut_off(self.cache, exp.key, str(exc))
            self.failed.add(cid)
            self.issue("cut_off", f"answer stopped at max_tokens, not used: {exc}; "
                       "re-prepare to ask for it in smaller parts", cid, file, n)
            return
        except Exception as exc:  # any unusable body is this line's problem, not the batch's
            self.failed.add(cid)
            self.issue("invalid_answer", f"answer not usable: {type(exc).__name__}: {exc}",
                       cid, file, n)
            return
        store_leaves(self.cache, exp.key, [Leaf(req.spec, result.answer, result.dropped)])
        self.answered.add(cid)
        self.report.stored += 1
        if result.dropped:
            self.issue("validation_failed", "kept what validated; dropped: "
                       + "; ".join(result.dropped), cid, file, n)

    def missing(self) -> None:
        """A missing_result issue for each expected request with no answer anywhere."""
        done_keys: set[str] = set()
        for cid, exp in self.expected.items():
            if exp.key in done_keys or cid in self.failed:
                done_keys.add(exp.key)
                continue
            done_keys.add(exp.key)
            if cid not in self.answered and self.cache.get(exp.key) is None:
                self.issue("missing_result", "no result line for this request in the result "
                           "files, and no earlier answer in the cache", cid)


def expected_requests(replies: Sequence[ReplyInput], config: RunConfig) -> dict[str, Expected]:
    """custom_id -> what its answer is checked against and stored under, for every chunk."""
    out: dict[str, Expected] = {}
    for planned in plan(replies, config, cache=config.cache):
        for pc in planned.chunks:
            out[pc.custom_id] = Expected(pc.doc_id, pc.chunk_id, pc.request.key, pc.request)
    return out


def _process_collected(reply: Any, config: Any) -> tuple[Record, Document]:
    record, doc = process_reply(reply, config)
    record.meta["collected_from_batch"] = True
    return record, doc


def _write_issues(out: Path, issues: list[BatchIssue]) -> None:
    lines = [json.dumps(asdict(i), ensure_ascii=True) + "\n" for i in issues]
    write_atomic(out / BATCH_ERRORS, "".join(lines))


def collect(results: Sequence[Path], replies: Sequence[ReplyInput], config: RunConfig,
            out: Path, *, workers: int = 4, progress: Progress | None = None) -> CollectReport:
    """Store the answers in ``results`` and write the run outputs for ``replies`` to ``out``.

    ``config.cache`` must be an open :class:`LLMCache`. Every record is rebuilt from the
    cache (collect calls no model, so this is cheap), so answers re-collected after a retry
    replace what an earlier collect wrote.
    """
    if not isinstance(config.cache, LLMCache):
        raise ExtractError("batch collect needs an LLM cache to store the answers in")
    report = CollectReport()
    expected = expected_requests(replies, config)
    ingest = _Ingest(expected, config, config.cache, report)
    with quiet_instructor():
        for file, n, obj, problem in read_lines(results):
            ingest.line(file, n, obj, problem)
    ingest.missing()
    out.mkdir(parents=True, exist_ok=True)
    _write_issues(out, report.issues)
    ids_by_key: dict[str, str] = {}
    for cid, exp in expected.items():
        ids_by_key.setdefault(exp.key, cid)
    view = RunConfig(backend="llm", limits=config.limits, llm=config.llm,
                     cache=AnswersOnly(config.cache, ids_by_key),
                     chunk_tokens=config.chunk_tokens)
    # No rules fallback: a reply without its answers fails and is listed for --retry-failed.
    report.summary = run_batch(replies, view, out, workers=workers, force=True,
                               progress=progress, process=_process_collected,
                               llm_fallback=False)
    write_atomic(out / BATCH_SUMMARY, json.dumps(report.as_dict(), indent=2) + "\n")
    return report


def retry_ids(collect_dir: Path) -> set[str]:
    """The custom_ids a collect listed as retryable (missing, failed, invalid answers)."""
    path = collect_dir / BATCH_ERRORS
    if not path.is_file():
        raise ExtractError(f"{collect_dir} has no {BATCH_ERRORS}: run `foi-extract batch "
                           "collect` into it first")
    ids: set[str] = set()
    for _, n, obj, problem in read_lines([path]):
        if problem is not None or not isinstance(obj, dict):
            raise ExtractError(f"{path}:{n}: not a batch error line ({problem})")
        if obj.get("kind") in RETRYABLE and isinstance(obj.get("custom_id"), str):
            ids.add(obj["custom_id"])
    return ids
