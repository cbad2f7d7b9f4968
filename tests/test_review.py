"""review.html: escaping, overlapping highlights, and a real check in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from extract.document import Document
from extract.review import Span, build_review, highlight
from extract.runner import run_batch
from schemas import Evidence, Flag, OffenceCount, Period, PlatformRow, Record
from tests.test_runner_support import FakeReply, fake_process, replies_in

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (as root: apt-get update && "
    "apt-get install -y chromium)")

HOSTILE_ID = "000-hostile"  # sorts first, so the screenshot shows its highlights
HOSTILE = ("Reply <b>bold</b> & <script>document.body.dataset.pwned='1'</script>\n"
           "<img src=x onerror=\"document.body.dataset.pwned='2'\">\n"
           "Offences 2023: 12\nSnapchat 12 offences\n\"quoted\" 'single' é 🙂 end")


def _ev(text: str, needle: str, nth: int = 0) -> Evidence:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Evidence(start=start, end=start + len(needle), quote=needle)


def hostile_process(reply: FakeReply, config: object) -> tuple[Record, Document]:
    """A reply whose text attacks the page, with overlapping and flagged evidence."""
    if reply.doc_id != HOSTILE_ID:
        return fake_process(reply, config)
    text = HOSTILE
    year = Period(start=date(2023, 1, 1), end=date(2023, 12, 31))
    off_ev = _ev(text, "12")
    snap_ev = _ev(text, "Snapchat 12")
    snap_count_ev = _ev(text, "12", 1)  # inside the Snapchat span: an overlap
    record = Record(
        doc_id=HOSTILE_ID, outcome="full", reference="<script>alert(1)</script>",
        offences=[OffenceCount(period=year, count=12, evidence=[off_ev], readers=["rules", "llm"])],
        platforms=[
            PlatformRow(period=year, label="Snapchat", platforms=["Snapchat"], count=12,
                        evidence=[snap_ev], readers=["llm"]),
            PlatformRow(period=year, label="<i>x</i>", platforms=[], count=12,
                        evidence=[snap_count_ev], readers=["rules"]),
        ],
        evidence={"reference": [_ev(text, "<script>document")]},
        flags=[Flag(code="check", message="<b>look</b>", evidence=[off_ev])])
    return record, Document(doc_id=HOSTILE_ID, text=text)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review")
    src = root / "in"
    src.mkdir()
    for p in replies_in(Path(__file__).resolve().parent.parent / "examples" / "replies"):
        shutil.copy(p.paths[0], src / p.paths[0].name)
    (src / "000-hostile.txt").write_text("placeholder")
    (src / "broken.txt").write_text("CORRUPT")
    out = root / "out"
    run_batch(replies_in(src), {"backend": "test"}, out, process=hostile_process)
    return out


def test_highlight_splits_overlaps_and_escapes() -> None:
    text = "a <b> 12 & 34"
    spans = [Span("1", 2, 8, "offences", False, "t1"), Span("2", 6, 13, "victims", True, "t2")]
    frag = lxml.html.fragment_fromstring(f"<pre>{highlight(text, spans)}</pre>")
    assert frag.text_content() == text
    marks = [(m.get("data-f"), m.text_content(), m.get("class")) for m in frag]
    assert marks == [("1", "<b> ", "k-offences"), ("1 2", "12", "k-offences multi flag"),
                     ("2", " & 34", "k-victims flag")]
    assert "&#13;" in highlight("a\r\nb", [])


def test_page_is_self_contained_and_escaped(out_dir: Path) -> None:
    page = (out_dir / "review.html").read_text()
    assert "<script>document.body" not in page and "<img src=x" not in page
    assert page.count("<script") == 1  # ours only
    assert "http://" not in page and "https://" not in page and "src=\"http" not in page
    assert "Content-Security-Policy" in page
    root = lxml.html.fromstring(page)
    index = root.get_element_by_id("index")
    assert "broken" in index.text_content() and "LoadError" in index.text_content()
    assert len(root.find_class("reply")) == 6  # 5 examples + hostile; broken failed


def _marks(pre: lxml.html.HtmlElement) -> dict[str, list[tuple[int, int, str]]]:
    """fact id -> [(start, end, text)] of its <mark> segments, offsets in the pre's text."""
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    pos = len(pre.text or "")
    for child in pre:
        assert child.tag == "mark"
        t = child.text_content()
        for fid in child.get("data-f").split():
            out[fid].append((pos, pos + len(t), t))
        pos += len(t) + len(child.tail or "")
    return out


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={tmp / 'profile'}", "--virtual-time-budget=3000",
           *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=True)


@needs_chromium
def test_chromium_highlights_sit_on_their_evidence(out_dir: Path, tmp_path: Path) -> None:
    url = (out_dir / "review.html").as_uri()
    dom = _chromium("--dump-dom", url, tmp=tmp_path).stdout
    root = lxml.html.fromstring(dom)
    body = root.find("body")
    assert body.get("data-ready") == "1"  # our script ran (CSP hash matches)
    assert body.get("data-pwned") is None  # the reply's script and onerror did not
    section = next(s for s in root.find_class("reply") if s.get("data-doc") == HOSTILE_ID)
    pre = section.find_class("text")[0]
    assert pre.text_content() == HOSTILE  # one DOM character per text character
    marks = _marks(pre)
    rows = {tr.get("data-fid"): tr for tr in section.find_class("fact")}
    checked = 0
    for fid, segs in marks.items():
        quote = rows[fid].findall("td")[3].text_content()
        start, end = segs[0][0], segs[-1][1]
        assert "".join(s[2] for s in segs) == quote == HOSTILE[start:end]
        checked += 1
    assert checked == 4  # reference, offence, two platform rows
    flagged = [m for m in pre if "flag" in m.get("class")]
    assert [m.text_content() for m in flagged] == ["12"]
    assert any("multi" in m.get("class") for m in pre)
    ref_mark = pre.get_element_by_id(f"m-{next(iter(marks))}")
    assert "reference" in ref_mark.get("title")


@needs_chromium
def test_chromium_screenshot(out_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "review.png"
    _chromium(f"--screenshot={shot}", "--window-size=1280,1400",
              (out_dir / "review.html").as_uri(), tmp=tmp_path)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # not a blank page


def test_review_notes_evidence_that_is_not_in_the_text(out_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(out_dir, copy)
    (copy / "docs" / "000-hostile.txt").write_text("changed text")
    build_review(copy)
    page = (copy / "review.html").read_text()
    assert "evidence mismatch" in page and "is not at that place in the text" in page
