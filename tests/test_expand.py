"""The table mapping and its expansion: the one place cells become record values."""

from __future__ import annotations

from datetime import date

from extract.document import Document, Table
from extract.periods import year
from extract.readers.expand import expand, read_value
from extract.readers.table_rules import GridContext, map_table
from extract.tables import find_tables
from schemas.mapping import HeaderCell, TableMapping, TableScope


def _table(text: str) -> tuple[Document, Table]:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return doc, doc.tables[0]


def _ctx(period_year: int | None = 2020) -> GridContext:
    return GridContext(period=year(period_year) if period_year else None, footnotes={},
                       method=None, context="")


AGES = "Victims\nAge\tFemale\tMale\tTotal\n12\t3\t-\t3\n13\t*\t2\t4\nTotal\t5\t2\t7\n"


def test_rules_mapping_names_axes_subject_and_totals() -> None:
    doc, t = _table(AGES)
    m = map_table(doc, t, _ctx())
    assert m.counts == "victims"
    assert (m.header_rows, m.header_cols) == (1, 1)
    assert m.col_roles == ["gender"] and m.row_roles == ["age"]
    assert m.total_rows == [4] and m.total_cols == [4]


def test_expand_reads_cells_proves_blanks_and_keeps_evidence() -> None:
    doc, t = _table(AGES)
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    cells = {(c.gender, c.age): (c.count, c.suppressed) for c in got.victims}
    assert cells == {("female", "12-12"): (3, False), ("male", "12-12"): (0, False),
                     ("female", "13-13"): (None, True), ("male", "13-13"): (2, False)}
    for c in got.victims:
        ev = c.evidence[0]
        assert doc.text[ev.start:ev.end] == ev.quote
    assert not [f for f in got.flags if f.code == "totals_mismatch"]


def test_an_override_wins_over_the_cell_text() -> None:
    """A model correcting one label: column 2 is a partial period, not the whole year."""
    doc, t = _table("Age\t2019\t2020\n12\t3\t4\n13\t1\t2\n")
    cut = year(2020).model_copy(update={"end": date(2020, 7, 16)})
    m = TableMapping(table=t.id, counts="victims", header_rows=1, header_cols=1,
                     col_roles=["period"], row_roles=["age"],
                     cells=[HeaderCell(cell="r1c3", role="period", period=cut)])
    got = expand(doc, t, m, {})
    ends = {c.period.end for c in got.victims if c.age == "12-12"}
    assert ends == {date(2019, 12, 31), date(2020, 7, 16)}


def test_blank_is_nil_proves_blanks_without_totals() -> None:
    doc, t = _table("Age\tFemale\tMale\n12\t3\t-\n13\t1\t2\n")
    base = map_table(doc, t, _ctx())
    assert all(c.count for c in expand(doc, t, base, {}).victims)
    got = expand(doc, t, base.model_copy(update={"blank_is_nil": True}), {})
    assert {c.count for c in got.victims} == {0, 1, 2, 3}


def test_totals_that_do_not_add_up_are_flagged() -> None:
    doc, t = _table("Age\tFemale\tMale\tTotal\n12\t3\t1\t9\n")
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert [f.code for f in got.flags] == ["totals_mismatch"]


def test_scope_gender_applies_to_every_cell() -> None:
    doc, t = _table("Age\t2019\t2020\n12\t3\t4\n")
    m = map_table(doc, t, _ctx()).model_copy(update={"scope": TableScope(gender="female")})
    assert {c.gender for c in expand(doc, t, m, {}).victims} == {"female"}


def test_grand_total_of_an_offence_table_is_the_whole_period() -> None:
    doc, t = _table("Year\tOffences\n2019\t4\n2020\t6\nTotal\t10\n")
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    whole = [o for o in got.offences if o.period.start.year != o.period.end.year]
    assert [(o.count, o.period.start, o.period.end) for o in whole] == [
        (10, date(2019, 1, 1), date(2020, 12, 31))]


def test_a_table_with_no_period_or_code_axis_is_not_read_as_offences() -> None:
    doc, t = _table("Area\tCount\nNorth\t4\nSouth\t6\n")
    assert map_table(doc, t, _ctx()).counts == "none"


def test_composite_labels_give_gender_and_age() -> None:
    doc, t = _table("Victims\tCount\n13 to 15 Girls\t3\nUnder 10 Boys\t2\n16 Female\t1\n")
    m = map_table(doc, t, _ctx())
    assert m.counts == "victims" and len(m.cells) == 3
    got = {(c.gender, c.age, c.count) for c in expand(doc, t, m, {}).victims}
    assert got == {("female", "13-15", 3), ("male", "0-9", 2), ("female", "16-16", 1)}


