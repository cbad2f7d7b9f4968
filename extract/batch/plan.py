"""Which requests a set of replies needs: the chunks the live reader would send, each with
its Batch API custom_id, request body and cache key.

The plan runs the pipeline's own stages (load, normalise, tables, rules, chunking) and the
LLM reader's own request builder, so ``prepare`` and ``collect`` agree with ``run`` on
every chunk, every hint and every cache key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from extract.chunking import chunk
from extract.errors import ExtractError
from extract.grouping import ReplyInput
from extract.llm.config import LLMConfig
from extract.pipeline import RunConfig, prepare
from extract.prompting import PromptSet, default_prompts
from extract.readers.llm import ChunkRequest, ReaderChunk, chunk_request
from extract.readers.rules import read_rules

from .wire import CHAT_PATH, custom_id, request_body


@dataclass
class PlannedChunk:
    """One chunk's request: where it comes from, what is sent, where its answer is kept."""

    doc_id: str
    chunk_id: str
    custom_id: str
    body: dict[str, Any]
    request: ChunkRequest

    def line(self) -> dict[str, Any]:
        """The Batch API input line for this chunk."""
        return {"custom_id": self.custom_id, "method": "POST", "url": CHAT_PATH,
                "body": self.body}


@dataclass
class PlannedReply:
    """A reply's chunks, or the error that kept it from being read."""

    doc_id: str
    chunks: list[PlannedChunk] = field(default_factory=list)
    error: str | None = None


@contextmanager
def quiet_instructor() -> Iterator[None]:
    """Silence instructor's per-attempt log lines while requests are built or parsed offline.

    Every batch answer that fails validation would otherwise print a stack of lines to
    stderr; batch mode reports those answers in its own error file instead.
    """
    log = logging.getLogger("instructor")
    old = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(old)


def plan_reply(reply: ReplyInput, config: RunConfig, prompts: PromptSet) -> PlannedReply:
    """The requests the live reader would make for one reply (never raises for bad input)."""
    llm: LLMConfig = config.llm
    try:
        doc = prepare(reply, config.limits)
        hints = read_rules(doc)
        out = PlannedReply(reply.doc_id)
        for c in chunk(doc, config.chunk_tokens):
            req = chunk_request(ReaderChunk(doc, c), prompts, hints, llm)
            body = request_body(llm, req.messages, req.context)
            out.chunks.append(PlannedChunk(reply.doc_id, c.id, custom_id(reply.doc_id, c.id,
                                                                         body), body, req))
        return out
    except ExtractError as exc:
        return PlannedReply(reply.doc_id, error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug in one reply must not stop the batch
        return PlannedReply(reply.doc_id, error=f"InternalError ({type(exc).__name__}): {exc}")


def plan(replies: Sequence[ReplyInput], config: RunConfig,
         prompts: PromptSet | None = None) -> Iterator[PlannedReply]:
    """:func:`plan_reply` for each reply, in order."""
    prompts = prompts or default_prompts()
    with quiet_instructor():
        for reply in replies:
            yield plan_reply(reply, config, prompts)
