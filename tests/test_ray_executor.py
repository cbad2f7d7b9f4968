"""``--executor ray`` (issue 17): a local Ray (``num_cpus=2``) writes the same facts and
records as local threads on a mixed folder, and resumes the same way. Skipped, with the
reason shown, when Ray is not installed (``pip install 'foi-extract[ray]'``)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import generate
from extract.grouping import group_inputs
from extract.pipeline import RunConfig
from extract.runner import run_batch

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'foi-extract[ray]'")

from extract.executors.ray_exec import RayExecutor  # noqa: E402

VOLATILE = {"elapsed_s", "finished_at"}  # wall-clock fields of meta


def _records(out: Path) -> dict[str, Any]:
    rows = [json.loads(x) for x in (out / "records.jsonl").read_text().splitlines()]
    for r in rows:
        r["meta"] = {k: v for k, v in r["meta"].items() if k not in VOLATILE}
    return {r["doc_id"]: r for r in rows}


def _diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two JSON values differ (for a readable failure)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b))
                for d in _diff(a.get(k), b.get(k), f"{path}.{k}")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"[:300]]


@pytest.fixture(scope="module")
def ray_executor() -> Any:
    executor = RayExecutor(workers=2)  # starts a local Ray with num_cpus=2
    yield executor
    executor.close()


@pytest.mark.slow
def test_ray_run_writes_the_same_facts_as_a_local_run(tmp_path: Path,
                                                      ray_executor: RayExecutor) -> None:
    generate(20, 5, tmp_path / "c", layouts=["pdf", "pipe", "html", "xlsx_eml", "prose"])
    replies = group_inputs([tmp_path / "c" / "replies"], None)
    config = RunConfig()
    local = run_batch(replies, config, tmp_path / "local", workers=2)
    remote = run_batch(replies, config, tmp_path / "ray", executor=ray_executor)
    assert (local.ok, local.failed) == (remote.ok, remote.failed) == (20, 0)
    assert (tmp_path / "ray" / "facts.csv").read_text() == (
        tmp_path / "local" / "facts.csv").read_text()
    assert _records(tmp_path / "ray") == _records(tmp_path / "local")
    for doc in (tmp_path / "local" / "docs").iterdir():
        assert (tmp_path / "ray" / "docs" / doc.name).read_text() == doc.read_text()
    again = run_batch(replies, config, tmp_path / "ray", executor=ray_executor)
    assert (again.ok, again.skipped) == (0, 20)  # resume: nothing changed, nothing redone


@pytest.mark.slow
def test_a_stopped_ray_run_writes_no_failures_and_leaves_the_rest(
        tmp_path: Path, ray_executor: RayExecutor) -> None:
    generate(12, 5, tmp_path / "c", layouts=["pipe", "pdf"])
    replies = group_inputs([tmp_path / "c" / "replies"], None)
    stop = threading.Event()
    stop.set()  # stopped before it starts: nothing may be written, nothing counted as failed
    summary = run_batch(replies, RunConfig(), tmp_path / "o", executor=ray_executor, stop=stop)
    assert summary.interrupted and summary.exit_code == 130
    assert (summary.ok, summary.failed, summary.left) == (0, 0, 12)
    assert not (tmp_path / "o" / "errors.jsonl").read_text()


@pytest.mark.slow
@pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])
def test_ray_tasks_answer_through_the_llm_cache(tmp_path: Path,
                                               ray_executor: RayExecutor) -> None:
    from extract.llm.cache import LLMCache
    from extract.llm.config import LLMConfig
    from tests.fakes.fake_openai import FakeOpenAI, Step, serve

    generate(4, 5, tmp_path / "c", layouts=["pipe", "prose"])
    replies = group_inputs([tmp_path / "c" / "replies"], None)
    fake = FakeOpenAI(default=Step(answer={"offences": []}))
    with serve(fake) as url:
        llm = LLMConfig(base_url=url, model="fake-model", api_key="dummy",  # type: ignore[arg-type]
                        timeout_s=5, attempts=1, n_examples=0)
        config = RunConfig(backend="llm", llm=llm, cache=LLMCache(tmp_path / "cache"))
        remote = run_batch(replies, config, tmp_path / "ray", executor=ray_executor)
        asked = len(fake.requests)
        local = run_batch(replies, config, tmp_path / "local", workers=2)
        config.cache.close()
    assert (remote.ok, local.ok) == (4, 4) and asked >= 4
    assert len(fake.requests) == asked  # the local run found every answer the Ray tasks cached
    ray_records, local_records = _records(tmp_path / "ray"), _records(tmp_path / "local")
    for rec in local_records.values():
        assert rec["meta"]["usage"]["requests"] == 0 and rec["meta"]["usage"]["cached"] > 0
    for rec in [*ray_records.values(), *local_records.values()]:
        # requests vs cache hits: the one thing that should differ
        del rec["meta"]["usage"], rec["meta"]["llm"]["usage"]
    assert ray_records == local_records, _diff(ray_records, local_records)
