"""Fuzzing with hypothesis: hostile or random input never crashes a stage, never hangs.

Only ``extract.errors.ExtractError`` subclasses may escape a stage (loaders: nothing at all,
they report errors in the load context). Every call runs under a wall-clock guard, so a hang
fails the test instead of stalling it. Heavier versions run from ``bench/reliability.py``.
"""

from __future__ import annotations

import functools
import io
import os
import string
import tempfile
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.document import Block, Document, LoadResult, Part
from extract.errors import ExtractError, ReplyTimeout
from extract.limits import Limits
from extract.load import load_files
from extract.load.base import LoadContext
from extract.load.dispatch import EXTENSIONS, load_bytes
from extract.normalise import clean_cell, clean_chars, normalise
from extract.periods import find_financial_years, find_ranges, footnote_ends, label_period
from extract.pipeline import cap_tables, with_deadline
from extract.readers.labels import age_band, classify
from extract.readers.rules import read_rules
from extract.tables import find_tables
from schemas import Record
from tests.fixtures.render import render_all

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "replies").glob("*.txt"))
FILE_LIMIT_S = 20.0  # per file or per stage call: anything slower counts as a hang
MAX_EXAMPLES = int(os.environ.get("FOI_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=5000,
                derandomize="FOI_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LOADER_LIMITS = Limits(reply_timeout_s=10.0)

# Words that steer random text into the readers' interesting paths.
TOKENS = ["2019", "2020", "2021/22", "2023-24", "FY 2021-22", "Total", "Grand Total", "Sum:",
          "|", "| ", "---", "\t", "\n", "\n\n", " ", "-", "–", "*", "<5", "Nil return", "nil",
          "Male", "Female", "Unknown", "under 13", "13-15", "16 and over", "11 and under",
          "Snapchat", "Instagram", "Other", "Section 40(2)", "section 30", "NCND",
          "neither confirm nor deny", "71/17", "HO code 71/17", "Offence", "offences",
          "between 1st April 2024 and 31st March 2025", "1 January 2020", "to 16 July 2015",
          "Charged", "Outcome", "Victim", "Suspect", "aged", "youngest", "was 12", "Age",
          "Year", "[part: a.pdf]", "0", "7", "52", "1,234", "999999999999999999999", "(", ")",
          ":", "=", "Question 1", "Response", "Please see attached", "Force", "Reference"]
text_st = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)),
                   max_size=120).map("".join)
cell_st = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
grid_st = st.lists(st.lists(cell_st, min_size=0, max_size=8), min_size=0, max_size=12)


def bounded(fn: Callable[[], T], seconds: float = FILE_LIMIT_S) -> T:
    """``fn()`` under a wall-clock limit; a hang is a test failure, not a stalled suite."""
    try:
        return with_deadline(fn, seconds, "fuzz case")
    except ReplyTimeout:
        pytest.fail(f"took longer than {seconds} s (hang)")


def only_extract_errors(fn: Callable[[], T]) -> T | None:
    """``fn()``, tolerating ExtractError subclasses only (any other exception fails)."""
    try:
        return bounded(fn)
    except ExtractError:
        return None


def _doc(text: str, doc_id: str = "fuzz") -> Document:
    loaded = LoadResult(parts=[Part(name="f.txt", media="text/plain",
                                    blocks=[Block(kind="text", text=text)])])
    doc = normalise(doc_id, loaded)
    doc.tables = find_tables(doc)
    return doc


def _spans_hold(doc: Document) -> None:
    for t in doc.tables:
        assert 0 <= t.start <= t.end <= len(doc.text)
        for row in t.rows:
            for c in row:
                assert doc.text[c.start:c.end] == c.text, (t.source, c)


# ------------------------------------------------------------------ text stages


@FUZZ
@given(st.text(max_size=400))
def test_clean_chars_and_cells_never_fail(text: str) -> None:
    cleaned = bounded(lambda: clean_chars(text))
    assert "\r" not in cleaned
    assert "\t" not in clean_cell(text) and "\n" not in clean_cell(text)


@FUZZ
@given(st.lists(st.one_of(text_st.map(lambda t: Block(kind="text", text=t)),
                          grid_st.map(lambda g: Block(kind="table", rows=g, source="html"))),
                max_size=6), st.integers(50, 5000))