def test_footnote_marks_stuck_to_counts() -> None:
    assert read_value("15†").count == 15  # type: ignore[union-attr]
    assert read_value("<5^").suppressed  # type: ignore[union-attr]
    assert read_value("2019") is not None and read_value("Snapchat") is None


def test_outcome_labels_in_any_spelling() -> None:
    from extract.readers.labels import outcome
    assert outcome("Charge/summons") == "charged"
    assert outcome("OC15 Named suspect, evidential difficulties") == "evidential_difficulties"
    assert outcome("Outcome 16") == "victim_declines_suspect_identified"
    assert outcome("Evidential difficulties - victim does not support") == \
        "victim_declines_suspect_identified"
    assert outcome("NFA") == "no_further_action"
    assert outcome("Key witness deceased or too ill") == "victim_or_witness_unavailable"
    for not_an_outcome in ("2019", "Female", "Snapchat", "13-15", "Total"):
        assert outcome(not_an_outcome) is None


def test_an_outcome_table_is_read_into_outcomes() -> None:
    text = ("Outcomes of the offences recorded in 2021\nOutcome |\nCount |\n"
            "Charge/summons |\n4 |\nCommunity resolution |\n2 |\n"
            "OC15 evidential difficulties |\n7 |\nNFA |\n1 |\n")
    doc, t = _table(text)
    m = map_table(doc, t, _ctx(2021))
    assert m.counts == "outcomes" and m.row_roles == ["outcome"]
    got = {(o.outcome, o.count) for o in expand(doc, t, m, {}).outcomes}
    assert got == {("charged", 4), ("community_resolution", 2),
                   ("evidential_difficulties", 7), ("no_further_action", 1)}


def _victims(text: str) -> set[tuple[str, str, str, int | None]]:
    from extract.readers.rules import read_rules
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return {(c.gender, c.age, c.period.end.isoformat(), c.count)
            for c in read_rules(doc).victims}


def test_title_gender_gives_each_table_its_gender() -> None:
    got = _victims("Victims recorded in 2021.\nFemale victims\nAge\tCount\n12\t3\n13\t4\n"
                   "Male victims\nAge\tCount\n12\t1\n13\t2\n")
    assert got == {("female", "12-12", "2021-12-31", 3), ("female", "13-13", "2021-12-31", 4),
                   ("male", "12-12", "2021-12-31", 1), ("male", "13-13", "2021-12-31", 2)}


def test_a_title_naming_a_gender_does_not_override_the_table_split() -> None:
    got = _victims("Victims recorded in 2021.\nFemale victims and others\n"
                   "Age\tFemale\tMale\n12\t3\t1\n")
    assert got == {("female", "12-12", "2021-12-31", 3), ("male", "12-12", "2021-12-31", 1)}


def test_a_question_naming_both_genders_sets_none() -> None:
    got = _victims("Victims recorded in 2021.\nHow many girls and boys were victims?\n"
                   "Age\tCount\n12\t3\n")
    assert got == {("all", "12-12", "2021-12-31", 3)}


def test_notes_cut_periods_and_prove_blanks() -> None:
    from extract.tables.context import table_context
    text = ("Victims by year\nAge\t2014\t2015†\n12\t3\t-\n13\t1\t2\n"
            "† figures run until 16 July\nBlank cells indicate nil returns.\n")
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    ctx = table_context(doc, doc.tables[0])
    assert ctx.footnotes == {"†": date(2015, 7, 16)} and ctx.blank_is_nil
    got = _victims(text)
    assert ("all", "12-12", "2015-07-16", 0) in got


def test_data_up_to_note_ends_the_last_period() -> None:
    got = _victims("Age\t2014\t2015\n12\t3\t5\n\nData up to 16/07/2015 only.\n")
    assert ("all", "12-12", "2015-07-16", 5) in got and ("all", "12-12", "2014-12-31", 3) in got


def test_a_note_defines_a_suppression_mark() -> None:
    from extract.tables.context import table_context
    text = "Age\t2019\n12\tx\n13\t6\n\nx = fewer than 5 victims\n"
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    assert table_context(doc, doc.tables[0]).suppression_marks == ["x"]


