"""review.html: the data it carries, its size for 200 replies, its escaping, and a real
reviewing session in headless Chromium driven by Playwright (filter, edit a value, add a
missed one by selecting text, export, validate, score with eval, summarize with corrections).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from extract.review import build_review, page_data, read_page_data
from extract.review.data import reply_data
from extract.runner import run_batch
from schemas import Evidence, Flag, OffenceCount, Period, PlatformRow, Record
from tests.test_runner_support import FakeReply, fake_process, replies_in

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "replies"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HOSTILE_ID = "000-hostile"
HOSTILE = ("Reply <b>bold</b> & <script>document.body.dataset.pwned='1'</script>\n"
           "</script><img src=x onerror=\"document.body.dataset.pwned='2'\">\n"
           "Offences 2023: 12\nSnapchat 12 offences\n\"quoted\" 'single' é 🙂 end 77")


def foi(*args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess."""
    return subprocess.run([sys.executable, "-c", "from extract.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "NO_COLOR": "1"})


def _ev(text: str, needle: str, nth: int = 0) -> Evidence:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Evidence(start=start, end=start + len(needle), quote=needle)


def hostile_process(reply: FakeReply, config: object) -> tuple[Record, Any]:
    """A reply whose text attacks the page, with overlapping and flagged evidence."""
    from extract.document import Document

    if reply.doc_id != HOSTILE_ID:
        return fake_process(reply, config)
    text = HOSTILE
    year = Period.model_validate({"start": "2023-01-01", "end": "2023-12-31"})
    off_ev = _ev(text, "12")
    record = Record(
        doc_id=HOSTILE_ID, outcome="full", reference="<script>alert(1)</script>",
        offences=[OffenceCount(period=year, count=12, evidence=[off_ev], readers=["rules"])],
        platforms=[PlatformRow(period=year, label="Snapchat", platforms=["Snapchat"], count=12,
                               evidence=[_ev(text, "Snapchat 12")], readers=["llm"])],
        flags=[Flag(code="disagreement", message="<b>look</b>", evidence=[off_ev])])
    return record, Document(doc_id=HOSTILE_ID, text=text)


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review")
    src = root / "in"
    src.mkdir()
    for p in replies_in(EXAMPLES):
        shutil.copy(p.paths[0], src / p.paths[0].name)
    (src / f"{HOSTILE_ID}.txt").write_text("placeholder")
    (src / "broken.txt").write_text("CORRUPT")
    out = root / "out"
    run_batch(replies_in(src), {"backend": "test"}, out, process=hostile_process)
    return out


@pytest.fixture(scope="module")
def real_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real pipeline (rules backend) on the bundled example replies."""
    out = tmp_path_factory.mktemp("real") / "out"
    proc = foi("run", str(EXAMPLES), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


def _data_block(page: str) -> dict[str, Any]:
    return read_page_data(page)


def test_data_escapes_reply_text_and_orders_by_urgency(hostile_out: Path) -> None:
    page = (hostile_out / "review.html").read_text()
    # The reply's "</script>" cannot close the data block: it is base64 of gzipped JSON.
    assert page.count("</script>") == 2
    data = _data_block(page)
    reply = next(r for r in data["replies"] if r["doc_id"] == HOSTILE_ID)
    assert reply["text"] == HOSTILE and reply["urgent"] == 1
    assert reply["record"]["reference"] == "<script>alert(1)</script>"
    assert "quote" not in json.dumps(reply["record"])  # restored from the text on export
    assert "evidence" not in reply["record"]["offences"][0]  # rebuilt from the facts
    assert "broken" in page and "failed" in page  # the failed reply is listed


def test_unread_numbers_and_facts_map_to_record_items(real_out: Path) -> None:
    from eval.io import load_records

    rec = load_records(real_out)["004_adb5c984613db103"]
    data = reply_data(rec, real_out)
    offences = [f for f in data["facts"] if f["kind"] == "offences"]
    assert [f["index"] for f in offences] == list(range(len(rec.offences)))
    for f in offences:  # the value the page shows is the record item's
        item = rec.offences[f["index"]]
        assert f["value"] == ("suppressed" if item.suppressed else str(item.count))
    assert data["tables"], "the seed's year table is drawn as a grid"
    assert data["period"] and data["headline"]


def _fake_copies(src: Path, dst: Path, n: int) -> None:
    """n replies made from a real run's records and texts, each under a new doc_id."""
    (dst / "docs").mkdir(parents=True)
    lines = (src / "records.jsonl").read_text().splitlines()
    out = []
    for i in range(n):
        obj = json.loads(lines[i % len(lines)])
        old = obj["doc_id"]
        obj["doc_id"] = f"{i:03d}_{old}"
        out.append(json.dumps(obj))
        shutil.copy(src / "docs" / f"{old}.txt", dst / "docs" / f"{obj['doc_id']}.txt")
    (dst / "records.jsonl").write_text("\n".join(out) + "\n")


def test_a_duplicate_says_whose_copy_it_is(real_out: Path) -> None:
    from eval.io import load_records

    rec = load_records(real_out)["004_adb5c984613db103"]
    copy = rec.model_copy(update={"doc_id": "005_copy",
                                  "meta": {"duplicate_of": "004_adb5c984613db103"}})
    assert reply_data(copy, real_out)["duplicate_of"] == "004_adb5c984613db103"
    assert reply_data(rec, real_out)["duplicate_of"] is None


def test_two_hundred_replies_stay_under_1_5_mb(real_out: Path, tmp_path: Path) -> None:
    _fake_copies(real_out, tmp_path, 200)
    path, warnings = build_review(tmp_path)
    assert not warnings
    size = path.stat().st_size
    print(f"review.html for 200 replies: {size} bytes")
    assert size < 1_500_000


# ---------------------------------------------------------------- the browser

def _browser() -> Any:
    pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def test_browser_hostile_reply_runs_no_script(hostile_out: Path) -> None:
    with _browser() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto((hostile_out / "review.html").as_uri())
        page.wait_for_selector("body[data-ready='1']")
        rows = page.locator("#index-body tr")
        assert rows.first.get_attribute("data-doc") == HOSTILE_ID  # disagreement first
        rows.first.click()
        leaves = page.eval_on_selector_all("#text [data-o]", "els => els.map(e => e.textContent)")
        assert "".join(leaves) == HOSTILE  # every character, escaped, in order
        assert page.evaluate("document.body.dataset.pwned") is None
        assert page.locator("#text mark.flag").first.text_content() == "12"
        assert page.locator("#text .unread").last.text_content() == "77"
        # within the reply, flagged values come first in the record
        assert page.locator("#rec tr.fact").first.get_attribute("data-kind") == "offences"
        assert page.locator("#detail ul.flags li").first.text_content().startswith(
            "disagreement")
        browser.close()


def _open_west_midlands(page: Any) -> None:
    page.fill("#filter", "2572/15")
    assert page.locator("#index-body tr").count() == 1
    page.locator("#index-body tr").first.click()
    page.wait_for_selector("#text mark")


def test_browser_review_edit_add_export(real_out: Path, tmp_path: Path) -> None:
    with _browser() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((real_out / "review.html").as_uri())
        page.wait_for_selector("body[data-ready='1']")
        assert page.locator("#index-body tr").count() == 5
        page.locator("#index th[data-key='headline']").click()  # sort by the headline count
        heads = page.eval_on_selector_all("#index-body tr td:nth-child(5)",
                                          "tds => tds.map(td => td.textContent)")
        numbers = [int(h.split()[0]) for h in heads if h]
        assert numbers == sorted(numbers) and len(numbers) >= 2
        assert heads[len(numbers):] == [""] * (len(heads) - len(numbers))  # blanks last
        _open_west_midlands(page)
        assert page.locator("table.grid").count() >= 1  # the reply's table drawn as a grid
        matrix = page.locator("#rec table.matrix[data-kind='victims']").first
        assert matrix.locator("tr").count() >= 3  # victims as an age x gender matrix
        assert page.locator("#text .unread").count() > 0  # numbers no fact used
        # Edit: the 2013 all-codes offence count (12) becomes 13.
        row = page.locator("#rec tr.fact[data-kind='offences'][data-period='2013']"
                           "[data-key='']")
        assert row.count() == 1 and row.locator("input.val").input_value() == "12"
        row.locator("input.val").fill("13")
        row.locator("input.val").press("Enter")  # commits the edit (a change event)
        assert "edit" in (row.locator("td").nth(3).get_attribute("class") or "")
        # Reject a platform row.
        plat = page.locator("#rec tr.fact[data-kind='platforms']").first
        plat.locator("button.rej").click()
        # Add a missed value: double-click a number no fact used, then fill the form.
        unread = page.locator("#text .unread").filter(has_text=re.compile(r"^\d{1,3}$")).first
        missed = unread.text_content()
        unread.dblclick()
        assert page.evaluate("getSelection().toString()") == missed
        page.click("#add-missed")
        page.select_option("#addform select[name='kind']", "suspects")
        page.fill("#addform input[name='start']", "2013-01-01")
        page.fill("#addform input[name='end']", "2013-12-31")
        page.click("#addform button[type='submit']")
        assert page.locator("#text mark.added").first.text_content() == missed
        page.click("#accept-all")
        with page.expect_download() as dl:
            page.click("#export")
        exported = Path(dl.value.path()).read_text()
        assert not errors, errors
        browser.close()
    lines = exported.splitlines()
    assert len(lines) == 1
    rec = Record.model_validate_json(lines[0])  # the contract's shape, or this raises
    assert rec.doc_id == "004_adb5c984613db103"
    y13 = [o for o in rec.offences if o.period.start.isoformat() == "2013-01-01"
           and o.period.end.isoformat() == "2013-12-31" and o.code is None]
    assert [o.count for o in y13] == [13]
    before = Record.model_validate_json(
        next(line for line in (real_out / "records.jsonl").read_text().splitlines()
             if rec.doc_id in line))
    assert len(rec.platforms) == len(before.platforms) - 1  # the rejected row is gone
    added = [s for s in rec.suspects if "review" in s.readers]
    assert len(added) == 1 and added[0].count == int(missed)
    text = (real_out / "docs" / f"{rec.doc_id}.txt").read_text()
    ev = added[0].evidence[0]
    assert text[ev.start:ev.end] == ev.quote == missed
    for o in rec.offences:  # every quote restored from the text
        assert all(text[e.start:e.end] == e.quote for e in o.evidence)
    corr = tmp_path / "corrections"
    corr.mkdir()
    (corr / "corrections.jsonl").write_text(exported)
    # eval scores the run against the corrections (they are gold-shaped)
    proc = foi("eval", "--gold", str(corr), "--pred", str(real_out), "--json",
               "--ignore-extra")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert 0 < report["micro"]["f1"] < 1  # the edit and the addition are disagreements
    # summarize uses them in the national table
    proc = foi("summarize", str(real_out), "--corrections", str(corr), "--quiet")
    assert proc.returncode == 0, proc.stderr
    import sqlite3

    db = sqlite3.connect(real_out / "foi.db")
    assert db.execute("select offences from national where doc_ids = ? and period = '2013'",
                      (rec.doc_id,)).fetchone() == (13,)
    assert db.execute("select corrected from records where doc_id = ?",
                      (rec.doc_id,)).fetchone() == (1,)


def test_browser_opens_200_replies_quickly(real_out: Path, tmp_path: Path) -> None:
    _fake_copies(real_out, tmp_path, 200)
    build_review(tmp_path)
    with _browser() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        t0 = time.perf_counter()
        page.goto((tmp_path / "review.html").as_uri())
        page.wait_for_selector("body[data-ready='1']")
        loaded = time.perf_counter() - t0
        assert page.locator("#index-body tr").count() == 200
        t0 = time.perf_counter()
        page.locator("#index-body tr").nth(150).click()
        page.wait_for_selector("#text [data-o]")
        opened = time.perf_counter() - t0
        browser.close()
    print(f"200 replies: page ready in {loaded:.2f} s, a reply drawn in {opened:.2f} s")
    assert loaded < 10 and opened < 5  # generous: the CI machine is shared


def test_page_data_is_json_for_every_reply(real_out: Path) -> None:
    from eval.io import load_records

    data = page_data(list(load_records(real_out).values()), real_out)
    assert len(data["replies"]) == 5
    assert all(r["text"] and r["facts"] for r in data["replies"])
