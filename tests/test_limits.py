"""Every field of ``Limits`` is enforced where it belongs, and a different value changes it.

Each test runs the same input twice: under a tight limit (the input is cut or refused, with a
message naming the limit) and under the default or a looser one (the input is read whole).
"""

from __future__ import annotations

import dataclasses
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.document import Block, LoadResult, Part
from extract.errors import ReplyTimeout
from extract.grouping import ReplyInput
from extract.limits import Limits
from extract.load import load_files
from extract.load.base import LoadContext
from extract.load.dispatch import load_bytes
from extract.normalise import normalise
from extract.pipeline import RunConfig, prepare, process_reply, with_deadline
from extract.runner import run_batch
from tests.fixtures.render import render_pdf, render_xlsx

LETTER = "Dear requester,\nThe number of offences recorded in 2023 was 12.\n"


def _limits(**kw: float) -> Limits:
    return dataclasses.replace(Limits(), **kw)  # type: ignore[arg-type]


def _load(name: str, data: bytes, limits: Limits) -> tuple[list[Part], LoadContext]:
    ctx = LoadContext(limits=limits)
    return load_bytes(name, data, ctx), ctx


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _cells(parts: list[Part]) -> int:
    return sum(len(r) for p in parts for b in p.blocks for r in b.rows)


def test_every_limit_field_has_a_test_here() -> None:
    names = {f.name for f in dataclasses.fields(Limits)}
    tested = {n.removeprefix("test_").split("__")[0] for n in globals() if n.startswith("test_")}
    assert names <= tested, f"limits without a test: {sorted(names - tested)}"


def test_max_file_bytes__per_file_cap(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER * 10)
    size = path.stat().st_size
    tight = load_files([path], _limits(max_file_bytes=size - 1))
    assert not tight.parts and "over the limit" in tight.errors[0]
    assert f"{size - 1:,}" in tight.errors[0]
    loose = load_files([path], _limits(max_file_bytes=size))
    assert loose.parts and not loose.errors
    # archive members are held to the same cap
    parts, ctx = _load("a.zip", _zip({"big.txt": LETTER.encode() * 50}), _limits(
        max_file_bytes=len(LETTER) * 10))
    assert not parts and any("big.txt" in e and "over the limit" in e for e in ctx.errors)


def test_max_pages__pdf_pages_read(tmp_path: Path) -> None:
    items: list[str | list[list[str]]] = [f"Page text number {i}. " + "Filler line. " * 400
                                          for i in range(3)]
    pdf = render_pdf(items, tmp_path / "long.pdf").read_bytes()
    parts, ctx = _load("long.pdf", pdf, _limits(max_pages=1))
    text = "\n".join(b.text for p in parts for b in p.blocks)
    assert "only the first 1 were read" in " ".join(ctx.warnings)
    assert "number 0" in text and "number 2" not in text
    parts, ctx = _load("long.pdf", pdf, Limits())
    assert "number 2" in "\n".join(b.text for p in parts for b in p.blocks)
    assert not any("only the first" in w for w in ctx.warnings)


def test_max_zip_members__members_read() -> None:
    data = _zip({f"m{i}.txt": f"member {i}\n".encode() for i in range(5)})
    parts, ctx = _load("r.zip", data, _limits(max_zip_members=2))
    assert [p.name for p in parts] == ["r.zip/m0.txt", "r.zip/m1.txt"]
    assert any("5 members; only the first 2" in w for w in ctx.warnings)
    parts, _ = _load("r.zip", data, _limits(max_zip_members=5))
    assert len(parts) == 5


