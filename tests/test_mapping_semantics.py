"""Mapping semantics on harder table shapes: periods inside a stated year, subtotals of row
groups, rows that count different subjects, outcome labels in the framework's own words."""

from __future__ import annotations

from datetime import date

import pytest

from extract.document import Document, Table
from extract.periods import financial_year, year
from extract.readers.expand import GridResult, expand
from extract.readers.labels import is_subtotal, outcome, period_within
from extract.readers.table_rules import GridContext, map_table
from extract.tables import find_tables
from schemas import Period
from schemas.mapping import HeaderCell, TableMapping


def _table(text: str) -> tuple[Document, Table]:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return doc, doc.tables[0]


def _ctx(period: Period | None = None) -> GridContext:
    return GridContext(period=period, footnotes={}, method=None, context="")


def _read(text: str, period: Period | None = None) -> GridResult:
    doc, t = _table(text)
    return expand(doc, t, map_table(doc, t, _ctx(period)), {})


def _offences(got: GridResult) -> dict[tuple[date, date], int | None]:
    return {(o.period.start, o.period.end): o.count for o in got.offences}


# --- quarters and months inside a year ----------------------------------------------------


@pytest.mark.parametrize(("label", "outer", "want"), [
    ("Q1 (Apr-Jun)", financial_year(2020), (date(2020, 4, 1), date(2020, 6, 30))),
    ("Q4 (Jan-Mar)", financial_year(2020), (date(2021, 1, 1), date(2021, 3, 31))),
    ("Quarter 3", year(2021), (date(2021, 7, 1), date(2021, 9, 30))),
    ("Q2", financial_year(2020), (date(2020, 7, 1), date(2020, 9, 30))),
    ("2nd quarter", year(2019), (date(2019, 4, 1), date(2019, 6, 30))),
    ("January", financial_year(2020), (date(2021, 1, 1), date(2021, 1, 31))),
    ("Sept", year(2020), (date(2020, 9, 1), date(2020, 9, 30))),
    # a year cut short ends its last quarter early
    ("Q4", Period(start=date(2024, 4, 1), end=date(2025, 2, 28)),
     (date(2025, 1, 1), date(2025, 2, 28))),
])
def test_quarters_and_months_inside_a_stated_year(label: str, outer: Period,
                                                  want: tuple[date, date]) -> None:
    p = period_within(label, outer)
    assert p is not None and (p.start, p.end) == want


@pytest.mark.parametrize(("label", "outer"), [
    ("Q1", None),  # no year stated
    ("January", Period(start=date(2019, 1, 1), end=date(2021, 12, 31))),  # which January?
    ("Mayhem", year(2020)),
    ("2020/21 total", financial_year(2020)),
    ("Female", year(2020)),
    ("Q3", Period(start=date(2024, 1, 1), end=date(2024, 6, 30))),  # past the period's end
])
def test_labels_that_are_no_period_inside_the_year(label: str, outer: Period | None) -> None:
    assert period_within(label, outer) is None


QUARTERS = ("Crimes recorded by quarter of each financial year\n"
            "Financial year\tQuarter\tCrimes\n"
            "2021/22\tQ1 (Apr-Jun)\t10\n\tQ2 (Jul-Sep)\t11\n\tQ3 (Oct-Dec)\t12\n"
            "\tQ4 (Jan-Mar)\t13\n\t2021/22 total\t46\n"
            "2022/23\tQ1 (Apr-Jun)\t20\n\tQ2 (Jul-Sep)\t21\n\tQ3 (Oct-Dec)\t-\n"
            "\tQ4 (Jan-Mar)\t23\n\t2022/23 total\t64\n"
            "Total\t\t110\n")


def test_quarters_under_financial_years_with_subtotals_and_a_grand_total() -> None:
    got = _read(QUARTERS)
    offences = _offences(got)
    assert offences[(date(2021, 4, 1), date(2021, 6, 30))] == 10
    assert offences[(date(2023, 1, 1), date(2023, 3, 31))] == 23
    # the dash is proven nil by its own year's subtotal (20 + 21 + 23 = 64)
    assert offences[(date(2022, 10, 1), date(2022, 12, 31))] == 0
    # the grand total is the whole period; the per-year subtotals are derived, not recorded
    assert offences[(date(2021, 4, 1), date(2023, 3, 31))] == 110
    assert (date(2021, 4, 1), date(2022, 3, 31)) not in offences
    assert len(got.offences) == 9
    assert not [f for f in got.flags if f.code == "totals_mismatch"]


