"""A FAKE OpenAI-compatible chat-completions server for fault tests (not a real model).

It listens on 127.0.0.1 and plays a script: each request takes the next step (an HTTP
error with headers, a hang past the client's timeout, a body cut mid-way, or a scripted
answer). Every request body is kept so tests can check what the client sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted response."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    answer: Any = None  # JSON-able: sent as the assistant message content
    content: str | None = None  # raw content string (overrides answer)
    body: str | None = None  # raw HTTP body (overrides everything)
    hang_s: float = 0.0
    cut: bool = False
    finish_reason: str = "stop"  # "length": the answer was stopped by max_tokens


def completion(content: str, prompt_tokens: int = 100, completion_tokens: int = 20,
               finish_reason: str = "stop") -> dict:
    """A chat.completion object carrying ``content``."""
    return {"id": "fake-1", "object": "chat.completion", "created": 0, "model": "fake-model",
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


class FakeOpenAI:
    """The scripted fake server; use :func:`serve`."""

    def __init__(self, default: Step | None = None) -> None:
        self.script: deque[Step] = deque()
        self.default = default or Step(answer={})
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []  # each request's HTTP headers
        self.lock = threading.Lock()

    def push(self, *steps: Step) -> None:
        """Queue steps to play, in order."""
        self.script.extend(steps)

    def next_step(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> Step:
        with self.lock:
            self.requests.append(body)
            self.headers.append(headers or {})
            return self.script.popleft() if self.script else self.default


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            step = fake.next_step(body, dict(self.headers.items()))
            if step.hang_s:
                time.sleep(step.hang_s)
            if step.body is not None:
                payload = step.body
            elif step.status != 200:
                payload = json.dumps({"error": {"message": f"fake error {step.status}",
                                                "type": "fake"}})
            else:
                content = step.content if step.content is not None else json.dumps(step.answer)
                payload = json.dumps(completion(content, finish_reason=step.finish_reason))
            data = payload.encode()
            self.send_response(step.status)
            self.send_header("Content-Type", "application/json")
            for k, v in step.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data) + (500 if step.cut else 0)))
            self.end_headers()
            try:
                self.wfile.write(data[: len(data) // 2] if step.cut else data)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            if step.cut:
                self.close_connection = True

    return Handler


@contextmanager
def serve(fake: FakeOpenAI) -> Iterator[str]:
    """Run the fake on 127.0.0.1 (a free port); yields its base URL (…/v1)."""
    with serve_handler(_handler(fake)) as url:
        yield url


@contextmanager
def serve_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve a request handler on 127.0.0.1 (a free port); yields its base URL (…/v1)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
