"""LLM reader economy and concurrency against a local FAKE model server (issue #9).

    python -m bench.llm_bench [--economy-n 100] [--concurrency-n 200] [--workers 1,4,16,64]
                              [--delay 0.5] [--out bench/results/llm.json]

The fake is not a model: it answers every chat completion with JSON that passes the reader's
validators for real (offence counts taken from the rules hints in the request, each quoting
the line of the chunk that holds its number; the force quoted from the line naming it), after
an optional fixed delay. It runs in its own process, bound to 127.0.0.1, so its threads do not
compete with the pipeline for the GIL, and it counts what it was sent: requests, characters of
the fixed prompt (system + few-shot messages) and of the chunk message, and the peak number of
requests in flight at once.

Measured, side by side in one run:

- economy: calls per reply, prompt tokens against reply tokens (both with the reader's own
  estimate, ``extract.chunking.tokens``: characters / 4), a rerun into a fresh output folder
  with the same cache (must make 0 HTTP calls, counted at the fake) and a rerun into the same
  folder (every reply skipped);
- concurrency: wall time for the same replies with 1, 4, 16 and 64 workers against a fake
  that takes ``--delay`` seconds per request (a fresh cache per run, as the CLI uses one), the
  speedup against 1 worker, the bench process's CPU time and the peak requests in flight.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "llm.json"
_OFFENCE_HINT = re.compile(r"^offences (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d): (.*)$")
_OFFENCE_ITEM = re.compile(r"^code=(\S+) (\d+)$")


def tokens(n_chars: int) -> int:
    """The reader's token estimate for ``n_chars`` characters (``extract.chunking.tokens``)."""
    from extract.chunking import tokens as reader_tokens

    return reader_tokens(n_chars)


# ---------------------------------------------------------------- the fake model


def _line_with(text: str, pattern: re.Pattern[str]) -> str | None:
    """The first non-blank line of ``text`` that matches ``pattern`` (stripped)."""
    for line in text.splitlines():
        if line.strip() and pattern.search(line):
            return line.strip()
    return None


def _offences(text: str, hints: Sequence[str]) -> list[dict[str, Any]]:
    """Offence facts from the rules hints, each quoting a line of the chunk with its count."""
    out = []
    for hint in hints:
        m = _OFFENCE_HINT.match(hint)
        if not m:
            continue
        start, end, items = m.groups()
        for item in items.split("; "):
            im = _OFFENCE_ITEM.match(item)
            if not im:
                continue
            code, count = im.groups()
            quote = _line_with(text, re.compile(rf"(?<![\d,]){count}(?![\d,])"))
            if quote is not None:
                out.append({"period": {"start": start, "end": end}, "count": int(count),
                            "code": None if code == "None" else code, "quote": quote})
    return out


def grounded_answer(chunk_message: str) -> dict[str, Any]:
    """An answer for one request message that the reader's validators accept (an empty
    mapping list for a tables-only request: the fake maps nothing)."""
    try:
        payload = json.loads(chunk_message)
        if payload.get("task") == "tables":
            return {"mappings": []}
        text, hints = str(payload["text"]), [str(h) for h in payload.get("hints", [])]
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
    answer: dict[str, Any] = {"offences": _offences(text, hints)}
    force = next((h.split(": ", 1)[1] for h in hints if h.startswith("force: ")), None)
    if force:
        words = force.replace(" Police", "").replace(" Constabulary", "")
        quote = _line_with(text, re.compile(re.escape(words), re.IGNORECASE))
        if quote is not None:
            answer["force"] = {"value": force, "quote": quote}
    return answer


@dataclass
class FakeStats:
    """What the fake was sent (all counters since the last reset)."""

    requests: int = 0
    prompt_chars: int = 0
    fixed_chars: int = 0
    chunk_chars: int = 0
    schema_chars: int = 0
    text_chars: int = 0
    tables_chars: int = 0
    hints_chars: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def arrive(self, body: dict[str, Any]) -> str:
        """Count one request; return its chunk message (the last message's content)."""
        contents = [str(m.get("content") or "") for m in body.get("messages", [])]
        schema = body.get("response_format") or body.get("tools") or {}
        parts = _chunk_parts(contents[-1] if contents else "")
        with self.lock:
            self.requests += 1
            self.prompt_chars += sum(map(len, contents))
            self.chunk_chars += len(contents[-1]) if contents else 0
            self.fixed_chars += sum(map(len, contents[:-1]))
            self.schema_chars += len(json.dumps(schema))
            self.text_chars += parts[0]
            self.tables_chars += parts[1]
            self.hints_chars += parts[2]
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        return contents[-1] if contents else ""

    def leave(self) -> None:
        """One request answered."""
        with self.lock:
            self.in_flight -= 1

    def snapshot(self, reset: bool = False) -> dict[str, int]:
        """The counters (and zero them when ``reset``; in-flight requests stay counted)."""
        with self.lock:
            out = {k: getattr(self, k) for k in _COUNTERS}
            out["peak_in_flight"] = self.peak_in_flight
            if reset:
                for k in _COUNTERS:
                    setattr(self, k, 0)
                self.peak_in_flight = self.in_flight
        return out