def test_a_bilingual_letter_gives_one_set_of_facts() -> None:
    welsh = "Oedran\tBenywaidd\tGwrywaidd\n12\t3\t1\n13\t4\t2\n"
    english = "Age\tFemale\tMale\n12\t3\t1\n13\t4\t2\n"
    got = _victims(f"Dioddefwyr yn 2021\n{welsh}\nVictims in 2021\n{english}")
    assert got == {("female", "12-12", "2021-12-31", 3), ("male", "12-12", "2021-12-31", 1),
                   ("female", "13-13", "2021-12-31", 4), ("male", "13-13", "2021-12-31", 2)}


def test_two_tables_with_the_same_numbers_for_two_genders_both_count() -> None:
    got = _victims("Victims in 2021\nFemale victims\nAge\tCount\n12\t3\n13\t4\n14\t1\n"
                   "Male victims\nAge\tCount\n12\t3\n13\t4\n14\t1\n")
    assert len(got) == 6


def test_a_note_above_all_tables_cuts_a_marked_period() -> None:
    text = ("¹ Figures to 16 July 2015\n\nVictims by year\nAge\t2014\t2015¹\n12\t3\t5\n13\t1\t2\n")
    got = _victims(text)
    assert ("all", "12-12", "2015-07-16", 5) in got and ("all", "12-12", "2014-12-31", 3) in got


def test_a_dash_note_anywhere_and_an_unknown_gender_title() -> None:
    text = ("Victims in 2021. A dash (-) denotes nil.\n\nFemale victims\nAge\tVictims\n12\t4\n"
            "13\t-\n\nVictims whose gender was not recorded\nAge\tVictims\n12\t2\n13\t-\n")
    got = _victims(text)
    assert got == {("female", "12-12", "2021-12-31", 4), ("female", "13-13", "2021-12-31", 0),
                   ("unknown", "12-12", "2021-12-31", 2), ("unknown", "13-13", "2021-12-31", 0)}


def test_gender_labels_with_extra_words() -> None:
    from extract.readers.labels import gender
    assert gender("Gender not recorded") == "unknown" and gender("Female victims") == "female"
    assert gender("Gender") is None and gender("Total") is None


def test_day_spans_and_first_of_month_labels_are_periods() -> None:
    from extract.readers.labels import offence_code, period_of
    p = period_of("1 Jan-30th Nov 2016")
    assert p is not None and (p.start, p.end) == (date(2016, 1, 1), date(2016, 11, 30))
    m = period_of("01/07/2021")
    assert m is not None and (m.start, m.end) == (date(2021, 7, 1), date(2021, 7, 31))
    assert offence_code("01/07/2021") is None and offence_code("195/12") == "195/12"
    r = period_of("02.01.21 - 31.01.22")
    assert r is not None and (r.start, r.end) == (date(2021, 1, 2), date(2022, 1, 31))
    assert period_of("31.02.21 - 01.03.21") is None


def test_an_offence_table_split_by_crime_type_is_not_read() -> None:
    doc, t = _table("Crime type\t2014\t2015\nTheft\t1\t0\nAssault\t0\t2\n")
    assert map_table(doc, t, _ctx()).counts == "none"


def test_words_like_app_in_a_header_sentence_need_a_platform_among_the_labels() -> None:
    head = "Crime types of offences where a dating app was named"
    doc, t = _table(f"{head}\tCount\nTheft\t1\nAssault\t2\n")
    assert map_table(doc, t, _ctx()).counts != "platforms"
    doc, t = _table(f"{head}\tCount\nSnapchat\t1\nAssault\t2\n")
    assert map_table(doc, t, _ctx()).counts == "platforms"
    doc, t = _table("Method of communication\tCount\nFabguys\t1\n")  # a short header
    assert map_table(doc, t, _ctx()).counts == "platforms"


def test_cells_that_repeat_their_keys_in_one_table_are_dropped_and_flagged() -> None:
    """A flattened age x gender table whose gender headings were lost: 12 appears twice."""
    doc, t = _table("Victims\nAge\tCount\n12\t3\n13\t4\n12\t1\n13\t2\n")
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert got.victims == [] and [f.code for f in got.flags] == ["ambiguous_cells"]


def test_two_rows_meaning_unknown_age_both_stay() -> None:
    doc, t = _table("Victims\nAge\tCount\n12\t3\nUnknown\t4\nNot recorded\t1\n")
    got = expand(doc, t, map_table(doc, t, _ctx()), {})
    assert sorted(c.count or 0 for c in got.victims) == [1, 3, 4]