def test_a_subtotal_that_does_not_add_up_is_flagged_for_its_own_group() -> None:
    got = _read(QUARTERS.replace("\t2021/22 total\t46", "\t2021/22 total\t47"))
    problems = [f.message for f in got.flags if f.code == "totals_mismatch"]
    assert len(problems) == 1 and "the total says 47" in problems[0]


def test_only_subtotals_give_no_whole_period_total() -> None:
    got = _read(QUARTERS.replace("Total\t\t110\n", ""))
    assert (date(2021, 4, 1), date(2023, 3, 31)) not in _offences(got)
    assert (date(2022, 4, 1), date(2023, 3, 31)) not in _offences(got)


def test_months_of_the_year_the_table_is_scoped_to() -> None:
    text = ("Crimes recorded in 2024 by month\nMonth\tCrimes\nJanuary\t9\nFebruary\t11\n"
            "March\t8\nTotal\t28\n")
    got = _read(text, year(2024))
    offences = _offences(got)
    assert offences[(date(2024, 2, 1), date(2024, 2, 29))] == 11
    assert offences[(date(2024, 1, 1), date(2024, 3, 31))] == 28


def test_months_with_no_year_stated_are_not_periods() -> None:
    text = "Crimes by month\nMonth\tCrimes\nJanuary\t9\nFebruary\t11\nMarch\t8\n"
    doc, t = _table(text)
    m = map_table(doc, t, _ctx(None))
    assert "period" not in m.row_roles
    assert not expand(doc, t, m, {}).offences


def test_quarter_columns_of_a_year_heading() -> None:
    text = "Offences in 2023\nYear\tQ1\tQ2\tQ3\tQ4\n2023\t4\t5\t6\t7\n"
    got = _read(text, year(2023))
    assert _offences(got)[(date(2023, 7, 1), date(2023, 9, 30))] == 6


# --- labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "want"), [
    ("2020/21 total", True), ("Total 2022", True), ("Sub-total", True), ("Subtotal", True),
    ("Totally online", False), ("Snapchat", False), ("2020/21", False),
])
def test_subtotal_labels(label: str, want: bool) -> None:
    assert is_subtotal(label) is want


@pytest.mark.parametrize(("label", "want"), [
    ("Outcome not yet assigned", "under_investigation"),
    ("Unassigned", "under_investigation"),
    ("Outcome yet to be decided", "under_investigation"),
    ("Awaiting outcome", "under_investigation"),
    ("Outcome 1 - Charged/Summonsed", "charged"),
    ("Outcome 15 - Evidential difficulties", "evidential_difficulties"),
    ("Assigned to CID", None),
])
def test_outcome_labels_in_the_framework_words(label: str, want: str | None) -> None:
    assert outcome(label) == want


# --- rows counting different subjects -------------------------------------------------------


SUBJECT_ROWS = ("Offences and victims by year\n\t2021\t2022\nOffences recorded\t30\t40\n"
                "Victims - female\t20\t25\nVictims - male\t5\t6\n"
                "Victims - gender not recorded\t2\t3\n")


def _read_all(text: str) -> GridResult:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables

    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return read_tables(doc, P.scope(doc))


def test_rows_of_different_subjects_are_read_each_as_its_own() -> None:
    got = _read_all(SUBJECT_ROWS)
    assert _offences(got) == {(date(2021, 1, 1), date(2021, 12, 31)): 30,
                              (date(2022, 1, 1), date(2022, 12, 31)): 40}
    victims = {(c.period.start.year, c.gender, c.age): c.count for c in got.victims}
    assert victims == {(2021, "female", "all"): 20, (2022, "female", "all"): 25,
                       (2021, "male", "all"): 5, (2022, "male", "all"): 6,
                       (2021, "unknown", "all"): 2, (2022, "unknown", "all"): 3}


def test_a_row_splitting_a_subject_without_a_record_key_keeps_the_table_unsplit() -> None:
    got = _read_all(SUBJECT_ROWS.replace("Victims - male", "Victims - online"))
    assert not got.victims


