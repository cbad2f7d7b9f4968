"""The national table, coverage, charts, report and the SQLite dataset (issue 16).

The records here are built by hand so that every rule can be seen failing: a whole-period
total beside yearly figures, financial vs calendar years, a partial year, suppressed cells,
age bands that nest and ones that do not, a duplicate reply and two replies for one period.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eval.facts import flatten
from extract.dataset.inputs import load_inputs
from extract.dataset.national import band_of, build_tables
from extract.outputs import is_total, period_kind
from extract.summarize import summarize
from schemas import Cell, Exemption, GoldRecord, OffenceCount, Period, PlatformRow

Y13 = Period(start=date(2013, 1, 1), end=date(2013, 12, 31))
Y14 = Period(start=date(2014, 1, 1), end=date(2014, 12, 31))
BOTH = Period(start=date(2013, 1, 1), end=date(2014, 12, 31))
FY = Period(start=date(2024, 4, 1), end=date(2025, 3, 31))
PART = Period(start=date(2015, 1, 1), end=date(2015, 7, 16))
WM = "West Midlands Police"


def _rec(doc_id: str, force: str | None, outcome: str = "full", **items: Any) -> GoldRecord:
    return GoldRecord.model_validate({"doc_id": doc_id, "force": force, "outcome": outcome,
                                      **items})


def _records() -> list[GoldRecord]:
    wm = _rec("wm", WM, offences=[
        OffenceCount(period=Y13, count=12), OffenceCount(period=Y14, count=6),
        OffenceCount(period=BOTH, count=18),  # whole-period total: never added to the years
        OffenceCount(period=PART, count=4)],
        victims=[Cell(period=Y13, gender="female", age="0-9", count=2),
                 Cell(period=Y13, gender="female", age="12-15", count=3),
                 Cell(period=Y13, gender="male", age="12-15", count=None, suppressed=True),
                 Cell(period=Y13, gender="female", age="all", count=5)],  # a row total
        platforms=[PlatformRow(period=Y13, label="Snapchat", platforms=["Snapchat"], count=6),
                   PlatformRow(period=Y13, label="Unknown", platforms=["Unknown"], count=4),
                   PlatformRow(period=Y13, label="Kik", platforms=["Kik"], count=None,
                               suppressed=True)])
    essex = _rec("ex", "Essex Police", offences=[
        OffenceCount(period=FY, code="71/17", count=30),  # per code only: these add up
        OffenceCount(period=FY, code="88A", count=None, suppressed=True)],
        victims=[Cell(period=FY, gender="all", age="0-12", count=7),  # 0-12 does not nest
                 Cell(period=FY, gender="all", age="13-17", count=9)])
    dup = _rec("ex-copy", "Essex Police", offences=[OffenceCount(period=FY, count=99)])
    refused = _rec("kent", "Kent Police", outcome="refused",
                   exemptions=[Exemption(section="12")])
    not_held = _rec("dorset", "Dorset Police", outcome="not_held")
    nobody = _rec("nf", None, offences=[OffenceCount(period=Y13, count=1)])
    return [wm, essex, dup, refused, not_held, nobody]


def _write(out: Path, records: list[GoldRecord], dups: dict[str, str] | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for r in records:
        obj = r.model_dump(mode="json")
        if dups and r.doc_id in dups:
            obj["duplicate_of"] = dups[r.doc_id]  # the field another stage adds
        lines.append(json.dumps(obj))
    (out / "records.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _write(out, _records(), {"ex-copy": "ex"})
    return out


def _national(out: Path, corrections: Path | None = None) -> dict[tuple[str, str], Any]:
    tables = build_tables(load_inputs(out, corrections))
    return {(r["force"], r["period"]): r for r in tables.national}


def test_period_kinds_and_bands() -> None:
    assert [period_kind(p.start, p.end) for p in (Y13, FY, PART, BOTH)] == [
        "calendar_year", "financial_year", "partial_year", "multi_year"]
    assert period_kind(date(2015, 7, 1), date(2016, 6, 30)) == "other_year"
    assert [band_of(a) for a in ("0-9", "10-11", "12-12", "16-17", "0-12", "16+", "unknown")] \
        == ["0_11", "0_11", "12_15", "16_17", None, None, "age_unknown"]


def test_whole_period_total_and_partial_year_kept_apart(run_dir: Path) -> None:
    rows = _national(run_dir)
    assert rows[(WM, "2013")]["offences"] == 12 and rows[(WM, "2014")]["offences"] == 6
    assert (WM, "2013-01-01..2014-12-31") not in rows  # the total is not a row of its own
    part = rows[(WM, "2015-01-01..2015-07-16")]
    assert part["partial"] is True and part["period_kind"] == "partial_year"
    assert part["offences"] == 4
    assert rows[(WM, "2013")]["doc_ids"] == "wm"


def test_suppressed_is_never_zero(run_dir: Path) -> None:
    rows = _national(run_dir)
    essex = rows[("Essex Police", "2024/25")]
    assert (essex["offences"], essex["offences_suppressed"]) == (30, 1)  # a lower bound
    wm = rows[(WM, "2013")]
    # female 2 + 3 (the female all-ages row total is not added again); male only suppressed
    assert (wm["victims_female"], wm["victims_female_suppressed"]) == (5, 0)
    assert (wm["victims_male"], wm["victims_male_suppressed"]) == (None, 1)
    assert (wm["victims_total"], wm["victims_total_suppressed"]) == (5, 1)
    assert wm["top_platforms"] == "Snapchat 6, Kik suppressed"


def test_age_bands_nest_or_are_marked_not_comparable(run_dir: Path) -> None:
    rows = _national(run_dir)
    wm = rows[(WM, "2013")]
    assert wm["age_bands_comparable"] is True
    assert (wm["victims_0_11"], wm["victims_12_15"], wm["victims_12_15_suppressed"]) == (2, 3, 1)
    essex = rows[("Essex Police", "2024/25")]
    assert essex["age_bands_comparable"] is False and essex["victims_0_11"] is None
    assert essex["victims_total"] == 16
    detail = build_tables(load_inputs(run_dir)).age_detail
    assert {(d["age"], d["count"], d["comparable_band"]) for d in detail
            if d["force"] == "Essex Police"} == {("0-12", 7, None), ("13-17", 9, None)}


def test_duplicate_counted_once_and_coverage(run_dir: Path) -> None:
    inputs = load_inputs(run_dir)
    assert inputs.duplicates == {"ex-copy": "ex"}
    rows = _national(run_dir)
    assert rows[("Essex Police", "2024/25")]["doc_ids"] == "ex"  # not the copy's 99
    cov = {r["force"]: r for r in build_tables(inputs).coverage}
    assert sum(r["in_vocabulary"] for r in cov.values()) == 46
    assert cov[WM]["status"] == "replied with figures"
    assert (cov["Kent Police"]["status"], cov["Kent Police"]["grounds"]) == ("refused", "12")
    assert cov["Dorset Police"]["status"] == "not held"
    assert cov["Cleveland Police"]["status"] == "no reply in input"
    assert cov["Essex Police"]["duplicates_ignored"] == "ex-copy"
    assert cov["(force not stated)"]["in_vocabulary"] is False


def test_two_replies_for_one_period_use_one_and_name_the_other(tmp_path: Path) -> None:
    a = _rec("a", WM, offences=[OffenceCount(period=Y13, count=12)], response_date="2014-02-01")
    b = _rec("b", WM, offences=[OffenceCount(period=Y13, count=13)], response_date="2015-02-01")
    _write(tmp_path, [a, b])
    row = _national(tmp_path)[(WM, "2013")]
    assert (row["offences"], row["doc_ids"], row["also_reported_by"], row["conflict"]) == (
        13, "b", "a", True)


def test_corrections_replace_the_run_record(run_dir: Path, tmp_path: Path) -> None:
    fixed = _rec("wm", WM, offences=[OffenceCount(period=Y13, count=21)])
    corr = tmp_path / "corr"
    corr.mkdir()
    (corr / "c.jsonl").write_text(json.dumps(fixed.model_dump(mode="json")) + "\n")
    (corr / "bad.json").write_text("{not json")
    inputs = load_inputs(run_dir, corr)
    assert inputs.corrected == {"wm"} and any("bad.json" in w for w in inputs.warnings)
    rows = _national(run_dir, corr)
    assert rows[(WM, "2013")]["offences"] == 21 and (WM, "2014") not in rows


def test_is_total_marks_containing_values() -> None:
    wm = _records()[0]
    flags = [is_total(wm, "offences", o) for o in wm.offences]
    assert flags == [False, False, True, False]
    assert [is_total(wm, "victims", v) for v in wm.victims] == [False, False, False, True]


def test_summarize_writes_tables_charts_report_and_database(run_dir: Path) -> None:
    summary = summarize(run_dir)
    names = {p.name for p in summary.written}
    assert {"national.csv", "coverage.csv", "age_detail.csv", "platforms.csv", "report.html",
            "foi.db", "metadata.json", "offences_calendar_year.png",
            "offences_calendar_year.svg", "offences_financial_year.svg",
            "victims_age_gender.svg", "platforms.svg"} <= names
    svg = (run_dir / "summary" / "offences_calendar_year.svg").read_text()
    # title, source line and caveat line are on the chart itself
    assert "per calendar year" in svg and "Source: 5 replies from 4 forces" in svg
    assert "Caveat:" in svg and "1 duplicate reply left out" in svg
    assert "financial" not in svg.split("Caveat")[0]  # one period kind per chart
    with open(run_dir / "summary" / "national.csv") as fh:
        rows = list(csv.DictReader(fh))
    essex = next(r for r in rows if r["force"] == "Essex Police")
    assert (essex["offences"], essex["offences_suppressed"]) == ("30", "1")
    report = (run_dir / "summary" / "report.html").read_text()
    assert "30 + 1 suppressed" in report and "<script" not in report
    assert "data:image/svg+xml;base64," in report


def test_database_is_typed_indexed_and_queryable(run_dir: Path) -> None:
    summarize(run_dir)
    db = sqlite3.connect(run_dir / "foi.db")
    q = db.execute
    # national: integers stay integers; suppressed-only cells are NULL, not 0
    row = q("select offences, typeof(offences), offences_suppressed, doc_ids from national "
            "where force = 'Essex Police' and period = '2024/25'").fetchone()
    assert row == (30, "integer", 1, "ex")
    assert q("select victims_male, victims_male_suppressed from national where force = ? and "
             "period = '2013'", (WM,)).fetchone() == (None, 1)
    # every column exists with its type even when no row has a value in it
    cols = {r[1]: r[2] for r in q("pragma table_info(national)")}
    assert cols["victims_16_17"] == "INTEGER" and cols["notes"] == "TEXT"
    # facts: one row per flattened fact of every record (duplicate included, flagged so)
    n_facts = sum(len(flatten(r)) for r in _records())
    assert q("select count(*) from facts").fetchone()[0] == n_facts
    assert q("select typeof(count), typeof(suppressed) from facts where kind = 'offences' "
             "and count is not null limit 1").fetchone() == ("integer", "integer")
    assert q("select count(*) from facts where is_total = 1").fetchone()[0] == 2
    assert q("select duplicate_of from records where doc_id = 'ex-copy'").fetchone() == ("ex",)
    assert q("select count(*) from coverage").fetchone()[0] == 47  # 46 + force not stated
    assert q("select status from coverage where force = 'Kent Police'").fetchone() == (
        "refused",)
    indexes = {r[0] for r in q("select name from sqlite_master where type = 'index'")}
    assert {"idx_facts_kind", "idx_national_force", "idx_national_period_kind"} <= indexes
    meta = json.loads((run_dir / "metadata.json").read_text())
    tables = meta["databases"]["foi"]["tables"]
    assert {"national", "coverage", "facts", "records"} <= set(tables)
    assert "never added together" in tables["national"]["description"]
    assert "5 replies from 4 forces" in meta["description"]


def test_cli_summarize_with_corrections(run_dir: Path, tmp_path: Path) -> None:
    corr = tmp_path / "corr"
    corr.mkdir()
    fixed = _rec("wm", WM, offences=[OffenceCount(period=Y13, count=21)])
    (corr / "c.jsonl").write_text(json.dumps(fixed.model_dump(mode="json")) + "\n")
    cmd = [sys.executable, "-c", "from extract.cli import main; main()", "summarize"]
    proc = subprocess.run([*cmd, str(run_dir), "--corrections", str(corr)], capture_output=True,
                          text=True, timeout=180, env={"COLUMNS": "160", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "West Midlands Police" in proc.stdout and "21" in proc.stdout
    assert "refused" in proc.stdout  # the coverage table
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run([*cmd, str(empty)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "records.jsonl" in proc.stderr


def test_a_figure_stated_twice_in_one_reply_is_not_added(tmp_path: Path) -> None:
    rec = _rec("twice", WM, offences=[
        OffenceCount(period=Y13, count=12), OffenceCount(period=Y13, count=25),
        OffenceCount(period=Y14, code="88/1", count=4), OffenceCount(period=Y14, code="88/1",
                                                                     count=4),
        OffenceCount(period=Y14, code="88/2", count=2)])
    _write(tmp_path, [rec])
    rows = _national(tmp_path)
    assert rows[(WM, "2013")]["offences"] == 12  # not 37
    assert "gives 12 and 25" in rows[(WM, "2013")]["notes"]
    assert rows[(WM, "2014")]["offences"] == 6 and rows[(WM, "2014")]["notes"] == ""


def test_agreeing_replies_outvote_a_misreading(tmp_path: Path) -> None:
    recs = [_rec(d, WM, offences=[OffenceCount(period=Y13, count=n)])
            for d, n in (("a", 12), ("b", 12), ("z", 37))]
    _write(tmp_path, recs)
    row = _national(tmp_path)[(WM, "2013")]
    assert (row["offences"], row["conflict"]) == (12, True)
    assert row["doc_ids"] in ("a", "b") and "z" in row["also_reported_by"]
