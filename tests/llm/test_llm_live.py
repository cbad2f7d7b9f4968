"""Live tests against a real endpoint: skipped unless FOI_EXTRACT_LIVE=1 (run with -m live).

    FOI_EXTRACT_LIVE=1 OPENAI_BASE_URL=http://127.0.0.1:8765/v1 pytest -m live tests/llm
(for a remote endpoint also pass ``-p no:socket --allowed-hosts=<host>`` or similar).
"""

from __future__ import annotations

import os

import pytest

from extract.document import Document
from extract.llm.config import LLMConfig
from extract.readers.llm import read_llm
from tests.llm.helpers import between, reply

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get("FOI_EXTRACT_LIVE") != "1",
                       reason="live endpoint tests run only with FOI_EXTRACT_LIVE=1"),
    pytest.mark.block_network(allowed_hosts=[".*"]),
]


def test_live_reply_is_grounded() -> None:
    text = reply("000_15da7be9d501b9f9")
    start, end = between(text, "Question 1", "Total Count 43")
    doc = Document(doc_id="live", text=text[start:end])
    config = LLMConfig.from_env(timeout_s=300)
    record, usage = read_llm(doc, None, config)
    assert usage.requests >= 1
    items = [*record.offences, *record.victims, *record.suspects, *record.exemptions]
    for item in items:
        assert all(doc.text[e.start:e.end] == e.quote for e in item.evidence)
