"""General causes of table misreads, each with a positive and a negative case: lone labels
inside a sheet table, blank corners over bare ages, whose table a caption names, spaced
thousands, and rows a dump shifted left."""

from __future__ import annotations

from extract.document import Document, Table, TableCell
from extract.periods import year
from extract.readers.expand import expand, read_value
from extract.readers.table_rules import GridContext, map_table
from extract.tables import find_tables, split_stacked
from extract.tables.grid import annotate, fold_group_rows, is_numeric


def _tables(text: str) -> tuple[Document, list[Table]]:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return doc, doc.tables


def _ctx() -> GridContext:
    return GridContext(period=year(2024), footnotes={}, method=None, context="")


def _grid(rows: list[list[str]], source: str = "sheet") -> Table:
    """A loader-style table from plain strings (spans are fake but ordered)."""
    cells, pos = [], 0
    for r, row in enumerate(rows):
        line = []
        for c, text in enumerate(row):
            line.append(TableCell(text, pos, pos + len(text), r, c))
            pos += len(text) + 1
        cells.append(line)
    return Table("T1", cells, 0, pos, source)


# --- a lone label among rows of counts is a row, not a new table's title --------------------


def test_a_label_with_blank_counts_inside_a_table_does_not_split_it() -> None:
    t = _grid([["Programme", "2019", "2020"], ["Kik", "3", "4"], ["PS4", "", ""],
               ["Roblox", "5", ""], ["Total", "8", "4"]])
    parts = split_stacked(t)
    assert len(parts) == 1 and len(parts[0].rows) == 5


def test_a_lone_label_over_a_header_still_starts_a_new_table() -> None:
    t = _grid([["Programme", "Count"], ["Kik", "3"], ["Snapchat", "4"],
               ["Victims by age", ""], ["Age", "Count"], ["12", "1"], ["13", "2"]])
    parts = split_stacked(t)
    assert [len(p.rows) for p in parts] == [3, 3]
    assert parts[1].title == "Victims by age"


# --- a blank corner over bare numbers: the numbers head the columns -------------------------


def test_bare_ages_over_a_blank_corner_are_a_header_row() -> None:
    t = annotate(_grid([["", "12", "13", "14"], ["Female", "3", "15", "27"],
                        ["Male", "-", "22", "26"], ["Sum:", "3", "37", "53"]], "html"))
    assert (t.header_rows, t.header_cols) == (1, 1)


def test_a_first_row_with_its_own_label_is_data() -> None:
    t = annotate(_grid([["Female", "12", "13", "14"], ["Male", "3", "15", "27"],
                        ["Unknown", "1", "2", "3"]], "html"))
    assert t.header_rows == 0


def test_bare_ages_down_a_column_with_a_blank_corner_are_row_labels() -> None:
    text = ("Victims by age\n\tYear\t\t\n\tApr 2016 - Mar 2017\tApr 2017 - Mar 2018\t"
            "Apr 2018 - Mar 2019\n12\t0\t26\t0\n13\t0\t21\t9\n14\t10\t4\t3\n")
    doc, (t,) = _tables(text)
    assert (t.header_rows, t.header_cols) == (2, 1)
    m = map_table(doc, t, _ctx())
    assert (m.counts, m.row_roles, m.col_roles[-1]) == ("victims", ["age"], "period")


def test_numbers_under_a_blank_corner_with_unlabelled_columns_are_not_labels() -> None:
    # the innermost header row leaves a count column unlabelled: nothing says the first
    # column is different from the others
    t = annotate(_grid([["", "Offences", ""], ["", "2019", ""], ["3", "4", "5"],
                        ["6", "7", "8"]]))
    assert t.header_cols == 0


# --- whose ages: the table's own words, nearest first ---------------------------------------


AGES = "11 and under\t3\t4\n12-15\t5\t6\n16 and over\t1\t2\n"


def test_the_header_naming_victims_beats_a_suspect_sentence_above() -> None:
    text = ("The number of suspects linked to the offences is 32.\nTABLE 5\n"
            "Victim Age\t2019\t2020\n" + AGES)
    doc, (t,) = _tables(text)
    assert map_table(doc, t, _ctx()).counts == "victims"


def test_a_sentence_stating_its_own_count_is_not_the_caption() -> None:
    text = ("The number of offenders linked to these offences is 58.\nTABLE 4\n"
            "\t2019\t2020\n" + AGES)
    doc, (t,) = _tables(text)
    assert map_table(doc, t, _ctx()).counts == "victims"


def test_a_caption_naming_suspects_still_makes_a_suspect_table() -> None:
    text = "Age of suspects\n\t2019\t2020\n" + AGES
    doc, (t,) = _tables(text)
    assert map_table(doc, t, _ctx()).counts == "suspects"
    text = "Suspects aged under 18\nAge\t2019\t2020\n" + AGES
    doc, (t,) = _tables(text)
    assert map_table(doc, t, _ctx()).counts == "suspects"


