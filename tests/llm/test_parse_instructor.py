"""The answer of a completion is read through instructor, in the mode the completion shows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from extract.llm.parse import AnswerInvalid, CutOff, parse_completion


class Answer(BaseModel):
    count: int


def _completion(message: dict[str, Any], finish: str = "stop") -> dict[str, Any]:
    return {"choices": [{"index": 0, "finish_reason": finish, "message": message}]}


def _tool(args: str) -> dict[str, Any]:
    return {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "Answer", "arguments": args}}]}


@pytest.mark.parametrize("message", [
    _tool(json.dumps({"count": 7})),
    {"role": "assistant", "content": '{"count": 7}'},
    {"role": "assistant", "content": '```json\n{"count": 7}\n```'},
])
def test_tool_calls_and_json_content_are_read(message: dict[str, Any]) -> None:
    parsed = parse_completion(Answer, {}, _completion(message))
    assert isinstance(parsed.answer, Answer) and parsed.answer.count == 7


def test_an_invalid_answer_keeps_its_raw_json_for_salvage() -> None:
    with pytest.raises(AnswerInvalid) as err:
        parse_completion(Answer, {}, _completion(_tool('{"count": "many"}')))
    assert err.value.raw == {"count": "many"} and "count" in str(err.value)


def test_a_cut_off_answer_is_never_parsed() -> None:
    with pytest.raises(CutOff):
        parse_completion(Answer, {}, _completion({"role": "assistant", "content": '{"count": 7}'},
                                                 finish="length"))