_COUNTERS = ("requests", "prompt_chars", "fixed_chars", "chunk_chars", "schema_chars",
             "text_chars", "tables_chars", "hints_chars")


def _chunk_parts(chunk_message: str) -> tuple[int, int, int]:
    """Characters of the reply text, the rendered tables and the hints in a chunk message."""
    try:
        payload = json.loads(chunk_message)
        return (len(payload.get("text", "")), len(json.dumps(payload.get("tables", []))),
                sum(len(h) for h in payload.get("hints", [])))
    except (ValueError, KeyError, TypeError):
        return 0, 0, 0


def _completion(answer: dict[str, Any], prompt_chars: int) -> bytes:
    content = json.dumps(answer)
    usage = {"prompt_tokens": tokens(prompt_chars), "completion_tokens": tokens(len(content))}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return json.dumps({"id": "fake", "object": "chat.completion", "created": 0,
                       "model": "fake-model", "usage": usage,
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}]
                       }).encode()


def _handler(stats: FakeStats, delay_s: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real endpoint offers
        disable_nagle_algorithm = True  # else headers and body wait on a delayed ACK

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, data: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._send(json.dumps(stats.snapshot(reset="reset" in self.path)).encode())

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            chunk_message = stats.arrive(body)
            try:
                prompt_chars = sum(len(str(m.get("content") or "")) for m in body["messages"])
                answer = grounded_answer(chunk_message)
                time.sleep(delay_s)
                self._send(_completion(answer, prompt_chars))
            finally:
                stats.leave()

    return Handler


def serve_forever(delay_s: float) -> None:
    """Run the fake on a free 127.0.0.1 port; print ``PORT <n>`` first, then serve."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(FakeStats(), delay_s),
                                 bind_and_activate=False)
    server.request_queue_size = 256  # the default backlog of 5 drops bursts of 64 connects
    server.daemon_threads = True
    server.server_bind()
    server.server_activate()
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


class FakeServer:
    """A handle on a running fake (in its own process): its URL and its counters."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc = proc
        self.root = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.root}/v1"

    def stats(self, reset: bool = False) -> dict[str, int]:
        """The fake's counters (zeroed afterwards when ``reset``)."""
        url = f"{self.root}/stats" + ("?reset" if reset else "")
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - 127.0.0.1 only
            return json.loads(resp.read())  # type: ignore[no-any-return]


@contextmanager
def fake_server(delay_s: float) -> Iterator[FakeServer]:
    """Start the fake in a child process; stop it (that process only) on exit."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.llm_bench", "--serve",
                             "--delay", str(delay_s)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("PORT "):
            raise RuntimeError(f"fake server did not start (said {line!r})")
        yield FakeServer(proc, int(line.split()[1]))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------- runs


@dataclass
class RunResult:
    """One batch run: its wall and CPU time, the records' usage and the fake's counters."""

    wall_s: float
    cpu_s: float
    ok: int
    failed: int
    skipped: int
    fake: dict[str, int]
    records: list[dict[str, Any]]


def make_replies(root: Path, n: int, seed: int) -> list[Any]:
    """Generate n plain-text replies (every text layout in turn) as pipeline inputs."""
    from bench.corpus import TEXT_LAYOUTS, generate, read_manifest
    from extract.grouping import ReplyInput

    generate(n, seed, root, TEXT_LAYOUTS)
    return [ReplyInput(row["doc_id"], [root / row["file"]]) for row in read_manifest(root)]


def llm_config(base_url: str) -> Any:
    """The CLI's defaults for a local endpoint (every few-shot example, default retries)."""
    from extract.llm.config import LLMConfig

    return LLMConfig(base_url=base_url, model="fake-model")


def run_once(replies: Sequence[Any], fake: FakeServer, out: Path, cache_dir: Path,
             workers: int) -> RunResult:
    """One run_batch of the LLM backend into ``out`` with the cache in ``cache_dir``."""
    from extract.llm.cache import LLMCache
    from extract.pipeline import RunConfig
    from extract.runner import run_batch

    fake.stats(reset=True)
    cache = LLMCache(cache_dir)
    config = RunConfig(backend="llm", llm=llm_config(fake.base_url), cache=cache)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        summary = run_batch(replies, config, out, workers=workers)
    finally:
        cache.close()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return RunResult(wall_s=wall, cpu_s=cpu, ok=summary.ok, failed=summary.failed,
                     skipped=summary.skipped, fake=fake.stats(),
                     records=[json.loads(x) for x in lines if x.strip()])