# --- thousands written with a space after the comma ------------------------------------------


def test_spaced_thousands_are_one_number() -> None:
    assert read_value("77, 686") is not None and read_value("77, 686").count == 77686
    assert read_value("1,234").count == 1234  # type: ignore[union-attr]
    assert is_numeric("68, 497")
    assert not is_numeric("5, 7")  # two counts in a row are not one number
    assert read_value("5, 7") is None


def test_a_year_list_with_spaced_thousands_is_read_whole() -> None:
    text = "Total investigations:\n2010 : 83,184\n2011 : 77, 686\n2012 : 68, 497\n"
    doc, tables = _tables(text)
    assert len(tables) == 1 and len(tables[0].rows) == 3
    got = expand(doc, tables[0], map_table(doc, tables[0], _ctx()), {})
    assert [o.count for o in got.offences] == [83184, 77686, 68497]


# --- a row shifted left by a dropped blank label ---------------------------------------------


RISK = ("Victims by risk\nRisk | Victim Gender | Count of Offences | Count of Victims |\n"
        "High | Female | 2524 | 2023 |\nHigh | Male | 274 | 245 |\nHigh | Unknown | 5 | 4 |\n"
        "High | 3 | 3 | |\nSum: | 2806 | 2275 |\n")


def test_a_row_missing_its_blank_gender_is_moved_back_under_its_heads() -> None:
    doc, (t,) = _tables(RISK)
    assert [c.text for c in t.rows[4]] == ["High", "", "3", "3"]
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    cells = sorted((c.gender, c.count) for c in got.victims)
    # the blank gender of a gender-split table is unknown, a row of its own
    assert cells == [("female", 2023), ("male", 245), ("unknown", 3), ("unknown", 4)]
    assert not [f for f in got.flags if f.code == "totals_mismatch"]


def test_a_row_with_a_count_in_a_label_column_but_no_blank_end_is_kept() -> None:
    text = RISK.replace("High | 3 | 3 | |", "High | 3 | 3 | 9 |")
    _, (t,) = _tables(text)
    assert [c.text for c in t.rows[4]] == ["High", "3", "3", "9"]


# --- the period where a table sits comes from the text, not from the table above ------------


def test_a_period_heading_a_row_of_the_table_above_is_not_the_next_tables_scope() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables
    text = ("Offences recorded between 1 April 2022 and 31 March 2024 are below.\n\n"
            "Financial Year | Offences\n2022/23 | 45\n2023/24 | 51\n\n"
            "Victims by age and gender\nAge | Female | Male\nUnder 13 | 10 | 4\n"
            "13-15 | 30 | 12\n")
    doc, _ = _tables(text)
    got = read_tables(doc, P.scope(doc))
    assert {(c.period.start.isoformat(), c.period.end.isoformat()) for c in got.victims} == \
        {("2022-04-01", "2024-03-31")}
    # a caption naming its own period still wins
    doc, _ = _tables(text.replace("Victims by age and gender", "Victims by age, 2023/24"))
    got = read_tables(doc, P.scope(doc))
    assert {c.period.start.isoformat() for c in got.victims} == {"2023-04-01"}


# --- ragged columns (PDF text): numbers inside labels, names of several words ----------------


def _rows(text: str) -> list[list[str]]:
    _, tables = _tables(text)
    assert len(tables) == 1
    return [[c.text for c in r] for r in tables[0].rows]


def test_age_bands_written_with_numbers_stay_whole_row_labels() -> None:
    rows = _rows("Victims in 2023\nAge Group Female Male Total\nUnder 10 2 1 3\n"
                 "10 - 12 5 3 8\n13 to 15 12 4 16\n16 and over 3 0 3\nTotal 22 8 30\n")
    assert [r[0] for r in rows] == ["Age Group", "Under 10", "10 - 12", "13 to 15",
                                    "16 and over", "Total"]
    assert rows[2] == ["10 - 12", "5", "3", "8"]


def test_a_label_that_only_looks_like_a_band_start_keeps_its_counts() -> None:
    # `12 4 2 5`: a bare age then counts; the first number alone is the label
    rows = _rows("Victims by age\nAge 2020 2021 2022\n12 4 2 5\n13 1 7 3\n")
    assert rows[1] == ["12", "4", "2", "5"]


