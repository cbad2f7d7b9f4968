"""``batch submit``, ``status`` and ``download``: the OpenAI Files and Batches APIs.

Only these commands talk to the network; prepare and collect work on files alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import openai

from extract.errors import ExtractError
from extract.llm.config import LLMConfig
from extract.runner import scrub

from .prepare import MAX_BYTES, MAX_LINES
from .wire import CHAT_PATH

COMPLETION_WINDOW = "24h"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


class BatchAPIError(ExtractError):
    """The Files or Batches API refused or failed (after the client's own retries)."""


def api_client(config: LLMConfig) -> openai.OpenAI:
    """An openai client for file and batch calls (a few retries: uploads are idempotent)."""
    return openai.OpenAI(base_url=config.base_url, api_key=config.key_value(),
                         timeout=httpx2.Timeout(config.timeout_s, connect=10.0), max_retries=2)


def check_requests_file(path: Path, max_lines: int = MAX_LINES,
                        max_bytes: int = MAX_BYTES) -> int:
    """Check a requests file before upload (limits, line shape, unique ids); its line count."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ExtractError(f"{path}: {size:,} bytes, over the {max_bytes:,}-byte batch limit")
    ids: set[str] = set()
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = json.loads(raw)
            except ValueError as exc:
                raise ExtractError(f"{path}:{n}: not JSON ({exc})") from None
            cid = line.get("custom_id") if isinstance(line, dict) else None
            if not isinstance(cid, str) or line.get("url") != CHAT_PATH or \
                    not isinstance(line.get("body"), dict):
                raise ExtractError(f"{path}:{n}: not a batch request line for {CHAT_PATH}")
            if cid in ids:
                raise ExtractError(f"{path}:{n}: custom_id {cid!r} appears twice")
            ids.add(cid)
    if not ids:
        raise ExtractError(f"{path}: no requests in the file")
    if len(ids) > max_lines:
        raise ExtractError(f"{path}: {len(ids):,} requests, over the {max_lines:,} limit")
    return len(ids)


def _call(what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except openai.OpenAIError as exc:
        raise BatchAPIError(scrub(f"{what} failed: {type(exc).__name__}: {exc}")) from exc


def submit(client: openai.OpenAI, path: Path) -> Any:
    """Upload a requests file (purpose "batch") and create a 24h batch for it."""
    with open(path, "rb") as fh:
        uploaded = _call("file upload", client.files.create, file=(path.name, fh),
                         purpose="batch")
    return _call("batch create", client.batches.create, input_file_id=uploaded.id,
                 endpoint=CHAT_PATH, completion_window=COMPLETION_WINDOW,
                 metadata={"tool": "foi-extract", "file": path.name[:500]})


def status(client: openai.OpenAI, batch_id: str) -> Any:
    """The batch object."""
    return _call(f"batch {batch_id} status", client.batches.retrieve, batch_id)


def describe(batch: Any) -> dict[str, Any]:
    """The fields of a batch a person wants to see."""
    counts = batch.request_counts
    errors = [f"{e.code}: {e.message}" + (f" (line {e.line})" if e.line else "")
              for e in (batch.errors.data or [])] if batch.errors else []
    return {"id": batch.id, "status": batch.status,
            "requests": {"total": counts.total, "completed": counts.completed,
                         "failed": counts.failed} if counts else None,
            "output_file_id": batch.output_file_id, "error_file_id": batch.error_file_id,
            "errors": errors}


@dataclass
class Downloaded:
    """The files written for a batch."""

    batch: Any
    output: Path | None = None
    errors: Path | None = None


def _save(client: openai.OpenAI, file_id: str, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with client.files.with_streaming_response.content(file_id) as response:
            response.stream_to_file(tmp)
    except openai.OpenAIError as exc:
        tmp.unlink(missing_ok=True)
        raise BatchAPIError(scrub(f"download of {file_id} failed: {type(exc).__name__}: "
                                  f"{exc}")) from exc
    os.replace(tmp, path)
    return path


def download(client: openai.OpenAI, batch_id: str, out_dir: Path) -> Downloaded:
    """Save a finished batch's output and error files as ``<batch id>.output.jsonl`` and
    ``<batch id>.errors.jsonl``. Raises BatchAPIError when it is not finished."""
    batch = status(client, batch_id)
    if batch.status not in TERMINAL:
        raise BatchAPIError(f"batch {batch_id} is {batch.status}, not finished; try later")
    out_dir.mkdir(parents=True, exist_ok=True)
    got = Downloaded(batch)
    if batch.output_file_id:
        got.output = _save(client, batch.output_file_id, out_dir / f"{batch_id}.output.jsonl")
    if batch.error_file_id:
        got.errors = _save(client, batch.error_file_id, out_dir / f"{batch_id}.errors.jsonl")
    return got
