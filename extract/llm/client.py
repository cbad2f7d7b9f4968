"""The one function that calls the model: instructor for validation and re-asks, tenacity
for transient failures (named exception types only), usage counted on every response.

Two retry layers exist: the openai client's own (set small and explicit in the config) and
ours, which honours Retry-After and backs off exponentially with jitter, capped. Instructor
re-asks on validation errors at most ``max_reasks`` times; each tenacity attempt starts from
a fresh copy of the messages, because re-asks append to (and mutate) the list they are given.
"""

from __future__ import annotations

import copy
import email.utils
import functools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx2
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.client import Instructor
from instructor.v2.core.function_calls import response_schema
from instructor.v2.core.patch import patch_v2
from instructor.v2.core.providers import Provider
from pydantic import ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential, wait_random

from extract.errors import LLMError
from extract.llm.config import LLMConfig, LLMMode
from extract.llm.models import ChunkFacts, grounding, salvage
from extract.llm.usage import Usage

_MODES = {LLMMode.tools: instructor.Mode.TOOLS, LLMMode.json: instructor.Mode.JSON,
          LLMMode.json_object_schema: instructor.Mode.JSON,
          LLMMode.json_schema: instructor.Mode.JSON_SCHEMA}


@dataclass
class CallResult:
    """What one chunk's call gave: the facts that validated, and what was dropped."""

    facts: ChunkFacts
    dropped: list[str] = field(default_factory=list)
    reasks: int = 0


def make_openai(config: LLMConfig) -> openai.OpenAI:
    """An openai client with an explicit timeout and a small, explicit retry count."""
    return openai.OpenAI(base_url=config.base_url, api_key=config.key_value(),
                         timeout=httpx2.Timeout(config.timeout_s, connect=10.0),
                         max_retries=config.client_max_retries)


@functools.lru_cache(maxsize=16)
def shared_openai(config: LLMConfig) -> openai.OpenAI:
    """One openai client per endpoint configuration in this process, shared by all threads.

    A client per call cost ~20 ms of CPU (an SSL context loading the CA store) and a new
    connection per request; the shared client keeps connections alive in its httpx pool
    (openai's default: 1,000 connections, 100 kept alive), ample for 64 workers.
    """
    return make_openai(config)


@functools.cache
def wrapped_chunk_facts() -> type[ChunkFacts]:
    """ChunkFacts wrapped once the way instructor wraps a plain model on every call.

    Passing the wrapped class stops instructor from building a new subclass (and its JSON
    schema, ~7 ms of CPU) per request; the schema of this one class is cached.
    """
    return response_schema(ChunkFacts)  # type: ignore[no-any-return]