def test_header_names_of_several_words_are_kept_together() -> None:
    rows = _rows("Victims by gender and age 2022\nGender 0-12 13-15 Not recorded\n"
                 "Female 4 10 1\nMale 2 5 0\n")
    assert rows[0] == ["Gender", "0-12", "13-15", "Not recorded"]
    rows = _rows("Victims\nAge Group Female Male\nUnder 13 2 1\n13-15 5 3\n")
    assert rows[0] == ["Age Group", "Female", "Male"]  # plain words: the corner takes the rest


def test_one_row_under_a_header_of_years_is_a_table() -> None:
    rows = _rows("Offences by year\nOffence 2019 2020 2021\nSexual communication 10 12 8\n")
    assert rows == [["Offence", "2019", "2020", "2021"], ["Sexual communication", "10", "12", "8"]]


def test_one_row_under_words_is_not_a_table() -> None:
    _, tables = _tables("Summary\nArea Female Male\nNorth 10 12\n\nThe rest of the letter.\n")
    assert tables == []


# --- a period column cut short by the end of the period the reply answers for ----------------


def _period_ctx(start: str, end: str) -> GridContext:
    from datetime import date

    from schemas import Period
    return GridContext(period=Period(start=date.fromisoformat(start), end=date.fromisoformat(end)),
                       footnotes={}, method=None, context="")


YEARS = "Offences by year\nYear\tOffences\n2022\t10\n2023\t12\n2024\t5\n"


def _offence_periods(text: str, ctx: GridContext) -> list[tuple[str, str]]:
    doc, (t,) = _tables(text)
    got = expand(doc, t, map_table(doc, t, ctx), {})
    return [(o.period.start.isoformat(), o.period.end.isoformat()) for o in got.offences]


def test_the_last_year_is_cut_at_the_end_of_the_answered_period() -> None:
    got = _offence_periods(YEARS, _period_ctx("2022-01-01", "2024-06-30"))
    assert got[-1] == ("2024-01-01", "2024-06-30")
    assert got[0] == ("2022-01-01", "2022-12-31")


def test_no_cut_for_a_convention_off_by_days_or_a_period_reaching_before() -> None:
    # a year ending 5 April against a scope ending 31 March: the same year
    text = "Offences\nYear\tOffences\n6 Apr 2022 to 5 Apr 2023\t10\n6 Apr 2023 to 5 Apr 2024\t3\n"
    got = _offence_periods(text, _period_ctx("2022-04-06", "2024-03-31"))
    assert got[-1] == ("2023-04-06", "2024-04-05")
    # a column starting before the answered period is not the answered period's end
    got = _offence_periods(YEARS, _period_ctx("2024-03-01", "2024-06-30"))
    assert all(end.endswith("12-31") for _, end in got)


# --- space-aligned columns: a row with a blank label; a total carrying a footnote mark -------


METHODS = ("Methods used\n\nMethod            Times used\nKik                  3\n"
           "                     6\nRoblox               2\nGrand Total‡        11\n\n"
           "‡ Several offences involved more than one method.\n")


def test_an_indented_lone_count_is_a_row_with_a_blank_label() -> None:
    rows = _rows(METHODS)
    assert [r[0] for r in rows] == ["Method", "Kik", "", "Roblox", "Grand Total‡"]
    assert rows[2] == ["", "6"]


def test_a_total_label_with_a_footnote_mark_is_a_total() -> None:
    doc, (t,) = _tables(METHODS)
    assert t.total_rows == {4}
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert sorted((p.label, p.count) for p in got.platforms) == [("", 6), ("Kik", 3),
                                                                 ("Roblox", 2)]


def test_an_unindented_lone_number_ends_a_space_table() -> None:
    text = ("Method            Times used\nKik                  3\nSnapchat             4\n"
            "Roblox               2\n6\n")
    rows = _rows(text)
    assert rows[-1] == ["Roblox", "2"]


# --- answers numbered by question are not a list keyed by age ---------------------------------


def test_numbered_answers_are_not_a_table_of_ages() -> None:
    doc, tables = _tables("Response\n\n4: None\n\n5: None\n\nThank you.\n")
    assert len(tables) == 1  # found (an answer was given), but it counts nothing
    assert map_table(doc, tables[0], _ctx()).counts == "none"


def test_a_list_of_ages_that_are_not_in_sequence_is_still_a_table() -> None:
    doc, tables = _tables("Victims by age\n12: 3\n14: 5\n15: 2\n")
    assert len(tables) == 1 and len(tables[0].rows) == 3
    assert map_table(doc, tables[0], _ctx()).counts == "victims"


# --- blank columns; a table with no period of its own ----------------------------------------


def test_a_column_blank_in_every_row_is_dropped() -> None:
    t = annotate(_grid([["", "Victim age", "Female", "Male"], ["", "Under 13", "5", "2"],
                        ["", "13-15", "20", "6"]]))
    assert (t.n_cols, t.header_cols) == (3, 1)
    assert [c.text for c in t.rows[1]] == ["Under 13", "5", "2"]


