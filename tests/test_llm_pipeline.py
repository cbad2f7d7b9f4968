"""The LLM backend wired through the pipeline, against the local FAKE server."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.grouping import ReplyInput
from extract.llm.cache import LLMCache
from extract.llm.config import LLMConfig
from extract.pipeline import RunConfig, process_reply
from schemas import Record
from tests.fakes.fake_openai import FakeOpenAI, Step, serve
from tests.llm.helpers import FY, REPLIES

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])

NAME = "000_15da7be9d501b9f9"


def _run(url: str, cache: LLMCache | None = None) -> Record:
    cfg = LLMConfig(base_url=url, model="fake-model", timeout_s=2, attempts=1, n_examples=0)
    reply = ReplyInput(doc_id=NAME, paths=[REPLIES / f"{NAME}.txt"])
    record, _ = process_reply(reply, RunConfig(backend="llm", llm=cfg, cache=cache))
    return record


def test_llm_backend_merges_with_rules_and_caches(tmp_path: Path) -> None:
    answer = {"offences": [{"period": FY, "count": 52, "quote": "Total Count 52"}],
              "youngest_victim": {"age_min": 5, "age_max": 10, "gender": "male",
                                  "quote": "male aged between 5 and ten years old"}}
    fake = FakeOpenAI(default=Step(answer=answer))
    cache = LLMCache(tmp_path / "cache")
    with serve(fake) as url:
        record = _run(url, cache)
        calls = len(fake.requests)
        again = _run(url, cache)
    assert calls >= 1 and len(fake.requests) == calls  # the rerun is served from the cache
    assert record.meta["prompt_hash"] and record.meta["llm"]["usage"]["requests"] == calls
    offences = [o for o in record.offences if o.count == 52]
    assert offences and "llm" in offences[0].readers
    assert again.model_dump(exclude={"meta"}) == record.model_dump(exclude={"meta"})
    cache.close()