def test_normalise_keeps_every_cell_span_true(blocks: list[Block], cap: int) -> None:
    loaded = LoadResult(parts=[Part(name="a.html", media="text/html", blocks=blocks[:3]),
                               Part(name="b.pdf", media="application/pdf", blocks=blocks[3:])])
    doc = bounded(lambda: normalise("n", loaded, Limits(max_text_chars=cap)))
    assert len(doc.text) <= cap
    _spans_hold(doc)
    for p in doc.parts:
        assert 0 <= p.start <= p.end <= len(doc.text)


@FUZZ
@given(text_st)
def test_find_tables_gives_true_spans(text: str) -> None:
    doc = bounded(lambda: _doc(text))
    _spans_hold(doc)
    cap_tables(doc, 10)
    assert all(sum(max(1, len(r)) for r in t.rows) <= 10 for t in doc.tables)


@FUZZ
@given(st.one_of(text_st, st.text(max_size=60)))
def test_period_parsers_give_ordered_periods(text: str) -> None:
    found = bounded(lambda: find_ranges(text) + find_financial_years(text, offset=3))
    for f in found:
        assert f.period.start <= f.period.end and 0 <= f.start <= f.end
    notes = bounded(lambda: footnote_ends(text))
    p = bounded(lambda: label_period(text, notes))
    assert p is None or p.start <= p.end


@FUZZ
@given(st.one_of(st.sampled_from(TOKENS), st.text(max_size=30), text_st))
def test_age_band_is_none_or_the_contract_grammar(label: str) -> None:
    band = bounded(lambda: age_band(label))
    assert band is None or band == "unknown" or band[0].isdigit()
    bounded(lambda: classify(label))


@FUZZ
@given(text_st)
def test_rules_reader_on_random_text_gives_a_valid_record(text: str) -> None:
    record = only_extract_errors(lambda: read_rules(_doc(text)))
    if record is not None:
        Record.model_validate(record.model_dump())


@FUZZ
@given(st.sampled_from(EXAMPLES), st.integers(0, 10_000), st.integers(0, 400), text_st)
def test_rules_reader_on_mangled_real_replies(path: Path, at: int, cut: int,
                                              noise: str) -> None:
    text = path.read_text(encoding="utf-8")
    at %= len(text) + 1
    mangled = text[:at] + noise + text[at + cut:]
    record = only_extract_errors(lambda: read_rules(_doc(mangled)))
    if record is not None:
        Record.model_validate(record.model_dump())


# ------------------------------------------------------------------ loaders

EXT_ST = st.sampled_from([*EXTENSIONS, ".png", ".doc", ".bin", ""])


def _load_one(name: str, data: bytes, limits: Limits = LOADER_LIMITS) -> LoadContext:
    """Load bytes under the per-file guard; loaders must not raise anything."""
    ctx = LoadContext(limits=limits)
    bounded(lambda: load_bytes(name, data, ctx))
    assert all(isinstance(e, str) and e for e in ctx.errors)
    return ctx


@FUZZ
@given(EXT_ST, st.binary(max_size=3000))
def test_loaders_on_random_bytes(ext: str, data: bytes) -> None:
    _load_one(f"random{ext}", data)


MAGIC = [b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><table>",
         b"From: a@b\nSubject: x\nMIME-Version: 1.0\n"]


@FUZZ
@given(st.sampled_from(MAGIC), EXT_ST, st.binary(max_size=2000))
def test_loaders_on_random_bytes_behind_real_magic(magic: bytes, ext: str, tail: bytes) -> None:
    _load_one(f"magic{ext}", magic + tail)


@functools.cache
def rendered() -> dict[str, bytes]:
    """One real reply in every format (built once per test session)."""
    items: list[str | list[list[str]]] = [
        "Dear requester, thank you for your request.",
        [["Year", "Male", "Female"], ["2021", "4", "7"], ["2022", "<5", "12"]],
        "Section 40(2) was applied to the ages of victims."]
    folder = Path(tempfile.mkdtemp(prefix="foi-fuzz-"))
    return {f"reply.{k}": p.read_bytes() for k, p in render_all(items, folder, "r").items()}