def test_a_column_with_only_a_blank_head_but_counts_is_kept() -> None:
    t = annotate(_grid([["Age", "Female", ""], ["Under 13", "5", "2"], ["13-15", "20", "6"]]))
    assert t.n_cols == 3


UNSCOPED = ("Offences\nYear\t2019\t2020\t2021\n\tOffences\t12\t4\t20\n\n\n"
            "Victims by age and gender\nAge\tFemale\tMale\nUnder 13\t5\t2\n13-15\t20\t6\n")


def test_a_table_with_no_period_gets_the_whole_period_of_the_other_tables() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables
    doc, _ = _tables(UNSCOPED)
    got = read_tables(doc, P.scope(doc))
    assert {(c.period.start.isoformat(), c.period.end.isoformat()) for c in got.victims} == \
        {("2019-01-01", "2021-12-31")}


def test_a_table_with_no_period_anywhere_stays_unread_and_flagged() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables
    doc, _ = _tables(UNSCOPED.split("\n\n\n")[1])
    got = read_tables(doc, P.scope(doc))
    assert got.victims == [] and any(f.code == "no_period" for f in got.flags)


# --- two-digit financial years; header names joined by a space in a tab table ---------------


OUTCOMES = ("Outcomes assigned\nOutcome\t22/23 23/24\nOC1 Charge/Summons\t22\t19\n"
            "OC15\t58\t66\n")


def test_a_tab_header_short_of_the_body_is_split_at_its_spaces() -> None:
    rows = _rows(OUTCOMES)
    assert rows[0] == ["Outcome", "22/23", "23/24"]


def test_a_line_of_two_digit_financial_years_is_a_period_axis() -> None:
    doc, (t,) = _tables(OUTCOMES)
    m = map_table(doc, t, _ctx())
    assert (m.counts, m.col_roles) == ("outcomes", ["period"])
    got = expand(doc, t, m, {})
    assert {(o.period.start.isoformat(), o.outcome, o.count) for o in got.outcomes} >= \
        {("2022-04-01", "charged", 22), ("2023-04-01", "evidential_difficulties", 66)}


def test_codes_that_do_not_run_on_stay_codes() -> None:
    doc, (t,) = _tables("Offences\nCode\t2022\t2023\n88/1\t3\t4\n88/2\t1\t2\n")
    m = map_table(doc, t, _ctx())
    assert m.row_roles == ["code"] and not [h for h in m.cells if h.role == "period"]
    # a lone `22/23` is a code unless it is marked as a financial year
    doc, (t,) = _tables("Offences\nYear\tCount\nFY 22/23\t3\nTotal\t3\n")
    assert map_table(doc, t, _ctx()).row_roles == ["period"]


# --- a group label written once in a tab table; a table cut by a page break ------------------


GROUPS = ("Victims by gender and age\nYear\tGender\t0-11\t12-15\n2021\tFemale\t21\t98\n"
          "Male\t<5\t19\n2022¹\tFemale\t25\t104\nMale\t6\t24\n")


def test_rows_after_a_group_label_written_once_get_a_blank_group_cell() -> None:
    rows = _rows(GROUPS)
    assert rows[2] == ["", "Male", "<5", "19"]
    doc, (t,) = _tables(GROUPS)
    assert t.header_cols == 2
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert ("2022-01-01", "male", "12-15", 24) in {
        (c.period.start.isoformat(), c.gender, c.age, c.count) for c in got.victims}


def test_a_short_row_of_one_label_and_fewer_counts_is_padded_at_its_end() -> None:
    rows = _rows("Platforms\nMethod\t2021\t2022\nKik\t3\t4\nSnapchat\t5\n")
    assert rows[2] == ["Snapchat", "5", ""]


def test_a_table_cut_by_a_page_break_is_joined_over_the_footer_lines() -> None:
    head = "Year\tGender\t0-11\t12-15\n"
    text = ("Table 2: Victims\n" + head + "2021\tFemale\t21\t98\nMale\t<5\t19\n"
            "(continued overleaf)\nPage 1 of 2\nAcme Police, Tel: 01622 690690\n"
            "Table 2 (continued)\n" + head + "2022\tFemale\t25\t104\nMale\t6\t24\n"
            "Page 2 of 2\nAcme Police, Tel: 01622 690690\n")
    doc, tables = _tables(text)
    assert len(tables) == 1 and len(tables[0].rows) == 5


def test_phone_numbers_and_page_lines_are_not_a_ragged_table() -> None:
    _, tables = _tables("Yours sincerely\nPage 1 of 2\nAcme Police, Tel: 01622 690690\n"
                        "Fax: 01622 690691\n")
    assert tables == []