def _schema_create(client: openai.OpenAI, schema: dict[str, Any]) -> Any:
    """chat.completions.create that sends the schema inside json_object (llama.cpp's shape)."""

    def create(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("response_format") == {"type": "json_object"}:
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
            kwargs["messages"] = _without_schema_dump(kwargs.get("messages", []))
        return client.chat.completions.create(*args, **kwargs)

    return create


_JSON_MODE_MARKER = "As a genius expert, your task is to understand the content"


def _without_schema_dump(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the indented schema instructor's JSON mode appends to the system message.

    In json_object_schema mode the server enforces the schema as a grammar, so the copy
    in the prompt only costs context (about 4k tokens; small local models have 4k-8k).
    """
    out = []
    for m in messages:
        content = m.get("content")
        if m.get("role") == "system" and isinstance(content, str) and _JSON_MODE_MARKER in content:
            head = content[: content.index(_JSON_MODE_MARKER)].rstrip()
            m = {**m, "content": head + "\n\nAnswer with one JSON object that follows the "
                 "response schema."}
        out.append(m)
    return out


def make_instructor(client: openai.OpenAI, config: LLMConfig,
                    response_model: type[ChunkFacts] = ChunkFacts) -> Instructor:
    """An instructor client in the configured mode."""
    mode = config.resolved_mode()
    if mode is LLMMode.json_object_schema:
        create = _schema_create(client, response_model.model_json_schema())
        patched = patch_v2(func=create, provider=Provider.OPENAI, mode=_MODES[mode])
        return Instructor(client=client, create=patched, provider=Provider.OPENAI,
                          mode=_MODES[mode])
    return instructor.from_openai(client, mode=_MODES[mode])


def is_transient(exc: BaseException) -> bool:
    """429, 408, 5xx, timeouts and connection errors: worth another attempt."""
    if isinstance(exc, openai.APIConnectionError | openai.APITimeoutError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_s(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if it said."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if ms := headers.get("retry-after-ms"):
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


class _Wait:
    """Retry-After when the server gives one, else exponential backoff with jitter; capped."""

    def __init__(self, config: LLMConfig) -> None:
        self.cap = config.backoff_max_s
        # exponential + random jitter, built from waits whose arguments every tenacity we
        # allow accepts (wait_exponential_jitter's ``initial`` is deprecated in 9.x); the
        # cap is applied in __call__.
        self.backoff = wait_exponential(multiplier=config.backoff_base_s,
                                        max=config.backoff_max_s) + wait_random(
                                            0, config.backoff_base_s)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_s(exc)
        return min(self.cap, asked if asked is not None else self.backoff(state))


def _add_response_usage(usage: Usage, model: str, response: Any) -> None:
    usage.requests += 1
    u = getattr(response, "usage", None)
    usage.add_tokens(model, int(getattr(u, "prompt_tokens", 0) or 0),
                     int(getattr(u, "completion_tokens", 0) or 0))


def _raw_answer(completion: Any) -> Any:
    """The JSON the model sent in a completion (message content or tool arguments)."""
    try:
        message = completion.choices[0].message
        calls = getattr(message, "tool_calls", None)
        text = calls[0].function.arguments if calls else message.content
        return json.loads(text or "null")
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


def _once(ic: Instructor, config: LLMConfig, messages: list[dict[str, Any]],
          context: dict[str, Any]) -> CallResult:
    """One attempt: instructor with re-asks; a final validation failure is salvaged."""
    try:
        with grounding(context):  # not context=: instructor would template the reply text
            facts = ic.create(messages=copy.deepcopy(messages),  # type: ignore[arg-type]
                              response_model=wrapped_chunk_facts(),
                              max_retries=config.max_reasks, model=config.model,
                              temperature=config.temperature, max_tokens=config.max_tokens)
        return CallResult(facts=facts)
    except IncompleteOutputException as exc:
        kept, dropped = salvage(_raw_answer(exc.last_completion), context)
        return CallResult(facts=kept, dropped=[f"answer cut at max_tokens={config.max_tokens}",
                                               *dropped])
    except InstructorRetryException as exc:
        cause = exc.__cause__
        if cause is not None and is_transient(cause):
            raise cause from exc
        failed = getattr(exc, "failed_attempts", None) or []
        if not failed or not isinstance(cause, ValidationError | ValueError):
            raise LLMError(f"model call failed: {str(cause or exc)[:300]}") from exc
        kept, dropped = salvage(_raw_answer(failed[-1].completion), context)
        return CallResult(facts=kept, dropped=dropped, reasks=len(failed) - 1)


def call_model(config: LLMConfig, messages: list[dict[str, Any]], context: dict[str, Any],
               usage: Usage, client: openai.OpenAI | None = None) -> CallResult:
    """Ask the model for one chunk's facts; retried on transient errors only.

    Raises LLMError when the attempts run out or the error is not transient; usage
    (requests and tokens) is counted for every response, on success and failure.
    """
    ic = make_instructor(client or shared_openai(config), config)
    ic.on("completion:response", lambda response: _add_response_usage(usage, config.model,
                                                                      response))
    retrying = Retrying(stop=stop_after_attempt(config.attempts), wait=_Wait(config),
                        retry=retry_if_exception(is_transient), reraise=True)
    try:
        return retrying(_once, ic, config, messages, context)
    except openai.OpenAIError as exc:
        usage.failures += 1
        raise LLMError(f"model endpoint failed after {config.attempts} attempts: "
                       f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    except LLMError:
        usage.failures += 1
        raise