@FUZZ
@given(st.sampled_from(["reply.pdf", "reply.docx", "reply.xlsx", "reply.html", "reply.eml",
                        "reply.zip"]), st.floats(0.0, 1.0), st.binary(max_size=40),
       st.booleans())
def test_loaders_on_truncated_and_corrupted_real_files(name: str, frac: float, junk: bytes,
                                                       corrupt: bool) -> None:
    data = rendered()[name]
    at = int(len(data) * frac)
    mangled = data[:at] + junk + data[at + len(junk):] if corrupt else data[:at]
    _load_one(name, mangled)


def test_every_rendered_format_loads_whole() -> None:
    for name, data in rendered().items():
        ctx = LoadContext(limits=LOADER_LIMITS)
        parts = load_bytes(name, data, ctx)
        assert parts and not ctx.errors, (name, ctx.errors)


def _zip_of(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def _nested_eml(depth: int) -> bytes:
    inner = EmailMessage()
    inner["Subject"] = "leaf"
    inner.set_content("leaf letter")
    for n in range(depth):
        outer = EmailMessage()
        outer["Subject"] = f"level {n}"
        outer["From"] = "foi@police.example"
        outer.set_content("see attached")
        outer.add_attachment(bytes(inner), maintype="application", subtype="octet-stream",
                             filename=f"m{n}.eml")
        inner = outer
    return bytes(inner)


HOSTILE: dict[str, Callable[[], tuple[str, bytes]]] = {
    "huge csv cell": lambda: ("big.csv", b"Year,Count\n2020," + b"9" * 3_000_000 + b"\n"),
    "huge html cell": lambda: ("big.html", b"<table><tr><td>" + b"x " * 1_500_000
                               + b"</td></tr></table>"),
    "huge line txt": lambda: ("line.txt", b"Total " * 500_000),
    "deep html": lambda: ("deep.html", b"<div>" * 100_000 + b"x" + b"</div>" * 100_000),
    "deep tables": lambda: ("deep.html", b"<table><tr><td>" * 5_000 + b"7"),
    "colspan bomb": lambda: ("bomb.html", b"<table>" + (b"<tr>" + b"<td colspan=1000 "
                             b"rowspan=1000>1</td>" * 50 + b"</tr>") * 400 + b"</table>"),
    "many columns csv": lambda: ("wide.csv", b",".join([b"1"] * 400_000) + b"\n"),
    "deep zips": lambda: ("z.zip", functools.reduce(lambda d, i: _zip_of(f"l{i}.zip", d),
                                                    range(12), b"leaf")),
    "deep e-mails": lambda: ("m.eml", _nested_eml(12)),
    "binary as txt": lambda: ("noise.txt", bytes(range(256)) * 4000),
    "nul bytes html": lambda: ("nul.html", b"<p>" + b"\x00" * 100_000 + b"</p>"),
    "unicode soup": lambda: ("u.txt", "".join(chr(c) for c in range(0x20, 0x3000)).encode()),
    "bad utf-16": lambda: ("u16.txt", b"\xff\xfe" + b"\x00\xd8" * 5000),
    "zip with traversal names": lambda: ("t.zip", _zip_of("../../etc/passwd.txt", b"root")),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_or_read_within_limits(case: str, tmp_path: Path) -> None:
    name, data = HOSTILE[case]()
    path = tmp_path / name
    path.write_bytes(data)
    result = bounded(lambda: load_files([path], LOADER_LIMITS))
    loaded_cells = sum(len(r) for p in result.parts for b in p.blocks for r in b.rows)
    assert loaded_cells <= LOADER_LIMITS.max_table_cells
    doc = bounded(lambda: normalise("h", result, LOADER_LIMITS))
    if doc.text.strip():
        doc.tables = bounded(lambda: find_tables(doc))
        cap_tables(doc, LOADER_LIMITS.max_table_cells)
        only_extract_errors(lambda: read_rules(doc))


@FUZZ
@given(st.text(alphabet=string.printable, max_size=40))
def test_load_files_reports_missing_and_odd_paths(name: str) -> None:
    safe = name.replace("/", "_").replace("\x00", "_") or "_"
    result = bounded(lambda: load_files([Path(tempfile.gettempdir()) / "nope" / safe]))
    assert not result.parts and result.errors