def test_codes_with_a_leading_zero_still_label_ragged_rows() -> None:
    rows = _rows("Offences\nHome Office Code 2012 2013\n08/65 4 36\n195/12 11 83\n")
    assert [r[0] for r in rows[1:]] == ["08/65", "195/12"]


# --- bare month names take the year of the table's scope --------------------------------------


MONTHS = ("Crimes recorded by month\nMonth      Crimes\nJanuary    9\nFebruary   11\n"
          "March      8\nTotal      28\n")


def test_bare_months_in_a_one_year_scope_are_periods() -> None:
    got = _offence_periods(MONTHS, _period_ctx("2024-01-01", "2024-12-31"))
    assert got[:3] == [("2024-01-01", "2024-01-31"), ("2024-02-01", "2024-02-29"),
                       ("2024-03-01", "2024-03-31")]
    assert got[3] == ("2024-01-01", "2024-03-31")  # the Total: the whole period covered


def test_bare_months_in_a_financial_year_fall_in_the_right_calendar_year() -> None:
    text = MONTHS.replace("January", "April").replace("February", "May").replace("March", "June")
    text = text.replace("Total      28", "Jan        2")
    got = _offence_periods(text, _period_ctx("2023-04-01", "2024-03-31"))
    assert got == [("2023-04-01", "2023-04-30"), ("2023-05-01", "2023-05-31"),
                   ("2023-06-01", "2023-06-30"), ("2024-01-01", "2024-01-31")]


def test_bare_months_over_several_years_are_not_guessed() -> None:
    doc, (t,) = _tables(MONTHS)
    m = map_table(doc, t, _period_ctx("2022-01-01", "2024-12-31"))
    assert m.counts == "none" and "period" not in m.row_roles


# --- one cell per line with a separator rule; cells citing an exemption ------------------------


STREAM = ("Victims\n|\nUnder 13 |\n13 to 15 |\n|---|---|---|\nFemale |\n7 |\ns.40(2) |\n"
          "Male |\n|\n5 |\nSum: |\n7 |\n5 |\nBlank cells are nil.\n")


def test_a_bar_ended_cell_stream_under_a_rule_is_cut_by_the_rule_width() -> None:
    rows = _rows(STREAM)
    assert rows == [["", "Under 13", "13 to 15"], ["Female", "7", "s.40(2)"],
                    ["Male", "", "5"], ["Sum:", "7", "5"]]


def test_a_cell_citing_an_exemption_is_a_withheld_count() -> None:
    assert read_value("s.40(2)").suppressed  # type: ignore[union-attr]
    assert read_value("S40").suppressed  # type: ignore[union-attr]
    assert read_value("Section 40(2) applies") is None  # a sentence, not a cell mark
    doc, (t,) = _tables(STREAM)
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    cells = {(c.gender, c.age): (c.count, c.suppressed) for c in got.victims}
    assert cells[("female", "13-15")] == (None, True)
    assert cells[("male", "0-12")] == (0, False)  # proven nil by the Sum: row


def test_a_stream_row_of_words_ends_the_table() -> None:
    text = STREAM.replace("Sum: |\n7 |\n5 |\n", "Notes |\nsee |\nbelow |\n")
    rows = _rows(text)
    assert rows[-1][0] == "Male"


# --- quarters under years; group subtotals; a year heading its group of rows -------------------


QUARTERS = [["Financial year", "Quarter", "Crimes"], ["2020/21", "Q1 (Apr-Jun)", "41"],
            ["", "Q2 (Jul-Sep)", "52"], ["", "2020/21 total", "93"],
            ["2021/22", "Q1 (Apr-Jun)", "48"], ["", "Q2 (Jul-Sep)", "55"],
            ["", "2021/22 total", "103"], ["Total", "", "196"]]


def test_quarters_under_financial_years_are_their_parts() -> None:
    doc = Document("t", "Crimes recorded by quarter\n")
    t = annotate(_grid(QUARTERS))
    assert t.total_rows == {3, 6, 7}
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    found = [(o.period.start.isoformat(), o.period.end.isoformat(), o.count) for o in got.offences]
    assert found[:2] == [("2020-04-01", "2020-06-30", 41), ("2020-07-01", "2020-09-30", 52)]
    assert ("2021-07-01", "2021-09-30", 55) in found
    assert found[-1] == ("2020-04-01", "2021-09-30", 196)  # the grand total, not a subtotal


