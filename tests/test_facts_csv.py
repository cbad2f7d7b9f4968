"""facts.csv is tidy: integer counts, boolean suppressed, youngest victim as columns, and
is_total / period_kind so that a spreadsheet sum cannot add a total to its parts."""

from __future__ import annotations

import csv
import io
from datetime import date

from extract.outputs import facts_csv
from schemas import Cell, Exemption, GoldRecord, OffenceCount, Period, YoungestVictim

Y13 = Period(start=date(2013, 1, 1), end=date(2013, 12, 31))
Y14 = Period(start=date(2014, 1, 1), end=date(2014, 12, 31))
BOTH = Period(start=date(2013, 1, 1), end=date(2014, 12, 31))
FY = Period(start=date(2024, 4, 1), end=date(2025, 3, 31))


def _rows() -> list[dict[str, str]]:
    rec = GoldRecord(
        doc_id="r", force="Essex Police", outcome="partial",
        offences=[OffenceCount(period=Y13, count=12), OffenceCount(period=Y14, count=6),
                  OffenceCount(period=BOTH, count=18),
                  OffenceCount(period=FY, code="71/17", count=None, suppressed=True)],
        victims=[Cell(period=FY, gender="female", age="12-15", count=3),
                 Cell(period=FY, gender="female", age="all", count=3)],
        youngest_victim=YoungestVictim(age_min=0, age_max=10, gender="female"),
        exemptions=[Exemption(section="40(2)", ncnd=False)])
    return list(csv.DictReader(io.StringIO(facts_csv([rec]))))


def test_counts_are_integers_and_suppressed_is_boolean() -> None:
    rows = [r for r in _rows() if r["kind"] == "offences"]
    assert [r["count"] for r in rows] == ["12", "6", "18", ""]
    assert [r["suppressed"] for r in rows] == ["false", "false", "false", "true"]


def test_totals_and_period_kinds_are_marked() -> None:
    rows = _rows()
    offences = [(r["period_kind"], r["is_total"]) for r in rows if r["kind"] == "offences"]
    assert offences == [("calendar_year", "false"), ("calendar_year", "false"),
                        ("multi_year", "true"), ("financial_year", "false")]
    victims = [(r["age"], r["is_total"]) for r in rows if r["kind"] == "victims"]
    assert victims == [("12-15", "false"), ("all", "true")]
    # summing the non-total offence counts gives the reply's figures, not twice them
    assert sum(int(r["count"]) for r in rows if r["kind"] == "offences" and r["count"]
               and r["is_total"] == "false") == 18


def test_youngest_victim_and_exemption_are_columns_not_tuple_text() -> None:
    rows = {r["kind"]: r for r in _rows()}
    yv = rows["youngest_victim"]
    assert (yv["youngest_age_min"], yv["youngest_age_max"], yv["youngest_gender"],
            yv["youngest_withheld"], yv["value"]) == ("0", "10", "female", "false", "")
    assert (rows["exemption"]["section"], rows["exemption"]["ncnd"]) == ("40(2)", "false")
    assert rows["force"]["value"] == "Essex Police" and rows["force"]["is_total"] == ""