@pytest.mark.parametrize(("label", "want"), [
    ("Offences recorded", ("offences", None, None)),
    ("Victims - gender not recorded", ("victims", "unknown", None)),
    ("Female victims aged 13-15", ("victims", "female", "13-15")),
    ("Number of suspects", ("suspects", None, None)),
    ("Offences online", None),
    ("Snapchat", None),
])
def test_row_subject_labels(label: str, want: tuple[str, str | None, str | None] | None) -> None:
    from extract.readers.table_rules import row_subject

    got = row_subject(label)
    assert (got and (got.kind, got.gender, got.age)) == want


# --- a year alone on its row over the rows of that year --------------------------------------


YEAR_GROUPS = ("Outcomes by year\nOutcome\tOffences\n2022\t\nCharge/Summons\t27\n"
               "Community resolution\t2\nAwaiting outcome\t24\nTotal 2022\t53\n2023\t\n"
               "Charge/Summons\t24\nCommunity resolution\t1\nAwaiting outcome\t32\n"
               "Total 2023\t57\n")


def test_a_year_on_its_own_row_heads_the_outcomes_beneath_it() -> None:
    got = _read(YEAR_GROUPS)
    outcomes = {(o.period.start.year, o.outcome): o.count for o in got.outcomes}
    assert outcomes == {(2022, "charged"): 27, (2022, "community_resolution"): 2,
                        (2022, "under_investigation"): 24, (2023, "charged"): 24,
                        (2023, "community_resolution"): 1, (2023, "under_investigation"): 32}
    assert not [f for f in got.flags if f.code == "totals_mismatch"]


def test_a_year_row_with_counts_is_no_group_head() -> None:
    doc, t = _table("Year\tOffences\n2021\t5\n2022\t6\n2023\t7\n")
    assert t.header_cols == 1 and [r[0].text for r in t.rows[1:]] == ["2021", "2022", "2023"]


# --- an offence row beside a comparison offence ------------------------------------------------


COMPARISON = ("Offences recorded\nOffence\t2022\t2023\tTotal\n"
              "Sexual communication with a child (HO 71/17)\t21\t17\t38\n"
              "Meeting a child following sexual grooming (s.15)\t3\t2\t5\n")


def test_the_coded_offence_row_is_read_and_the_comparison_row_set_aside() -> None:
    assert _offences(_read(COMPARISON)) == {
        (date(2022, 1, 1), date(2022, 12, 31)): 21, (date(2023, 1, 1), date(2023, 12, 31)): 17,
        (date(2022, 1, 1), date(2023, 12, 31)): 38}


def test_offence_rows_with_no_code_or_every_code_stay_unread_as_a_split() -> None:
    uncoded = COMPARISON.replace(" (HO 71/17)", "")
    assert not _read(uncoded).offences
    both = COMPARISON.replace("(s.15)", "(HO 88/1)")
    assert not _read(both).offences


# --- a table the caption says counts outcomes, with labels outside the vocabulary ------------


MISCONDUCT = ("Outcomes\n\t2019\t2020\nNo Action\t10\t6\nProceedings Discontinued\t3\t0\n"
              "Written Warning\t1\t2\n")


def test_a_caption_saying_outcomes_reads_unknown_labels_as_other() -> None:
    got = _read(MISCONDUCT)
    rows = sorted((o.period.start.year, o.outcome, o.count) for o in got.outcomes)
    assert rows == [(2019, "no_further_action", 10), (2019, "other", 1), (2019, "other", 3),
                    (2020, "no_further_action", 6), (2020, "other", 0), (2020, "other", 2)]


def test_a_caption_about_something_else_does_not_make_outcomes() -> None:
    got = _read(MISCONDUCT.replace("Outcomes\n", "Complaints received\n"))
    assert not got.outcomes and not got.offences


# --- an entry naming a blank header cell (labels a dump ran together) -------------------------


