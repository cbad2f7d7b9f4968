"""The request body the live reader would send, and a response body read the way it reads one.

Both go through :func:`extract.llm.client.call_model`, the live reader's one call site, with
an in-process HTTP transport instead of the network: one transport records the body the
openai client would POST, the other answers with a body a batch returned. So a batch request
is byte for byte the live request (instructor's mode handling included), and a batch answer
meets the same validators and salvage. Nothing here opens a socket.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx2
import openai

from extract.errors import LLMError
from extract.llm.client import CallResult, call_model
from extract.llm.config import LLMConfig
from extract.llm.usage import Usage

CHAT_PATH = "/v1/chat/completions"
# What the capturing transport answers: valid, empty facts in both tool and content form,
# so instructor finishes without an error (the answer itself is thrown away).
_EMPTY_ANSWER = {
    "id": "capture", "object": "chat.completion", "created": 0, "model": "capture",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {
        "role": "assistant", "content": "{}",
        "tool_calls": [{"id": "capture", "type": "function",
                        "function": {"name": "ChunkFacts", "arguments": "{}"}}]}}],
    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
}


def _client(config: LLMConfig, handler: Any) -> openai.OpenAI:
    transport = httpx2.MockTransport(handler)
    return openai.OpenAI(base_url=config.base_url, api_key=config.key_value(), max_retries=0,
                         http_client=httpx2.Client(transport=transport))


def _single_shot(config: LLMConfig) -> LLMConfig:
    """The config for one exchange: a batch line is one request and one answer, no re-asks."""
    return config.model_copy(update={"attempts": 1, "max_reasks": 0})


def request_body(config: LLMConfig, messages: list[dict[str, str]],
                 context: dict[str, Any]) -> dict[str, Any]:
    """The JSON body the live reader POSTs to /chat/completions for these messages."""
    seen: list[dict[str, Any]] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json=_EMPTY_ANSWER)

    call_model(_single_shot(config), messages, context, Usage(), client=_client(config, handler))
    if len(seen) != 1:
        raise LLMError(f"expected one request for a chunk, the reader made {len(seen)}")
    return seen[0]


def parse_response(config: LLMConfig, messages: list[dict[str, str]], context: dict[str, Any],
                   body: dict[str, Any], usage: Usage) -> CallResult:
    """Validate a chat completion body as the live reader would (salvage included).

    Raises LLMError when the body is not a usable completion.
    """
    data = json.dumps(body).encode("utf-8")

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=data, headers={"content-type": "application/json"})

    return call_model(_single_shot(config), messages, context, usage,
                      client=_client(config, handler))


def body_hash(body: dict[str, Any]) -> str:
    """First 16 hex of the sha256 of a request body's canonical JSON."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def custom_id(doc_id: str, chunk_id: str, body: dict[str, Any]) -> str:
    """``<doc id>:<chunk id>:<body hash>``; the hash changes when anything sent changes."""
    return f"{doc_id}:{chunk_id}:{body_hash(body)}"


def split_custom_id(cid: str) -> tuple[str, str, str] | None:
    """(doc id, chunk id, hash) of a custom_id made by :func:`custom_id`, else None."""
    parts = cid.rsplit(":", 2)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 and all(parts) else None