def test_max_unzipped_bytes__zip_bomb_budget() -> None:
    data = _zip({"a.txt": b"0" * 200_000})
    assert len(data) < 2_000  # a small file that unpacks 100x larger
    parts, ctx = _load("bomb.zip", data, _limits(max_unzipped_bytes=100_000))
    assert not parts and "zip bomb" in ctx.errors[0]
    # the budget is shared: two nested zips, each under it alone, together over it
    nested = _zip({"in1.zip": _zip({"x.txt": b"1" * 60_000}),
                   "in2.zip": _zip({"y.txt": b"2" * 60_000})})
    parts, ctx = _load("outer.zip", nested, _limits(max_unzipped_bytes=100_000))
    assert len(parts) < 2 and any("zip bomb" in e for e in ctx.errors)
    parts, ctx = _load("outer.zip", nested, _limits(max_unzipped_bytes=1_000_000))
    assert len(parts) == 2 and not ctx.errors


def test_max_nesting__archives_in_archives() -> None:
    data = b"deepest letter\n"
    name = "leaf.txt"
    for depth in range(4):
        data, name = _zip({name: data}), f"z{depth}.zip"
    parts, ctx = _load(name, data, _limits(max_nesting=2))
    assert not parts and any("nested more than 2 levels" in e for e in ctx.errors)
    parts, ctx = _load(name, data, _limits(max_nesting=4))
    assert [p.blocks[0].text.strip() for p in parts] == ["deepest letter"]


def test_max_table_cells__sheet(tmp_path: Path) -> None:
    grid = [[f"r{r}c{c}" for c in range(10)] for r in range(30)]
    data = render_xlsx([grid], tmp_path / "t.xlsx").read_bytes()
    parts, ctx = _load("t.xlsx", data, _limits(max_table_cells=100))
    assert _cells(parts) <= 100 and any("over 100 cells" in w for w in ctx.warnings)
    parts, _ = _load("t.xlsx", data, _limits(max_table_cells=300))
    assert _cells(parts) == 300


def test_max_table_cells__html_colspan_bomb() -> None:
    row = "<tr>" + "<td colspan=1000>7</td>" * 20 + "</tr>"
    page = f"<html><body><p>Offences</p><table>{row * 200}</table></body></html>".encode()
    assert len(page) < 100_000  # would lay out 4 million grid slots uncapped
    t0 = time.monotonic()
    parts, ctx = _load("bomb.html", page, Limits())
    assert time.monotonic() - t0 < 5
    assert 0 < _cells(parts) <= Limits().max_table_cells
    assert any("over 20,000 cells" in w for w in ctx.warnings)
    parts, _ = _load("bomb.html", page, _limits(max_table_cells=40_000))
    assert 20_000 < _cells(parts) <= 40_000


def test_max_table_cells__table_found_in_text(tmp_path: Path) -> None:
    rows = ["Year\t" + "\t".join(str(2000 + c) for c in range(9))]
    rows += [f"Row {r}\t" + "\t".join(str((r * c) % 7) for c in range(9)) for r in range(60)]
    path = tmp_path / "dump.txt"
    path.write_text("Offences recorded\n" + "\n".join(rows) + "\n")
    reply = ReplyInput(doc_id="dump", paths=[path])
    doc = prepare(reply, _limits(max_table_cells=100))
    assert doc.tables and all(sum(len(r) for r in t.rows) <= 100 for t in doc.tables)
    assert any("over 100 cells" in w for w in doc.warnings)
    for t in doc.tables:  # cut tables still point at their own text
        assert all(doc.text[c.start:c.end] == c.text for row in t.rows for c in row)
    whole = prepare(reply, Limits())
    assert sum(len(r) for t in whole.tables for r in t.rows) == 610


def test_max_text_chars__normalised_text() -> None:
    text = "Offences in 2023: 5.\n" * 1000
    loaded = LoadResult(parts=[Part(name="a.txt", media="text/plain",
                                    blocks=[Block(kind="text", text=text)])])
    doc = normalise("a", loaded, _limits(max_text_chars=1000))
    assert len(doc.text) == 1000 and any("cut to the first 1,000" in w for w in doc.warnings)
    assert normalise("a", loaded, Limits()).text == text


