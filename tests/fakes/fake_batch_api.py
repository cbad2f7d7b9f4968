"""A FAKE of OpenAI's Files and Batches endpoints, for offline tests of batch mode.

This is not a recording and not OpenAI: it is a small in-memory server on 127.0.0.1 that
accepts the same requests the openai client sends (multipart upload to ``/v1/files``,
``/v1/batches`` create and retrieve, ``/v1/files/{id}/content``) and answers with objects
of the documented shapes. A batch moves one step per status poll
(validating -> in_progress -> finalizing -> completed); when it completes, every input
line is answered by ``responder`` (return a completion body for the output file, or an
``(status, error body)`` pair / ``None`` to put a failure in the error file).
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.fake_openai import serve_handler

Responder = Callable[[dict[str, Any]], Any]
_STEPS = ["validating", "in_progress", "finalizing", "completed"]


def _default_responder(line: dict[str, Any]) -> Any:
    return {"id": "fake", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "{}"}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}}


@dataclass
class FakeBatchAPI:
    """The fake's state: uploaded files, batches, and every request it received."""

    responder: Responder = _default_responder
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        """A fresh object id."""
        return f"{prefix}-fake{next(self._ids):04d}"

    def add_file(self, name: str, purpose: str, data: bytes) -> dict[str, Any]:
        """Store a file; its public object."""
        fid = self.new_id("file")
        self.files[fid] = {"id": fid, "object": "file", "bytes": len(data), "created_at": 0,
                           "filename": name, "purpose": purpose, "status": "processed",
                           "data": data}
        return self.public_file(fid)

    def public_file(self, fid: str) -> dict[str, Any]:
        """A file object without its bytes."""
        return {k: v for k, v in self.files[fid].items() if k != "data"}

    def create_batch(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body) of a batch create."""
        if params.get("input_file_id") not in self.files:
            return 400, {"error": {"message": "no such input file", "type": "invalid_request"}}
        bid = self.new_id("batch")
        lines = self.files[params["input_file_id"]]["data"].decode().splitlines()
        self.batches[bid] = {
            "id": bid, "object": "batch", "endpoint": params.get("endpoint"),
            "input_file_id": params["input_file_id"], "status": "validating",
            "completion_window": params.get("completion_window"), "created_at": 0,
            "metadata": params.get("metadata"), "output_file_id": None, "error_file_id": None,
            "errors": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0}}
        return 200, self.batches[bid]

    def poll(self, bid: str) -> dict[str, Any]:
        """Advance a batch one step and return it."""
        batch = self.batches[bid]
        i = _STEPS.index(batch["status"]) if batch["status"] in _STEPS else len(_STEPS) - 1
        if i < len(_STEPS) - 1:
            batch["status"] = _STEPS[i + 1]
            if batch["status"] == "completed":
                self._run(batch)
        return batch

    def _run(self, batch: dict[str, Any]) -> None:
        out, errs = [], []
        data = self.files[batch["input_file_id"]]["data"].decode()
        for n, raw in enumerate(data.splitlines()):
            line = json.loads(raw)
            answer = self.responder(line)
            rid = f"batch_req_fake{n}"
            if isinstance(answer, dict):
                out.append({"id": rid, "custom_id": line["custom_id"], "error": None,
                            "response": {"status_code": 200, "request_id": f"req_{n}",
                                         "body": answer}})
            else:
                status, body = answer or (500, {"error": {"message": "fake server error"}})
                errs.append({"id": rid, "custom_id": line["custom_id"], "error": None,
                             "response": {"status_code": status, "request_id": f"req_{n}",
                                          "body": body}})
        counts = batch["request_counts"]
        counts["completed"], counts["failed"] = len(out), len(errs)
        for key, rows in (("output_file_id", out), ("error_file_id", errs)):
            if rows:
                text = "".join(json.dumps(r) + "\n" for r in rows).encode()
                batch[key] = self.add_file(f"{batch['id']}_{key}.jsonl", "batch_output",
                                           text)["id"]


def _form(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Fields of a multipart/form-data body: name -> (file name, bytes)."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    out: dict[str, tuple[str | None, bytes]] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        out[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return out


def _handler(fake: FakeBatchAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, obj: Any, raw: bytes | None = None) -> None:
            data = raw if raw is not None else json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if raw is not None
                             else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _record(self, body: Any) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append({"method": self.command, "path": self.path,
                                  "headers": headers, "body": body})

        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with fake.lock:
                if self.path == "/v1/files":
                    form = _form(self.headers.get("Content-Type", ""), raw)
                    name, data = form.get("file", (None, b""))
                    purpose = form.get("purpose", (None, b""))[1].decode()
                    self._record({"purpose": purpose, "filename": name, "file": data})
                    return self._send(200, fake.add_file(name or "upload", purpose, data))
                if self.path == "/v1/batches":
                    params = json.loads(raw or b"{}")
                    self._record(params)
                    return self._send(*fake.create_batch(params))
            self._send(404, {"error": {"message": f"no route {self.path}"}})

        def do_GET(self) -> None:  # noqa: N802
            with fake.lock:
                self._record(None)
                batch = re.fullmatch(r"/v1/batches/([\w-]+)", self.path)
                content = re.fullmatch(r"/v1/files/([\w-]+)/content", self.path)
                if batch and batch[1] in fake.batches:
                    return self._send(200, fake.poll(batch[1]))
                if content and content[1] in fake.files:
                    return self._send(200, None, fake.files[content[1]]["data"])
            self._send(404, {"error": {"message": f"not found: {self.path}",
                                       "type": "invalid_request_error"}})

    return Handler


@contextmanager
def serve(fake: FakeBatchAPI) -> Iterator[str]:
    """Run the fake on 127.0.0.1 (a free port); yields its base URL (…/v1)."""
    with serve_handler(_handler(fake)) as url:
        yield url
