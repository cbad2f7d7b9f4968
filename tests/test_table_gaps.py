"""Table-reading gaps closed generally: two label columns, counts that look like years,
a stray shifted row, and columns that count another subject than their table."""

from __future__ import annotations

from extract.document import Document, Table
from extract.periods import year
from extract.readers.expand import expand
from extract.readers.table_rules import GridContext, map_table, title_platform
from extract.tables import find_tables


def _table(text: str) -> tuple[Document, Table]:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return doc, doc.tables[0]


def _ctx() -> GridContext:
    return GridContext(period=year(2024), footnotes={}, method=None, context="")


RISK = ("Victims by risk\nRisk Rating\tVictim Gender\tCount of Offences\tCount of Victims\n"
        "High\tFemale\t2524\t2023\nHigh\tMale\t274\t245\nHigh\tUnknown\t5\t4\n"
        "Medium\tFemale\t90\t80\n")


def test_two_label_columns_and_a_count_that_looks_like_a_year() -> None:
    _, t = _table(RISK)
    assert (t.header_rows, t.header_cols) == (1, 2)


def test_years_alone_are_still_a_header_row() -> None:
    _, t = _table("Offences\nArea\tType\t2022\t2023\nNorth\tTheft\t4\t5\nSouth\tTheft\t6\t7\n")
    assert (t.header_rows, t.header_cols) == (1, 2)


def test_a_stray_shifted_row_keeps_a_label_column() -> None:
    text = ("Victims\nRisk\tGender\tCount\nHigh\tFemale\t5\nHigh\tMale\t4\nHigh\tUnknown\t2\n"
            "Low\tFemale\t1\nLow\t3\t\n")
    _, t = _table(text)
    assert t.header_cols == 2


def test_a_column_of_another_subject_is_not_read() -> None:
    doc, t = _table(RISK)
    m = map_table(doc, t, _ctx())
    assert m.counts == "victims"
    assert [(h.cell, h.role) for h in m.cells if h.role == "ignore"] == [("r1c3", "ignore")]
    got = expand(doc, t, m, {})
    assert sorted(c.count for c in got.victims if c.count is not None) == [4, 80, 245, 2023]


def test_no_column_is_dropped_when_all_would_be() -> None:
    doc, t = _table("Victims of crime\nAge\tOffences\n12\t3\n13\t4\n14\t5\n")
    m = map_table(doc, t, _ctx())
    assert not [h for h in m.cells if h.role == "ignore"]


def test_a_header_naming_both_subjects_is_kept() -> None:
    doc, t = _table("Victims\nGender\tVictims of offences\tCrimes\nFemale\t3\t9\nMale\t2\t8\n")
    m = map_table(doc, t, _ctx())
    assert [h.cell for h in m.cells if h.role == "ignore"] == ["r1c3"]


CODES = ("Offences by code\nCode\tDescription\t2013\t2014\tTotal\n"
         "88/1\tMeeting a person after grooming\t11\t4\t15\n"
         "88/2\tMeeting another person after grooming\t1\t2\t3\n"
         "Total\tTotal\t12\t6\t18\n")


def test_a_column_describing_each_code_splits_nothing() -> None:
    doc, t = _table(CODES)
    m = map_table(doc, t, _ctx())
    assert m.counts == "offences"
    got = expand(doc, t, m, {})
    assert sorted((o.code or "", o.count) for o in got.offences if o.code) == [
        ("88/1", 4), ("88/1", 11), ("88/2", 1), ("88/2", 2)]


def test_a_column_splitting_a_code_still_makes_the_table_unreadable() -> None:
    text = ("Offences by code\nCode\tArea\t2013\t2014\n88/1\tNorth\t1\t2\n88/1\tSouth\t3\t4\n"
            "88/2\tNorth\t5\t6\n")
    doc, t = _table(text)
    assert map_table(doc, t, _ctx()).counts == "none"


def test_offences_limited_to_one_platform_are_its_counts_too() -> None:
    text = ("How many offences were logged where Snapchat was recorded?\n"
            "Year\tCount\n2022\t14\n2023\t16\nTotal\t30\n")
    doc, t = _table(text)
    m = map_table(doc, t, _ctx())
    assert m.counts == "offences" and title_platform(t, m) == "Snapchat"
    got = expand(doc, t, m, {}, title_platform(t, m))
    assert sorted((p.platforms[0], p.count) for p in got.platforms) == [
        ("Snapchat", 14), ("Snapchat", 16)]  # the grand total is the offences' only


def test_no_platform_when_the_title_names_several_or_only_generic_ones() -> None:
    for title in ("Offences where Snapchat or WhatsApp was recorded",
                  "Offences that were internet or online related"):
        doc, t = _table(f"{title}\nYear\tCount\n2022\t14\n2023\t16\n")
        m = map_table(doc, t, _ctx())
        assert title_platform(t, m) is None
        assert not expand(doc, t, m, {}, title_platform(t, m)).platforms


