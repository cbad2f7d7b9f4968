"""``batch prepare``: the Batch API input file(s) for every chunk not answered yet.

Lines are split over several files under the API's limits (lines and bytes per file); a
``<name>.manifest.json`` beside them says what was written and with which configuration.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.errors import ExtractError
from extract.grouping import ReplyInput
from extract.llm.cache import LLMCache
from extract.outputs import write_atomic
from extract.pipeline import RunConfig

from .plan import PlannedChunk, plan

# The Batch API's limits for one input file.
MAX_LINES = 50_000
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class PrepareReport:
    """What ``prepare`` wrote and why it left chunks out."""

    files: list[Path] = field(default_factory=list)
    requests: int = 0
    cached: int = 0
    duplicates: int = 0
    not_retried: int = 0
    replies: int = 0
    reply_errors: dict[str, str] = field(default_factory=dict)
    manifest: Path | None = None


class PartWriter:
    """Writes JSONL lines into numbered part files, none over ``max_lines`` or ``max_bytes``.

    Parts are written under hidden temporary names and renamed at the end: the single part
    becomes ``out`` itself, several become ``<stem>-001<suffix>``, ``<stem>-002<suffix>``...
    """

    def __init__(self, out: Path, max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES):
        self.out, self.max_lines, self.max_bytes = out, max_lines, max_bytes
        self.parts: list[Path] = []
        self.counts: list[tuple[int, int]] = []  # (lines, bytes) per part
        self._fh: Any = None

    def add(self, obj: dict[str, Any]) -> None:
        """Append one line, starting a new part when this one would go over a limit."""
        data = (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        if len(data) > self.max_bytes:
            raise ExtractError(f"request {obj.get('custom_id')} alone is {len(data):,} bytes, "
                               f"over the {self.max_bytes:,}-byte file limit")
        lines, size = self.counts[-1] if self.counts else (self.max_lines, self.max_bytes)
        if lines + 1 > self.max_lines or size + len(data) > self.max_bytes:
            self._new_part()
            lines, size = 0, 0
        self._fh.write(data)
        self.counts[-1] = (lines + 1, size + len(data))

    def _new_part(self) -> None:
        if self._fh is not None:
            self._close()
        tmp = self.out.parent / f".{self.out.name}.part{len(self.parts) + 1}.tmp"
        self.parts.append(tmp)
        self.counts.append((0, 0))
        self._fh = open(tmp, "wb")  # noqa: SIM115 - closed in _close()

    def _close(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None

    def finish(self) -> list[Path]:
        """Close and rename the parts; the final paths, in order."""
        if self._fh is not None:
            self._close()
        final = [self.out] if len(self.parts) == 1 else [
            self.out.with_name(f"{self.out.stem}-{i:03d}{self.out.suffix}")
            for i in range(1, len(self.parts) + 1)]
        for tmp, path in zip(self.parts, final, strict=True):
            os.replace(tmp, path)
        return final

    def abort(self) -> None:
        """Remove the temporary parts (after an error)."""
        if self._fh is not None:
            self._fh.close()
        for tmp in self.parts:
            tmp.unlink(missing_ok=True)


def _wanted(pc: PlannedChunk, cache: LLMCache | None, only: set[str] | None,
            seen: set[str], report: PrepareReport) -> bool:
    """Whether a chunk gets a request line (counting why not)."""
    if only is not None and pc.custom_id not in only and not pc.split_part:
        report.not_retried += 1
        return False
    if pc.request.key in seen:  # the same request as an earlier chunk: one answer serves both
        report.duplicates += 1
        return False
    if (only is None or pc.split_part) and cache is not None and \
            cache.get(pc.request.key) is not None:
        report.cached += 1
        return False
    seen.add(pc.request.key)
    return True


def prepare_requests(replies: Sequence[ReplyInput], config: RunConfig, out: Path, *,
                     cache: LLMCache | None = None, only: set[str] | None = None,
                     max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES) -> PrepareReport:
    """Write the request lines for ``replies`` to ``out`` (split when over a limit).

    Chunks whose answer is in ``cache`` are left out; with ``only``, exactly the chunks
    whose custom_id is in it are written (cached or not). A reply that cannot be read is
    named in the report and the rest go on.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    report = PrepareReport(replies=len(replies))
    writer = PartWriter(out, max_lines, max_bytes)
    seen: set[str] = set()
    try:
        for planned in plan(replies, config, cache=cache):
            if planned.error is not None:
                report.reply_errors[planned.doc_id] = planned.error
            for pc in planned.chunks:
                if _wanted(pc, cache, only, seen, report):
                    writer.add(pc.line())
                    report.requests += 1
        report.files = writer.finish()
    except BaseException:
        writer.abort()
        raise
    report.manifest = _write_manifest(out, report, writer.counts, config)
    return report


def _write_manifest(out: Path, report: PrepareReport, counts: list[tuple[int, int]],
                    config: RunConfig) -> Path:
    path = out.with_name(f"{out.stem}.manifest.json")
    data = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": [{"name": p.name, "lines": n, "bytes": b}
                  for p, (n, b) in zip(report.files, counts, strict=True)],
        "requests": report.requests, "skipped_cached": report.cached,
        "skipped_duplicates": report.duplicates, "replies": report.replies,
        "reply_errors": report.reply_errors,
        "model": config.llm.model, "base_url": config.llm.base_url,
        "config_hash": config.fingerprint(),
    }
    write_atomic(path, json.dumps(data, indent=2) + "\n")
    return path