def test_sub_period_parts() -> None:
    from datetime import date

    from extract.readers.labels import period_within as sub_period  # merged: one parser
    from schemas import Period
    fy = Period(start=date(2020, 4, 1), end=date(2021, 3, 31))
    assert sub_period("Q4", fy) == Period(start=date(2021, 1, 1), end=date(2021, 3, 31))
    assert sub_period("Jan-Mar", fy) == Period(start=date(2021, 1, 1), end=date(2021, 3, 31))
    assert sub_period("February", fy) == Period(start=date(2021, 2, 1), end=date(2021, 2, 28))
    assert sub_period("Snapchat", fy) is None


def test_subtotal_labels() -> None:
    from extract.tables.grid import is_total_label
    assert all(is_total_label(x) for x in ("2020/21 total", "Total 2022", "Sub-total", "Total"))
    assert not any(is_total_label(x) for x in ("Total Wireless", "2022", "Totally Spies"))


def test_a_year_alone_on_its_row_heads_a_group() -> None:
    doc = Document("t", "Outcomes\n")
    t = _grid([["Outcome", "Offences"], ["2022", ""], ["Charge/Summons", "27"],
               ["Community resolution", "2"], ["Total 2022", "29"], ["2023", ""],
               ["Charge/Summons", "24"], ["Community resolution", "1"], ["Total 2023", "25"]])
    t = annotate(fold_group_rows(t))
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert sorted((o.period.start.year, o.outcome, o.count) for o in got.outcomes) == [
        (2022, "charged", 27), (2022, "community_resolution", 2),
        (2023, "charged", 24), (2023, "community_resolution", 1)]


# --- rows that count different subjects -----------------------------------------------------------


MIXED = ("Offences and victims\n\t2021\t2022\nOffences recorded\t132\t148\n"
         "Victims - female\t97\t109\nVictims - gender not recorded\t14\t15\n")


def test_rows_of_different_subjects_are_read_each_as_its_own() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables
    doc, _ = _tables(MIXED)
    got = read_tables(doc, P.scope(doc))
    assert sorted((o.period.start.year, o.count) for o in got.offences) == [(2021, 132),
                                                                          (2022, 148)]
    assert sorted((c.period.start.year, c.gender, c.count) for c in got.victims) == [
        (2021, "female", 97), (2021, "unknown", 14), (2022, "female", 109),
        (2022, "unknown", 15)]


def test_rows_of_one_subject_are_not_split() -> None:
    """Rows of one subject stay one mapping (merged with r3map: that mapping reads each
    row's own gender, where the table was otherwise not read)."""
    from extract.readers.table_rules import by_row_subject
    doc, (t,) = _tables(MIXED.replace("Offences recorded", "Victims - male"))
    m = map_table(doc, t, _ctx())
    (one,) = by_row_subject(t, m)
    assert one.counts == "victims"
    got = expand(doc, t, one, {})
    assert sorted((c.period.start.year, c.gender, c.count) for c in got.victims) == [
        (2021, "female", 97), (2021, "male", 132), (2021, "unknown", 14),
        (2022, "female", 109), (2022, "male", 148), (2022, "unknown", 15)]


# --- counts by year listed inside a sentence ----------------------------------------------------


def test_an_inline_list_of_counts_by_year_is_a_table() -> None:
    text = "Offences recorded in each calendar year were: 2020 - 114; 2021 - 128; 2022 - 139.\n"
    rows = _rows(text)
    assert rows == [["2020", "114"], ["2021", "128"], ["2022", "139"]]
    doc, (t,) = _tables(text)
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert [(o.period.start.year, o.count) for o in got.offences] == [(2020, 114), (2021, 128),
                                                                     (2022, 139)]


def test_financial_years_written_with_a_dash_are_not_inline_counts() -> None:
    _, tables = _tables("Figures for each of the 3 years 2010-11, 2011-12, 2012-13 follow.\n")
    assert tables == []
    _, tables = _tables("In 2020 - 114 offences were recorded.\n")  # one item: prose
    assert tables == []


# --- the one row naming its code among offences shown for comparison ---------------------------


COMPARED = [["Offence", "2023/24", "2024/25", "Total"],
            ["Sexual communication with a child (HO 71/17)", "212", "176", "388"],
            ["Meeting a child following grooming", "31", "27", "58"]]


def test_the_row_naming_its_code_is_the_offence_asked_about() -> None:
    doc = Document("t", "Offences\n")
    t = annotate(_grid(COMPARED, "docx"))
    m = map_table(doc, t, _ctx())
    assert m.counts == "offences"
    got = expand(doc, t, m, {})
    assert sorted((o.period.start.isoformat(), o.period.end.isoformat(), o.count)
                  for o in got.offences) == [("2023-04-01", "2024-03-31", 212),
                                             ("2023-04-01", "2025-03-31", 388),
                                             ("2024-04-01", "2025-03-31", 176)]