def test_columns_of_crimes_and_outcomes_are_read_each_as_its_own() -> None:
    from extract.readers.table_rules import by_column_subject

    text = ("Date Range\tCrimes\tPositive Outcomes\tCharged\n"
            "2021\t991\t88\t40\n2022\t1256\t111\t50\n")
    doc, t = _table(text)
    parts = by_column_subject(t, map_table(doc, t, _ctx()))
    assert [p.counts for p in parts] == ["offences", "outcomes"]
    got = [expand(doc, t, p, {}) for p in parts]
    assert sorted(o.count for o in got[0].offences) == [991, 1256]
    assert sorted((o.outcome, o.count) for o in got[1].outcomes) == [
        ("charged", 40), ("charged", 50), ("other", 88), ("other", 111)]


def test_columns_of_one_subject_or_unknown_heads_stay_one_mapping() -> None:
    from extract.readers.table_rules import by_column_subject

    for heads in ("Crimes\tOffences", "Crimes\tBicycles"):
        text = f"Year\t{heads}\n2021\t9\t8\n2022\t7\t6\n"
        doc, t = _table(text)
        m = map_table(doc, t, _ctx())
        assert by_column_subject(t, m) == [m]


def test_a_subset_of_the_offences_above_is_not_read_as_offences() -> None:
    whole = "Number of crimes recorded\nYear\tCount\n2022\t10\n2023\t6\n"
    doc, t = _table(whole)
    assert map_table(doc, t, _ctx()).counts == "offences"
    for caption in ("Of the above, with a location of dwelling", "Of these, in a school"):
        doc, t = _table(f"{caption}\nYear\tCount\n2022\t2\n2023\t1\n")
        assert map_table(doc, t, _ctx()).counts == "none"
    doc, t = _table("Offences of theft\nYear\tCount\n2022\t2\n2023\t1\n")  # not a subset line
    assert map_table(doc, t, _ctx()).counts == "offences"


SECTIONS = ("You asked:\n1. How many crime reports mention Snapchat in 2019 and 2020?\n"
            "2. How many crimes were recorded in total in 2019 and 2020?\n\nIn response:\n\n"
            "1. 2019 : 4\n   2020 : 6\n\n2. 2019 : 900\n   2020 : 950\n")


def test_a_list_numbered_by_section_is_one_table_per_question() -> None:
    doc = Document("t", SECTIONS)
    tables = find_tables(doc)
    assert [len(t.rows) for t in tables] == [2, 2]
    assert "Snapchat" in tables[0].title and "in total" in tables[1].title


def test_a_numbered_list_of_lines_stays_one_table() -> None:
    doc = Document("t", "Methods used\n1. Kik - 3\n2. Snapchat - 4\n3. WhatsApp - 5\n")
    tables = find_tables(doc)
    assert [len(t.rows) for t in tables] == [3]
    assert tables[0].title == "Methods used"


def test_platform_limited_offences_give_way_to_the_whole_count() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables

    doc = Document("t", SECTIONS)
    doc.tables = find_tables(doc)
    got = read_tables(doc, P.scope(doc))
    assert sorted(o.count for o in got.offences) == [900, 950]
    assert sorted((p.platforms[0], p.count) for p in got.platforms) == [
        ("Snapchat", 4), ("Snapchat", 6)]
    alone = Document("t", SECTIONS.split("\n\n2. 2019")[0] + "\n")
    alone.tables = find_tables(alone)
    got = read_tables(alone, P.scope(alone))
    assert sorted(o.count for o in got.offences) == [4, 6]  # no other count: both kept


def test_a_caption_pointing_back_to_a_question_takes_its_period() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables

    text = ("1. How many burglaries were recorded in 2021?\n816\n"
            "2. How many burglaries were recorded in 2017?\n192\n"
            "Below are the outcomes for all the offences from Q1\n"
            "Outcome Type\tCount\nCharged\t5\nCaution\t4\n")
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    got = read_tables(doc, P.scope(doc))
    assert {o.period.start.year for o in got.outcomes} == {2021}
    plain = text.replace(" from Q1", "")  # no pointer: the period last named above
    doc = Document("t", plain)
    doc.tables = find_tables(doc)
    assert {o.period.start.year for o in read_tables(doc, P.scope(doc)).outcomes} == {2017}


def test_all_years_is_a_total_label() -> None:
    from extract.tables import is_total_label

    assert is_total_label("All years") and is_total_label("Overall") and is_total_label("Total")
    assert not is_total_label("All other offences") and not is_total_label("Years")


def test_a_set_aside_offence_column_gives_the_whole_period_total() -> None:
    from extract.readers import scope as P
    from extract.readers.rules import read_tables

    text = "Figures for 2024\n" + RISK + "Sum:\t\t2893\t2352\n"
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    got = read_tables(doc, P.scope(doc))
    assert [(o.count, o.period.start.year) for o in got.offences] == [(2893, 2024)]
    by_year = "Figures\nYear\tVictims\tOffences\n2023\t4\t5\n2024\t6\t7\nTotal\t10\t12\n"
    doc = Document("t", by_year)  # split by period: each year's count is read as such
    doc.tables = find_tables(doc)
    # the offence column is read by year, its Total the whole 2023-2024 period (Decision 5),
    # never a set-aside total given the period of one year
    got = {(o.period.start.year, o.period.end.year, o.count)
           for o in read_tables(doc, P.scope(doc)).offences}
    assert got == {(2023, 2023, 5), (2024, 2024, 7), (2023, 2024, 12)}
