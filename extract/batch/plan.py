"""Which requests a set of replies needs: the requests the live reader would send, each
with its Batch API custom_id, request body and cache key.

The plan runs the pipeline's own stages (load, normalise, tables, rules) and the one request
builder (``extract.llm.requests``), so ``prepare`` and ``collect`` agree with ``run`` on
every request, every hint and every cache key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from extract.document import Document
from extract.errors import ExtractError
from extract.grouping import ReplyInput
from extract.llm.requests import LLMRequest, RequestSpec, build, plan_specs, split
from extract.pipeline import RunConfig, prepare
from extract.prompting import PromptSet, default_prompts
from extract.readers.llm import cut_off_in_cache, rules_inputs

from .wire import CHAT_PATH


@dataclass
class PlannedChunk:
    """One request: where it comes from, what is sent, where its answer is kept."""

    doc_id: str
    chunk_id: str  # the request id within the reply (q1, q2...)
    custom_id: str
    body: dict[str, Any]
    request: LLMRequest
    split_part: bool = False  # a part of a request whose batch answer was cut off

    def line(self) -> dict[str, Any]:
        """The Batch API input line for this request."""
        return {"custom_id": self.custom_id, "method": "POST", "url": CHAT_PATH,
                "body": self.body}


@dataclass
class PlannedReply:
    """A reply's requests, or the error that kept it from being read."""

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


def _requests(doc: Document, spec: RequestSpec, make: Any, cache: Any,
              part: bool = False) -> list[tuple[LLMRequest, bool]]:
    """The request for a spec, or (when its answer was cut off) those of its split parts."""
    req: LLMRequest = make(spec)
    if cut_off_in_cache(cache, req.key):
        return [r for p in split(doc, spec) for r in _requests(doc, p, make, cache, True)]
    return [(req, part)]


def plan_reply(reply: ReplyInput, config: RunConfig, prompts: PromptSet,
               cache: Any = None) -> PlannedReply:
    """The requests the live reader would make for one reply (never raises for bad input).

    ``cache``: where a request is marked cut off, its split parts are planned instead.
    """
    try:
        doc = prepare(reply, config.limits)
        hints, rules_maps = rules_inputs(doc)
        out = PlannedReply(reply.doc_id)

        def make(spec: RequestSpec) -> LLMRequest:
            return build(doc, spec, prompts, config.llm, hints, rules_maps)

        for spec in plan_specs(doc):
            for req, part in _requests(doc, spec, make, cache):
                out.chunks.append(PlannedChunk(reply.doc_id, req.spec.rid, req.custom_id,
                                               req.body, req, part))
        return out
    except ExtractError as exc:
        return PlannedReply(reply.doc_id, error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug in one reply must not stop the batch
        return PlannedReply(reply.doc_id, error=f"InternalError ({type(exc).__name__}): {exc}")


def plan(replies: Sequence[ReplyInput], config: RunConfig,
         prompts: PromptSet | None = None, cache: Any = None) -> Iterator[PlannedReply]:
    """:func:`plan_reply` for each reply, in order."""
    prompts = prompts or default_prompts()
    with quiet_instructor():
        for reply in replies:
            yield plan_reply(reply, config, prompts, cache)