def test_offences_by_name_with_no_code_or_two_codes_stay_unread() -> None:
    doc = Document("t", "Offences\n")
    plain = [[c.replace(" (HO 71/17)", "") for c in r] for r in COMPARED]
    assert map_table(doc, annotate(_grid(plain, "docx")), _ctx()).counts == "none"
    both = [r[:] for r in COMPARED]
    both[2][0] += " (HO 88/1)"
    assert map_table(doc, annotate(_grid(both, "docx")), _ctx()).counts == "none"


def test_a_scope_of_exactly_one_year_does_not_cut_a_column() -> None:
    # a calendar year named near the table is not where the answered period ends
    text = "Offences\nYear\tOffences\n2023/24\t10\n2024/25\t5\n"
    got = _offence_periods(text, _period_ctx("2024-01-01", "2024-12-31"))
    assert got[-1] == ("2024-04-01", "2025-03-31")


# --- table labels: slash platforms (Decision 7) and outcomes not yet assigned ------------------


def test_a_slash_label_names_every_platform_in_it() -> None:
    from schemas.vocab import canonical_platforms
    assert canonical_platforms("Facebook/Messenger") == ["Facebook", "Facebook Messenger"]
    assert canonical_platforms("Text/SMS") == ["Text message"]  # one platform, two names
    assert canonical_platforms("X/Twitter") == ["X (Twitter)"]


def test_an_outcome_not_yet_assigned_is_under_investigation() -> None:
    from extract.readers import labels as L
    assert L.outcome("Outcome not yet assigned") == "under_investigation"
    assert L.outcome("Outcome 16") == "victim_declines_suspect_identified"


# --- outcome tables the vocabulary does not know; short labels with a verb ----------------------


DISPOSALS = ("Outcomes\n  2017 2018 2019\nNo Action 10 6 7\nDismissed 2 1 0\n"
             "Would have been dismissed 0 6 2\nRetired/ Resigned 3 0 0\n")


def test_a_table_captioned_outcomes_reads_its_rows_as_outcomes() -> None:
    doc, (t,) = _tables(DISPOSALS)
    assert len(t.rows) == 5  # the row whose label has a verb is kept
    m = map_table(doc, t, _ctx())
    assert (m.counts, m.row_roles) == ("outcomes", ["outcome"])
    got = expand(doc, t, m, {})
    assert {(o.period.start.year, o.outcome, o.count) for o in got.outcomes} >= {
        (2017, "no_further_action", 10), (2018, "other", 6)}


def test_rows_by_period_without_an_outcome_caption_stay_offence_like() -> None:
    doc, (t,) = _tables(DISPOSALS.replace("Outcomes", "Areas").replace("No Action", "North"))
    assert map_table(doc, t, _ctx()).counts == "none"  # crime areas: no offence key


def test_a_sentence_ending_in_one_number_is_not_a_ragged_row() -> None:
    _, tables = _tables("Month Crimes\nJanuary 9\nFebruary 11\nIn total there were 20\n")
    assert [r[0].text for r in tables[0].rows][-1] == "February"


def test_a_keyword_count_may_carry_a_note_in_brackets() -> None:
    rows = _rows("Offences by year\n2020 – 175\n2021 – 421 (provisional)\n2022 – 396\n")
    assert rows == [["2020", "175"], ["2021", "421"], ["2022", "396"]]


# --- lone labels: group heads only when the groups repeat their rows -----------------------------


def test_lone_labels_over_unrelated_rows_are_rows_with_blank_counts() -> None:
    t = _grid([["Platform", "Offences"], ["facebook and twitter", ""], ["Kik", "3"],
               ["Telegram", "8"], ["YouTube", ""], ["Hot or Not", "3"], ["Snapchat", "4"],
               ["Grand Total", "18"]])
    t = annotate(fold_group_rows(t))
    assert (t.header_rows, t.header_cols, t.n_cols) == (1, 1, 2)
    got = expand(Document("t", "Platforms\n"), t, map_table(Document("t", ""), t, _ctx()), {})
    assert ("facebook and twitter", 0) in {(p.label, p.count) for p in got.platforms}


def test_lone_labels_over_repeated_rows_are_group_heads() -> None:
    t = _grid([["Age", "Victims"], ["Female", ""], ["Under 13", "3"], ["13-15", "8"],
               ["Male", ""], ["Under 13", "1"], ["13-15", "2"]])
    t = annotate(fold_group_rows(t))
    assert t.header_cols == 2 and t.rows[4][0].text == "Male"


# --- columns of percentages or changes beside the counts ----------------------------------------


