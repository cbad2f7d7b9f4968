"""Summaries across replies: no double counting, suppressed cells apart, files written."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from extract.summarize import figures, known_platform_total, period_label, summarize, tables
from schemas import Cell, GoldRecord, OffenceCount, Period, PlatformRow

Y13 = Period(start=date(2013, 1, 1), end=date(2013, 12, 31))
Y14 = Period(start=date(2014, 1, 1), end=date(2014, 12, 31))
BOTH = Period(start=date(2013, 1, 1), end=date(2014, 12, 31))
FY = Period(start=date(2024, 4, 1), end=date(2025, 3, 31))
ROOT = Path(__file__).resolve().parent.parent


def _rec(doc_id: str, force: str | None, **items: object) -> GoldRecord:
    return GoldRecord.model_validate({"doc_id": doc_id, "force": force, "outcome": "full",
                                      **items})


def _records() -> list[GoldRecord]:
    wm = _rec("wm", "West Midlands Police", offences=[
        OffenceCount(period=Y13, count=12), OffenceCount(period=Y14, count=6),
        OffenceCount(period=BOTH, count=18),  # the whole-period total: not added again
        OffenceCount(period=Y13, code="88/1", count=11), OffenceCount(period=Y13, code="88/2",
                                                                      count=1)],
        victims=[Cell(period=Y13, gender="female", age="all", count=5),
                 Cell(period=Y13, gender="all", age="12-15", count=None, suppressed=True),
                 Cell(period=BOTH, gender="female", age="all", count=9)],
        platforms=[PlatformRow(period=Y13, label="Snapchat", platforms=["Snapchat"], count=6),
                   PlatformRow(period=Y13, label="Unknown", platforms=["Unknown"], count=4),
                   PlatformRow(period=Y13, label="fb and whatsapp",
                               platforms=["WhatsApp", "Facebook"], count=2)])
    essex = _rec("ex", "Essex Police", offences=[
        OffenceCount(period=FY, code="71/17", count=30),  # per code only: these are the total
        OffenceCount(period=FY, code="88A", count=None, suppressed=True),
        OffenceCount(period=Y13, count=3)],
        platforms=[PlatformRow(period=FY, label="Snapchat", platforms=["Snapchat"], count=2)])
    nobody = _rec("nf", None, offences=[OffenceCount(period=Y13, count=1)])
    return [wm, essex, nobody]


def test_period_labels() -> None:
    assert period_label(Y13.start, Y13.end) == "2013"
    assert period_label(FY.start, FY.end) == "2024/25"
    assert period_label(BOTH.start, BOTH.end) == "2013-01-01..2014-12-31"


def test_offences_are_not_double_counted() -> None:
    fig = figures(_records())
    by_fp = {(f, s): (t.count, t.suppressed) for (f, s, _), t in fig.by_force_period.items()}
    assert by_fp == {("West Midlands Police", Y13.start): (12, 0),
                     ("West Midlands Police", Y14.start): (6, 0),
                     ("Essex Police", FY.start): (30, 1), ("Essex Police", Y13.start): (3, 0),
                     ("(force not stated)", Y13.start): (1, 0)}
    assert (fig.by_period[(Y13.start, Y13.end)].count,
            len(fig.by_period[(Y13.start, Y13.end)].replies)) == (16, 3)
    assert fig.by_force["West Midlands Police"].count == 18


def test_victims_keep_finest_period_and_count_suppressed_apart() -> None:
    fig = figures(_records())
    assert {k: (t.count, t.suppressed) for k, t in fig.victims.items()} == {
        ("all", "female"): (5, 0), ("12-15", "all"): (0, 1)}


def test_platform_shares_use_known_platforms_only() -> None:
    fig = figures(_records())
    assert known_platform_total(fig) == 10  # Snapchat 6 + 2, Facebook + WhatsApp 2
    rows = {r[0]: r for r in tables(fig)["platforms"][1]}
    assert rows["Snapchat"][1:4] == [True, 8, 0.8]
    assert rows["Facebook + WhatsApp"][1:4] == [True, 2, 0.2]
    assert rows["Unknown"][1:4] == [False, 4, ""]


def _write_records(out: Path, records: list[GoldRecord]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r.model_dump(mode="json")) for r in records]
    (out / "records.jsonl").write_text("\n".join(lines) + "\n")


def test_summarize_writes_csvs_and_pngs(tmp_path: Path) -> None:
    _write_records(tmp_path, _records())
    fig, written, warnings = summarize(tmp_path)
    assert not warnings and fig.replies == 3
    names = sorted(p.name for p in written)
    assert names == ["offences_by_force.png", "offences_by_force_period.csv",
                     "offences_by_period.csv", "offences_by_period.png", "platforms.csv",
                     "platforms.png", "victims_by_age_gender.csv", "victims_by_age_gender.png"]
    for p in written:
        if p.suffix == ".png":
            assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000
    with open(tmp_path / "summary" / "offences_by_period.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["period"], r["offences"], r["forces"]) for r in rows] == [
        ("2013", "16", "3"), ("2014", "6", "1"), ("2024/25", "30", "1")]


def test_cli_summarize(tmp_path: Path) -> None:
    _write_records(tmp_path, _records())
    cmd = [sys.executable, "-c", "from extract.cli import main; main()", "summarize"]
    proc = subprocess.run([*cmd, str(tmp_path)], capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "West Midlands Police" in proc.stdout and "80.0%" in proc.stdout
    assert (tmp_path / "summary" / "platforms.csv").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run([*cmd, str(empty)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "records.jsonl" in proc.stderr