def test_reply_timeout_s__whole_reply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extract import pipeline

    path = tmp_path / "slow.txt"
    path.write_text(LETTER)
    real = pipeline.read

    def slow_read(doc, config):  # type: ignore[no-untyped-def]
        time.sleep(1.0 if doc.doc_id == "slow" else 0)
        return real(doc, config)

    monkeypatch.setattr(pipeline, "read", slow_read)
    reply = ReplyInput(doc_id="slow", paths=[path])
    with pytest.raises(ReplyTimeout, match="reply_timeout_s"):
        process_reply(reply, RunConfig(limits=_limits(reply_timeout_s=0.2)))
    record, _ = process_reply(reply, RunConfig(limits=_limits(reply_timeout_s=5)))
    assert record.doc_id == "slow"


def test_reply_timeout_s__batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extract import pipeline

    (tmp_path / "in").mkdir()
    for name in ("fast", "slow"):  # two different replies (one text twice is a duplicate)
        (tmp_path / "in" / f"{name}.txt").write_text(f"{LETTER}\nReply {name}.\n")
    real = pipeline.read

    def slow_read(doc, config):  # type: ignore[no-untyped-def]
        time.sleep(3.0 if doc.doc_id == "slow" else 0)
        return real(doc, config)

    monkeypatch.setattr(pipeline, "read", slow_read)
    replies = [ReplyInput(doc_id=n, paths=[tmp_path / "in" / f"{n}.txt"])
               for n in ("fast", "slow")]
    t0 = time.monotonic()
    summary = run_batch(replies, RunConfig(limits=_limits(reply_timeout_s=0.3)), tmp_path / "o")
    assert time.monotonic() - t0 < 2.5
    assert (summary.ok, summary.failed) == (1, 1)
    err = json.loads((tmp_path / "o" / "errors.jsonl").read_text())
    assert err["doc_id"] == "slow" and err["error"] == "ReplyTimeout"


def test_reply_timeout_s__pdf_parser_child(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from extract.load import pdf
    from tests.fakes import pdf_parsers

    data = render_pdf(["A short letter."], tmp_path / "a.pdf").read_bytes()
    # sleeps 30 s in the worker process: killed by the parent at the limit
    monkeypatch.setattr(pdf, "parse_pdf", pdf_parsers.hang)
    t0 = time.monotonic()
    parts, ctx = _load("a.pdf", data, _limits(reply_timeout_s=0.5))
    assert time.monotonic() - t0 < 5
    assert not parts and "longer than 0.5 s" in ctx.errors[0]


def test_pdf_memory_bytes__parser_memory_cap(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from extract.load import pdf
    from tests.fakes import pdf_parsers

    data = render_pdf(["A short letter."], tmp_path / "a.pdf").read_bytes()
    monkeypatch.setattr(pdf, "parse_pdf", pdf_parsers.greedy)  # takes 256 MiB in the worker
    parts, ctx = _load("a.pdf", data, _limits(pdf_memory_bytes=64 * 1024 * 1024))
    assert not parts and "more than 67,108,864 bytes of memory" in ctx.errors[0]
    parts, ctx = _load("a.pdf", data, _limits(pdf_memory_bytes=1024 * 1024 * 1024))
    assert parts and not ctx.errors


def test_with_deadline_passes_results_and_errors_through() -> None:
    assert with_deadline(lambda: 41 + 1, 1.0, "x") == 42
    with pytest.raises(ZeroDivisionError):
        with_deadline(lambda: 1 // 0, 1.0, "x")


def test_limits_are_configurable_from_the_cli(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(LETTER * 4)
    runner = CliRunner()
    out = tmp_path / "out"
    res = runner.invoke(main, ["run", str(tmp_path / "in"), "--out", str(out), "--backend",
                               "rules", "--quiet", "--limit", "max_file_bytes=20"])
    assert res.exit_code == 1
    err = json.loads((out / "errors.jsonl").read_text())
    assert "over the limit of 20" in err["message"]
    bad = runner.invoke(main, ["run", str(tmp_path / "in"), "--out", str(out), "--limit",
                               "max_bogus=1"])
    assert bad.exit_code == 2 and "max_bogus" in bad.output