def test_an_entry_on_a_blank_header_cell_keys_its_column() -> None:
    """A model (or the rules) giving `22/23 23/24`, run into one cell, a period per column:
    the blank cell's entry keys its column, with the written cell as the label evidence."""
    doc, t = _table("Method\t22/23 23/24\t\nSnapchat\t61\t74\nInstagram\t22\t25\n")
    m = TableMapping(table=t.id, counts="platforms", header_rows=1, header_cols=1,
                     col_roles=["period"], row_roles=["platform"], cells=[
                         HeaderCell(cell="r1c2", role="period", period=financial_year(2022)),
                         HeaderCell(cell="r1c3", role="period", period=financial_year(2023))])
    got = expand(doc, t, m, {})
    rows = {(p.period.start.year, p.platforms[0]): p.count for p in got.platforms}
    assert rows == {(2022, "Snapchat"): 61, (2023, "Snapchat"): 74, (2022, "Instagram"): 22,
                    (2023, "Instagram"): 25}
    assert all("22/23 23/24" in [e.quote for e in p.evidence] for p in got.platforms)
    # without the entry the blank column has no period: its counts are not recorded
    bare = m.model_copy(update={"cells": m.cells[:1]})
    assert {p.period.start.year for p in expand(doc, t, bare, {}).platforms} == {2022}


@pytest.mark.parametrize(("label", "names"), [
    ("Facebook/Messenger", ["Facebook", "Facebook Messenger"]),
    ("Text/SMS", ["Text message"]),
    ("Snapchat / Instagram", ["Instagram", "Snapchat"]),
    ("N/A", ["N/A"]),
])
def test_a_slash_names_every_platform_in_it(label: str, names: list[str]) -> None:
    from schemas.vocab import canonical_platforms

    assert canonical_platforms(label) == names


def test_month_rows_under_year_columns_take_each_column_year() -> None:
    got = _read("Offences by month\nMonth\t2020\t2021\nJanuary\t1\t2\nFebruary\t3\t4\n"
                "Total\t4\t6\n")
    assert _offences(got) == {(date(2020, 1, 1), date(2020, 1, 31)): 1,
                              (date(2021, 1, 1), date(2021, 1, 31)): 2,
                              (date(2020, 2, 1), date(2020, 2, 29)): 3,
                              (date(2021, 2, 1), date(2021, 2, 28)): 4}
    assert not [f for f in got.flags if f.code == "totals_mismatch"]


def test_a_total_column_inside_a_gender_group_checks_its_own_group() -> None:
    got = _read("Victims\n\tFemale\t\t\tMale\t\t\nYear\t12-15\t16-17\tTotal\t12-15\t16-17\t"
                "Total\n2021\t3\t-\t3\t2\t2\t4\n2022\t1\t1\t2\t-\t5\t5\n")
    cells = {(c.period.start.year, c.gender, c.age): c.count for c in got.victims}
    assert cells[(2021, "female", "16-17")] == 0 and cells[(2022, "male", "12-15")] == 0
    assert len(cells) == 8 and not got.flags


# --- columns counting different subjects; shares and rates -----------------------------------


def test_columns_of_offences_and_victims_are_read_each_as_its_own() -> None:
    got = _read_all("By year\nYear\tCrimes recorded\tFemale victims\tMale victims\n"
                    "2021\t10\t12\t1\n2022\t11\t13\t2\n")
    assert sorted(_offences(got).values()) == [10, 11]
    victims = {(c.period.start.year, c.gender, c.age): c.count for c in got.victims}
    assert victims == {(2021, "female", "all"): 12, (2021, "male", "all"): 1,
                       (2022, "female", "all"): 13, (2022, "male", "all"): 2}


def test_a_subject_row_naming_no_gender_is_all_genders() -> None:
    got = _read_all("By year\n\t2021\t2022\nOffences recorded\t30\t40\nVictims\t20\t25\n"
                    "Suspects\t5\t6\n")
    assert {(c.gender, c.age, c.count) for c in got.victims} == {("all", "all", 20),
                                                                 ("all", "all", 25)}
    assert sorted(c.count for c in got.suspects) == [5, 6]


def test_a_column_of_another_kind_keeps_the_table_one_subject() -> None:
    got = _read_all("By year\nYear\tCrimes recorded\tLocation\n2021\t10\t12\n2022\t11\t13\n")
    assert not got.victims and not got.suspects


def test_share_and_rate_columns_and_rows_are_not_counts() -> None:
    got = _read("Method of communication in 2023\nPlatform\tCount\t%\nSnapchat\t45\t60\n"
                "Instagram\t30\t40\nTotal\t75\t100\n", year(2023))
    assert sorted((p.platforms[0], p.count) for p in got.platforms) == [
        ("Instagram", 30), ("Snapchat", 45)]
    rate = _read("Offences\nYear\tOffences\tRate per 1,000\n2021\t45\t2\n2022\t30\t1\n")
    assert sorted(_offences(rate).values()) == [30, 45]
    change = _read("Offences\nYear\t2021\t2022\nOffences\t45\t30\n% change\t\t-33\n")
    assert sorted(_offences(change).values()) == [30, 45]