def _usage(record: dict[str, Any]) -> dict[str, Any]:
    return record.get("meta", {}).get("usage") or {}


def _reply_tokens(out: Path, record: dict[str, Any]) -> int:
    text = (out / record["meta"]["text_file"]).read_text(encoding="utf-8")
    return tokens(len(text))


def _llm_items(records: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """(items the LLM reader contributed, values it dropped after validation)."""
    kinds = ("offences", "victims", "suspects", "platforms", "outcomes_by_type", "exemptions")
    items = sum("llm" in item.get("readers", []) for r in records for k in kinds
                for item in r.get(k, []))
    dropped = sum(f.get("code") == "llm_dropped" for r in records for f in r.get("flags", []))
    return items, dropped


def economy(first: RunResult, out: Path) -> dict[str, Any]:
    """Calls and prompt tokens per reply from a first (uncached) run."""
    n = len(first.records)
    calls = [int(_usage(r).get("requests", 0)) for r in first.records]
    reply_tok = sum(_reply_tokens(out, r) for r in first.records)
    f = first.fake
    prompt_tok, fixed_tok = tokens(f["prompt_chars"]), tokens(f["fixed_chars"])
    per_call_fixed = fixed_tok / max(1, f["requests"])
    variable = prompt_tok - fixed_tok
    accepted, dropped = _llm_items(first.records)
    return {"replies": n, "failed": first.failed, "http_calls": f["requests"],
            "llm_items_accepted": accepted, "llm_values_dropped": dropped,
            "calls_per_reply": round(f["requests"] / max(1, n), 3),
            "max_calls_one_reply": max(calls, default=0),
            "reply_tokens_per_reply": round(reply_tok / max(1, n), 1),
            "prompt_tokens_per_reply": round(prompt_tok / max(1, n), 1),
            "fixed_prompt_tokens_per_call": round(per_call_fixed, 1),
            "variable_prompt_tokens_per_reply": round(variable / max(1, n), 1),
            "variable_over_reply_tokens": round(variable / max(1, reply_tok), 3),
            "schema_tokens_per_call": round(tokens(f["schema_chars"]) / max(1, f["requests"]),
                                            1),
            "chunk_message_tokens_per_reply": {
                k: round(tokens(f[f"{k}_chars"]) / max(1, n), 1)
                for k in ("text", "tables", "hints")} | {
                "json_quoting": round((tokens(f["chunk_chars"]) - tokens(
                    f["text_chars"] + f["tables_chars"] + f["hints_chars"])) / max(1, n), 1)},
            "usage_input_tokens_reported": sum(int(_usage(r).get("input_tokens", 0))
                                               for r in first.records),
            "token_estimate": "characters / 4 (extract.chunking.tokens, the reader's own)"}


def rerun_check(fresh: RunResult, same: RunResult) -> dict[str, Any]:
    """Cache hits when the same replies are redone (fresh folder) and skipped (same folder)."""
    chunks = sum(int(_usage(r).get("requests", 0)) + int(_usage(r).get("cached", 0))
                 for r in fresh.records)
    hits = sum(int(_usage(r).get("cached", 0)) for r in fresh.records)
    return {"fresh_folder": {"replies": fresh.ok, "http_calls": fresh.fake["requests"],
                             "cache_hits": hits, "chunks": chunks,
                             "hit_rate": round(hits / chunks, 4) if chunks else None,
                             "wall_s": round(fresh.wall_s, 2)},
            "same_folder": {"skipped": same.skipped, "http_calls": same.fake["requests"],
                            "wall_s": round(same.wall_s, 2)}}


def measure_economy(replies: Sequence[Any], work: Path, workers: int = 8) -> dict[str, Any]:
    """Economy and rerun figures for ``replies`` against an instant fake."""
    with fake_server(0.0) as fake:
        cache = work / "econ-cache"
        first = run_once(replies, fake, work / "econ-1", cache, workers)
        fresh = run_once(replies, fake, work / "econ-2", cache, workers)
        same = run_once(replies, fake, work / "econ-1", cache, workers)
    return {**economy(first, work / "econ-1"), "rerun": rerun_check(fresh, same)}


def measure_concurrency(replies: Sequence[Any], work: Path, workers: Sequence[int],
                        delay_s: float) -> dict[str, Any]:
    """Wall time per worker count against a fake that takes ``delay_s`` per request."""
    rows: list[dict[str, Any]] = []
    with fake_server(delay_s) as fake:
        for w in workers:
            r = run_once(replies, fake, work / f"conc-{w}", work / f"conc-cache-{w}", w)
            rows.append({"workers": w, "wall_s": round(r.wall_s, 2),
                         "cpu_s": round(r.cpu_s, 2), "ok": r.ok, "failed": r.failed,
                         "http_calls": r.fake["requests"],
                         "peak_in_flight": r.fake["peak_in_flight"]})
    base = rows[0]["wall_s"] if rows and rows[0]["workers"] == 1 else None
    for row in rows:
        row["speedup"] = round(base / row["wall_s"], 2) if base else None
        # what perfect overlap would give: each worker's calls back to back
        calls = row["http_calls"] / max(1, row["ok"] + row["failed"])
        row["ideal_wall_s"] = round(len(replies) * calls * delay_s / row["workers"], 2)
    return {"replies": len(replies), "delay_s": delay_s, "runs": rows}


def run_all(economy_n: int, concurrency_n: int, workers: Sequence[int], delay_s: float,
            seed: int) -> dict[str, Any]:
    """Both benchmarks on one generated corpus, in one process."""
    with tempfile.TemporaryDirectory(prefix="foi-llm-bench-") as tmp:
        work = Path(tmp)
        replies = make_replies(work / "corpus", max(economy_n, concurrency_n), seed)
        return {"seed": seed,
                "llm_economy": measure_economy(replies[:economy_n], work),
                "concurrency": measure_concurrency(replies[:concurrency_n], work, workers,
                                                   delay_s)}


def targets(results: dict[str, Any]) -> dict[str, Any]:
    """Issue #9's LLM targets, each with the measured value and whether it was met."""
    econ, conc = results["llm_economy"], results["concurrency"]
    speed = {r["workers"]: r["speedup"] for r in conc["runs"]}
    rerun = econ["rerun"]["fresh_folder"]["http_calls"]
    out = {"calls_per_reply<=1.2": (econ["calls_per_reply"], econ["calls_per_reply"] <= 1.2),
           "variable_prompt<=2x_reply_tokens": (econ["variable_over_reply_tokens"],
                                                econ["variable_over_reply_tokens"] <= 2.0),
           "rerun_http_calls==0": (rerun, rerun == 0)}
    if speed.get(16) is not None:
        out["speedup_16_workers>=12"] = (speed[16], speed[16] >= 12)
    return {k: {"measured": v, "met": ok} for k, (v, ok) in out.items()}


def print_results(results: dict[str, Any]) -> None:
    """A plain table of the figures."""
    e = results["llm_economy"]
    print(f"LLM economy ({e['replies']} text replies): {e['calls_per_reply']} calls/reply, "
          f"prompt {e['prompt_tokens_per_reply']} tok/reply = fixed "
          f"{e['fixed_prompt_tokens_per_call']}/call + variable "
          f"{e['variable_prompt_tokens_per_reply']} ({e['variable_over_reply_tokens']}x reply "
          f"tokens {e['reply_tokens_per_reply']})")
    parts = ", ".join(f"{k} {v}" for k, v in e["chunk_message_tokens_per_reply"].items())
    print(f"variable part per reply, tokens: {parts}")
    r = e["rerun"]["fresh_folder"]
    print(f"rerun (fresh folder, same cache): {r['http_calls']} HTTP calls, "
          f"{r['cache_hits']}/{r['chunks']} cache hits; same folder: "
          f"{e['rerun']['same_folder']['skipped']} skipped")
    c = results["concurrency"]
    print(f"concurrency ({c['replies']} replies, fake answers in {c['delay_s']} s):")
    print(f"{'workers':>8} {'wall s':>8} {'speedup':>8} {'ideal s':>8} {'CPU s':>7} "
          f"{'in flight':>9} {'failed':>6}")
    for row in c["runs"]:
        print(f"{row['workers']:>8} {row['wall_s']:>8} {row['speedup']!s:>8} "
              f"{row['ideal_wall_s']:>8} {row['cpu_s']:>7} {row['peak_in_flight']:>9} "
              f"{row['failed']:>6}")
    for name, t in (results.get("targets") or results.get("llm_targets") or {}).items():
        print(f"target {name}: {t['measured']} {'met' if t['met'] else 'MISSED'}")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point (``--serve`` runs the fake model server itself)."""
    ap = argparse.ArgumentParser(prog="python -m bench.llm_bench",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--economy-n", type=int, default=100)
    ap.add_argument("--concurrency-n", type=int, default=200)
    ap.add_argument("--workers", default="1,4,16,64")
    ap.add_argument("--delay", type=float, default=0.5, help="fake answer time, seconds")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve_forever(args.delay)
        return
    from bench.run import machine

    results = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M:%S"),
               **run_all(args.economy_n, args.concurrency_n,
                         [int(w) for w in args.workers.split(",")], args.delay, args.seed)}
    results["targets"] = targets(results)
    print_results(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
