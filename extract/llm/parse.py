"""Reading a chat completion into a validated answer: used by the live reader and by
``batch collect`` alike, so a batch answer meets exactly the checks a live one does.

A completion stopped by the token limit (``finish_reason == "length"``) is never parsed as
complete: :class:`CutOff` tells the caller to split the request. An answer that fails
validation raises :class:`AnswerInvalid` with the errors (the live reader re-asks with them);
:func:`salvage` then keeps the parts that validate on their own and names the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from extract.errors import LLMError
from extract.llm.models import (
    LIST_FIELDS,
    SCALAR_FIELDS,
    ChunkFacts,
    TableMapping,
    check_mapping,
    grounding,
)
from extract.llm.usage import Usage

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class CutOff(LLMError):
    """The answer was stopped by max_tokens: incomplete, to be split and asked again."""


class AnswerInvalid(LLMError):
    """The answer is JSON but does not validate; ``raw`` is what the model sent."""

    def __init__(self, message: str, raw: Any, text: str) -> None:
        super().__init__(message)
        self.raw = raw
        self.text = text


@dataclass
class Parsed:
    """A validated answer (the request's answer model) and what was dropped from it."""

    answer: BaseModel
    dropped: list[str] = field(default_factory=list)
    reasks: int = 0


def message_text(completion: dict[str, Any]) -> tuple[str, str | None]:
    """(answer text, finish_reason) of a completion: tool arguments or message content."""
    try:
        choice = completion["choices"][0]
        message = choice.get("message") or {}
    except (KeyError, IndexError, TypeError, AttributeError):
        raise LLMError("response has no choices[0].message") from None
    calls = message.get("tool_calls") or []
    if calls:
        text = (calls[0].get("function") or {}).get("arguments") or ""
    else:
        text = message.get("content") or ""
    return str(text), choice.get("finish_reason")


def add_usage(usage: Usage, model: str, completion: dict[str, Any]) -> None:
    """Count one completion's tokens (cached input tokens apart, as they are priced apart)."""
    usage.requests += 1
    u = completion.get("usage") or {}
    details = u.get("prompt_tokens_details") or {}
    usage.add_tokens(model, int(u.get("prompt_tokens") or 0),
                     int(u.get("completion_tokens") or 0),
                     cached_input=int(details.get("cached_tokens") or 0))


def _json(text: str) -> Any:
    m = _FENCE.match(text)
    return json.loads(m.group(1) if m else text)


def parse_completion(answer_model: type[BaseModel], context: dict[str, Any],
                     completion: dict[str, Any]) -> Parsed:
    """Validate a completion against a request's answer model and grounding context.

    Raises CutOff (stopped by the limit), AnswerInvalid (JSON that fails validation), or
    LLMError (no usable message).
    """
    text, finish = message_text(completion)
    if finish == "length":
        raise CutOff(f"answer stopped at the token limit after {len(text)} characters")
    try:
        raw = _json(text)
    except ValueError as exc:
        raise AnswerInvalid(f"the answer is not JSON: {exc}", None, text) from None
    try:
        with grounding(context):
            return Parsed(answer_model.model_validate(raw))
    except ValidationError as exc:
        raise AnswerInvalid(_errors(exc), raw, text) from None


def _errors(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors()[:8]:
        where = ".".join(str(x) for x in e.get("loc", ()))
        parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
    return "; ".join(parts)


def _salvage_mappings(raw: Any, context: dict[str, Any]) -> tuple[list[TableMapping], list[str]]:
    kept: list[TableMapping] = []
    dropped: list[str] = []
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            m = TableMapping.model_validate(item)
        except ValidationError as exc:
            dropped.append(f"mappings[{i}]: {_errors(exc)}")
            continue
        errors = check_mapping(m, context.get("tables", {}))
        if errors:
            dropped.append(f"mappings[{i}]: {'; '.join(errors[:3])}")
        else:
            kept.append(m)
    return kept, dropped


def salvage(answer_model: type[BaseModel], context: dict[str, Any],
            raw: Any) -> Parsed:
    """Keep the facts and mappings of a raw answer that validate on their own."""
    if not isinstance(raw, dict):
        return Parsed(answer_model.model_construct(),
                      [f"answer is not a JSON object: {str(raw)[:80]!r}"])
    fields = answer_model.model_fields
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    if "mappings" in fields:
        kept["mappings"], dropped = _salvage_mappings(raw.get("mappings"), context)
    if set(LIST_FIELDS) <= set(fields):
        facts, more = _salvage_facts(raw, context)
        kept.update({k: getattr(facts, k) for k in (*SCALAR_FIELDS, *LIST_FIELDS, "caveats")})
        dropped += more
    return Parsed(answer_model.model_construct(**kept), dropped)


def _salvage_facts(raw: dict[str, Any], context: dict[str, Any]) -> tuple[ChunkFacts, list[str]]:
    from extract.llm.models import salvage as salvage_chunk

    return salvage_chunk({k: v for k, v in raw.items() if k != "mappings"}, context)


def revalidate(answer_model: type[BaseModel], context: dict[str, Any],
               data: dict[str, Any]) -> Parsed:
    """An answer stored earlier (cache, batch), validated again; salvaged when it fails."""
    try:
        with grounding(context):
            return Parsed(answer_model.model_validate(data))
    except ValidationError:
        return salvage(answer_model, context, data)
