"""The one function that sends a request: tenacity for transient failures (named exception
types only), usage counted on every response.

Two retry layers exist: the openai client's own (set small and explicit in the config) and
ours, which honours Retry-After and backs off exponentially with jitter, capped. The body is
built by ``extract.llm.requests`` (the same body Batch mode writes) and sent as it is; the
answer is read by ``extract.llm.parse``. We do not go through instructor here: it builds
the request inside its own call, so Batch mode could only get it by capturing HTTP, and
re-asks, cut-off answers and splitting need control of each exchange.
"""

from __future__ import annotations

import copy
import email.utils
import functools
import time
from typing import Any

import httpx2
import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential, wait_random

from extract.errors import LLMError
from extract.llm.config import LLMConfig
from extract.llm.parse import add_usage
from extract.llm.usage import Usage


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


def _post(client: openai.OpenAI, body: dict[str, Any]) -> dict[str, Any]:
    """POST a chat-completions body as it is; the completion as plain JSON."""
    response = client.chat.completions.create(**copy.deepcopy(body))
    return response.model_dump(mode="json", exclude_unset=True)  # type: ignore[no-any-return]


def send(config: LLMConfig, body: dict[str, Any], usage: Usage,
         client: openai.OpenAI | None = None) -> dict[str, Any]:
    """Send one request body; retried on transient errors only. The completion as JSON.

    Raises LLMError when the attempts run out or the error is not transient; usage
    (requests and tokens) is counted for every completion received.
    """
    oc = client or shared_openai(config)
    retrying = Retrying(stop=stop_after_attempt(config.attempts), wait=_Wait(config),
                        retry=retry_if_exception(is_transient), reraise=True)
    try:
        completion = retrying(_post, oc, body)
    except openai.OpenAIError as exc:
        usage.failures += 1
        raise LLMError(f"model endpoint failed after {config.attempts} attempts: "
                       f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    except ValueError as exc:  # a 200 whose body is not JSON (cut, or not an API)
        usage.failures += 1
        raise LLMError(f"model endpoint sent a body that is not JSON: {str(exc)[:200]}") \
            from exc
    add_usage(usage, config.model, completion)
    return completion