def test_a_change_column_does_not_stop_an_offence_table() -> None:
    text = ("Offences\n| Financial year | Offences | % change |\n|---|---|---|\n"
            "| 2021/22 | 40 | - |\n| 2022/23 | 50 | 25.0 |\n| 2023/24 | 45 | -10.0 |\n")
    doc, (t,) = _tables(text)
    m = map_table(doc, t, _ctx())
    assert m.counts == "offences"
    got = expand(doc, t, m, {})
    assert [o.count for o in got.offences] == [40, 50, 45]


def test_counts_under_plain_heads_are_not_ratios() -> None:
    from extract.readers.table_rules import ratio_cols
    t = annotate(_grid([["Age", "Female", "Male"], ["Under 13", "3", "4"], ["13-15", "5", "6"]]))
    assert ratio_cols(t) == set()
    t = annotate(_grid([["Age", "Number", "%"], ["Under 13", "3", "30%"], ["13-15", "7", "70%"]]))
    assert ratio_cols(t) == {2}


# --- ragged columns under a line of years spanning column groups ---------------------------------


SPANNED = ("Victims by gender and age\n\n                 2022              2023\n"
           "              Female  Male     Female  Male\n"
           "Under 13         4      1         6      2\n"
           "13-15           10      3        12      5\n")


def test_a_line_of_years_over_gender_pairs_is_an_outer_header_row() -> None:
    doc, (t,) = _tables(SPANNED)
    assert t.header_rows == 2
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert ("2023", "male", "13-15", 5) in {
        (str(c.period.start.year), c.gender, c.age, c.count) for c in got.victims}


def test_years_that_do_not_divide_the_columns_are_not_a_header() -> None:
    doc, (t,) = _tables(SPANNED.replace("2022              2023", "2021   2022   2023"))
    assert t.header_rows == 1


def test_periods_listed_together_above_a_table_are_its_one_period() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables
    text = ("Suspects in the financial years 2021/22 and 2022/23.\n\nGender\tNumber\nMale\t40\n"
            "Female\t3\n")
    doc, _ = _tables(text)
    got = read_tables(doc, P.scope(doc))
    assert {(c.period.start.isoformat(), c.period.end.isoformat()) for c in got.suspects} == \
        {("2021-04-01", "2023-03-31")}
    # two periods in separate sentences are not a list: the nearer one holds
    doc, _ = _tables(text.replace(" and 2022/23.", ". Figures for 2022/23 follow."))
    got = read_tables(doc, P.scope(doc))
    assert {c.period.start.isoformat() for c in got.suspects} == {"2022-04-01"}


# --- columns that count different subjects, by period ---------------------------------------------


def test_columns_of_offences_victims_and_suspects_are_read_each_as_its_own() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables
    text = ("Figures by year\n\nYear\tOffences\tFemale victims\tSuspects\n2021\t10\t9\t8\n"
            "2022\t12\t11\t7\n")
    doc, _ = _tables(text)
    got = read_tables(doc, P.scope(doc))
    assert [(o.period.start.year, o.count) for o in got.offences] == [(2021, 10), (2022, 12)]
    assert {(c.period.start.year, c.gender, c.count) for c in got.victims} == {
        (2021, "female", 9), (2022, "female", 11)}
    assert {(c.period.start.year, c.gender, c.count) for c in got.suspects} == {
        (2021, "all", 8), (2022, "all", 7)}


def test_columns_of_one_subject_by_gender_are_not_split() -> None:
    from extract.readers.table_rules import by_column_people
    doc, (t,) = _tables("Victims by year\nYear\tFemale\tMale\n2021\t9\t3\n2022\t11\t2\n")
    m = map_table(doc, t, _ctx())
    assert by_column_people(t, m) == [m]


# --- a range whose year is written once; quarters across the columns -----------------------------


def test_a_range_with_the_year_written_once_is_a_range() -> None:
    from datetime import date

    from extract.periods import find_ranges
    (f,) = find_ranges("Crimes recorded 1 January to 31 December 2023 by quarter")
    assert (f.period.start, f.period.end) == (date(2023, 1, 1), date(2023, 12, 31))
    (f,) = find_ranges("from 1 December to 31 January 2024")
    assert f.period.start == date(2023, 12, 1)
    assert find_ranges("on 1 January, to 2023 levels") == []


def test_quarters_across_the_columns_are_parts_of_the_scope_period() -> None:
    text = ("Offences\nCode\tQ1 (Jan-Mar)\tQ2 (Apr-Jun)\tTotal\n71/17\t18\t22\t40\n"
            "88A\t3\t0\t3\n")
    doc, (t,) = _tables(text)
    m = map_table(doc, t, _period_ctx("2023-01-01", "2023-12-31"))
    got = expand(doc, t, m, {})
    assert ("2023-04-01", "2023-06-30", "71/17", 22) in {
        (o.period.start.isoformat(), o.period.end.isoformat(), o.code, o.count)
        for o in got.offences}