def test_a_word_holding_rate_is_no_rate_header() -> None:
    from extract.readers.table_rules import ratio_cells

    doc, t = _table("Offences\nYear\tSeparate incidents\tOffences\n2021\t4\t5\n2022\t3\t6\n")
    assert ratio_cells(t) == []


def test_a_total_column_under_a_merged_year_label_totals_the_whole_row() -> None:
    """The blank top cell of `Total` takes the year on its left (a merged label); the row
    does not add up within that year but does across the whole row, so it is a grand total."""
    got = _read("Victims\n\t2021\t\t2022\t\t\nAge\tFemale\tMale\tFemale\tMale\tTotal\n"
                "12-15\t3\t-\t2\t2\t7\n16-17\t1\t1\t-\t5\t7\n")
    cells = {(c.period.start.year, c.gender, c.age): c.count for c in got.victims}
    assert cells[(2021, "male", "12-15")] == 0 and cells[(2022, "female", "16-17")] == 0
    assert len(cells) == 8 and not got.flags


@pytest.mark.parametrize(("text", "suppressed"), [
    ("s.40(2)", True), ("S40", True), ("Section 40(2)", True), ("withheld", True),
    ("40", False), ("s.12", False),
])
def test_a_cell_naming_the_personal_data_exemption_is_suppressed(text: str,
                                                                 suppressed: bool) -> None:
    from extract.readers.expand import read_value

    v = read_value(text)
    assert (v is not None and v.suppressed) is suppressed


def test_an_outer_total_naming_its_year_is_that_year_subtotal() -> None:
    got = _read("Offences\nYear\tCode\tOffences\n2021\t88/1\t4\n\t88/2\t5\nTotal 2021\t\t9\n"
                "2022\t88/1\t6\n\t88/2\t-\nTotal 2022\t\t6\nTotal\t\t15\n")
    offences = {(o.period.start.year, o.period.end.year, o.code): o.count for o in got.offences}
    assert offences[(2022, 2022, "88/2")] == 0  # proven nil by its own year's subtotal
    assert offences[(2021, 2022, None)] == 15 and len(offences) == 5
    assert not got.flags


# --- quarters and runs of months that write their own year -------------------------------------


@pytest.mark.parametrize(("label", "want"), [
    ("Q1 2023", (date(2023, 1, 1), date(2023, 3, 31))),
    ("2023 Q4", (date(2023, 10, 1), date(2023, 12, 31))),
    ("Q1 2023/24", (date(2023, 4, 1), date(2023, 6, 30))),
    ("Q3 22/23", (date(2022, 10, 1), date(2022, 12, 31))),
    ("Apr-Jun 2023", (date(2023, 4, 1), date(2023, 6, 30))),
    ("Jul-Sep 23", (date(2023, 7, 1), date(2023, 9, 30))),
    ("Nov-Jan 2023/24", (date(2023, 11, 1), date(2024, 1, 31))),
])
def test_quarters_that_write_their_year(label: str, want: tuple[date, date]) -> None:
    from extract.readers.labels import period_of

    p = period_of(label)
    assert p is not None and (p.start, p.end) == want


@pytest.mark.parametrize("label", ["Nov-Jan 2021", "Q5 2023", "Female 2023", "88/1 2023",
                                   "Q1"])
def test_labels_that_are_no_quarter_of_a_year(label: str) -> None:
    from extract.readers.labels import period_of

    assert period_of(label) is None


def test_a_table_by_quarter_with_years_written() -> None:
    got = _read("Offences by quarter\nQuarter\tOffences\nQ3 2023\t4\nQ4 2023\t5\nQ1 2024\t6\n"
                "Total\t15\n")
    assert _offences(got) == {(date(2023, 7, 1), date(2023, 9, 30)): 4,
                              (date(2023, 10, 1), date(2023, 12, 31)): 5,
                              (date(2024, 1, 1), date(2024, 3, 31)): 6,
                              (date(2023, 7, 1), date(2024, 3, 31)): 15}
