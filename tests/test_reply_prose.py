"""What a reply states in prose and in its letter: periods named by year lists, the reply's
outcome by the contract's definitions, and counts that are never counts."""

from __future__ import annotations

from datetime import date

import pytest

from extract.document import Document
from extract.periods import label_period
from extract.readers.rules import read_rules
from extract.readers.scope import year_lists
from extract.tables import find_tables
from schemas import Record


def _read(text: str) -> Record:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return read_rules(doc)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("for the years 2018, 2019, 2020, and 2021 through to end of August.",
     date(2018, 1, 1), date(2021, 8, 31)),
    ("offences in 2018 and 2019", date(2018, 1, 1), date(2019, 12, 31)),
    ("in 2019, 2020 and 2021 (to 16 July)", date(2019, 1, 1), date(2021, 7, 16)),
])
def test_a_list_of_consecutive_years_names_their_union(text: str, start: date, end: date) -> None:
    assert [(f.period.start, f.period.end) for f in year_lists(text)] == [(start, end)]


@pytest.mark.parametrize("text", [
    "in 2016, 2018 and 2020",        # a gap: no single period
    "in 2019/20 and 2021",           # a financial year is no calendar year in a list
    "call 0191 2018 and 2019 4444",  # digits of a phone number
])
def test_no_year_list(text: str) -> None:
    assert year_lists(text) == []


def test_an_item_number_before_a_year_label_is_not_part_of_it() -> None:
    p = label_period("1. 2008")
    assert p is not None and (p.start, p.end) == (date(2008, 1, 1), date(2008, 12, 31))
    assert label_period("1. Offences") is None


def test_a_prose_count_over_the_requested_years_gets_their_union() -> None:
    text = ("You asked:\nPlease provide figures for the years 2018, 2019, 2020, and 2021 through "
            "to end of August.\n\nIn response:\nThere were 524 crimes identified within the "
            "period specified.\n")
    got = [(o.period.start, o.period.end, o.count) for o in _read(text).offences]
    assert got == [(date(2018, 1, 1), date(2021, 8, 31), 524)]
