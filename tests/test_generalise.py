"""General forms of platform and offence counts met in unseen replies (r4gen), with the
numbers next to them that are never counts."""

from __future__ import annotations

from datetime import date

import pytest

from extract.document import Document
from extract.readers.rules import read_rules
from extract.tables import find_tables
from schemas import Record
from schemas.vocab import canonical_platforms


def _read(text: str) -> Record:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return read_rules(doc)


def _offences(text: str) -> list[tuple[date, date, int | None]]:
    return sorted((o.period.start, o.period.end, o.count) for o in _read(text).offences)


def test_a_total_over_the_years_of_its_sentence_gets_all_of_them() -> None:
    text = ("In 2021 there were 21 offences, in 2022 there were 34 offences and in 2023 "
            "there were 40 offences, a total of 95.")
    assert _offences(text) == [
        (date(2021, 1, 1), date(2021, 12, 31), 21),
        (date(2021, 1, 1), date(2023, 12, 31), 95),
        (date(2022, 1, 1), date(2022, 12, 31), 34),
        (date(2023, 1, 1), date(2023, 12, 31), 40)]


def test_a_total_that_is_not_the_sum_keeps_its_own_year() -> None:
    # 60 is not 21 + 34: the sentence does not say it totals the other years.
    text = ("In 2022 there were 21 offences and in 2023 there were 34 offences; "
            "in 2023 a total of 60 crimes were reported overall.")
    got = _offences(text)
    assert (date(2021, 1, 1), date(2023, 12, 31), 60) not in got
    assert all(end.year == start.year for start, end, _ in got)


SCOPE = "Period: 1 January 2023 to 31 December 2023.\n\n"


def _platforms(text: str) -> list[tuple[str, tuple[str, ...], int | None]]:
    return [(p.label, tuple(p.platforms), p.count) for p in _read(SCOPE + text).platforms]


@pytest.mark.parametrize("text", [
    "Snapchat was used in 22 offences, WhatsApp in 9 and Instagram in 7.",
    "Of the 38 offences, 22 involved Snapchat, 9 involved WhatsApp and 7 involved Instagram.",
    "The apps recorded were Snapchat - 22, WhatsApp - 9, Instagram - 7.",
    "Snapchat accounted for 22 offences, WhatsApp for 9 and Instagram for 7.",
    "22 offences were committed via Snapchat, 9 via WhatsApp and 7 via Instagram.",
    "The most used app was Snapchat (22 offences), followed by WhatsApp (9) and Instagram (7).",
])
def test_platforms_paired_with_their_counts_in_a_sentence(text: str) -> None:
    assert _platforms(text) == [("Snapchat", ("Snapchat",), 22),
                                ("WhatsApp", ("WhatsApp",), 9),
                                ("Instagram", ("Instagram",), 7)]


def test_label_lines_each_name_one_platform() -> None:
    text = "Snapchat: 22 offences.\nWhatsApp: 9 offences.\nInstagram: 7 offences.\n"
    assert [c for _, _, c in _platforms(text)] == [22, 9, 7]


@pytest.mark.parametrize("text", [
    # a year, an age, a code and a reference beside a platform are never its count
    "Snapchat was launched in 2011, WhatsApp in 2009 and Instagram in 2010.",
    "Snapchat users aged 13, WhatsApp users aged 16 and Instagram users aged 13 were named.",
    "Snapchat offences under code 71/17, WhatsApp offences under code 88/1.",
    "Snapchat is reference 4521, WhatsApp is reference 4522.",
    # a platform beside a number that other words qualify is not a list of counts
    "We searched Snapchat across 3 systems and WhatsApp across 2 databases.",
    # one platform and one count in a sentence that is no label line
    "Snapchat and Facebook were used in 12 offences.",
])
def test_numbers_beside_platforms_that_are_not_their_counts(text: str) -> None:
    assert _platforms(text) == []


def test_a_list_of_counts_after_an_active_verb() -> None:
    text = ("The force recorded 37 offences in 2021/22, 44 offences in 2022/23 and 58 offences "
            "in 2023/24.")
    assert _offences(text) == [(date(2021, 4, 1), date(2022, 3, 31), 37),
                               (date(2022, 4, 1), date(2023, 3, 31), 44),
                               (date(2023, 4, 1), date(2024, 3, 31), 58)]


def test_an_active_verb_list_does_not_count_ages_or_codes() -> None:
    text = ("In 2023 the force recorded 37 offences, with victims aged 13 and 15, under code "
            "71/17.")
    assert [c for *_, c in _offences(text)] == [37]


MONTHS = "".join(f"{m} 2023 - {n}\n" for m, n in (("January", 4), ("February", 6),
                                                    ("March", 3)))


def test_a_prose_total_of_lines_read_above_covers_their_months() -> None:
    got = _offences(MONTHS + "\nThis gives a total of 13 offences for the quarter.")
    assert (date(2023, 1, 1), date(2023, 3, 31), 13) in got
    assert len(got) == 4


def test_a_prose_figure_that_is_not_the_sum_is_no_whole_period_total() -> None:
    got = _offences(MONTHS + "\nThis gives a total of 20 offences for the quarter.")
    assert (date(2023, 1, 1), date(2023, 3, 31), 20) not in got


@pytest.mark.parametrize(("label", "names"), [
    ("Blackberry Messenger", ["BlackBerry Messenger"]),  # not Facebook's Messenger
    ("MSN Messenger", ["MSN Messenger"]),
    ("X (formerly Twitter)", ["X (Twitter)"]),
    ("Yellow", ["Yubo"]),  # Yubo's earlier name
    ("Online Game", ["Gaming (unspecified)"]),
    ("Not specified", ["Unknown"]),
    ("Snapchat, Bebo", ["Bebo", "Snapchat"]),
    ("Messenger", ["Facebook Messenger"]),
])
def test_platform_vocabulary_names(label: str, names: list[str]) -> None:
    assert canonical_platforms(label) == names


def test_an_unknown_app_keeps_its_label() -> None:
    assert canonical_platforms("Fabguys ") == ["Fabguys"]


def test_a_range_whose_first_date_takes_the_second_dates_year() -> None:
    from extract.periods import all_ranges as find_ranges
    got = [(f.period.start, f.period.end) for f in find_ranges(
        "Crimes recorded 1 January to 31 December 2023 by quarter; 1 April to 31 March 2024.")]
    assert got == [(date(2023, 1, 1), date(2023, 12, 31)), (date(2023, 4, 1), date(2024, 3, 31))]


def test_an_age_range_is_no_date_range() -> None:
    from extract.periods import all_ranges as find_ranges
    assert find_ranges("victims aged 12 to 15 in 2023") == []


def test_offences_under_one_code_listed_by_year() -> None:
    text = ("The force recorded 1,146 offences under Home Office code 71/17 in 2021, 1,298 in "
            "2022 and 1,377 in 2023.")
    assert [c for *_, c in _offences(text)] == [1146, 1298, 1377]


def test_a_figure_of_one_or_two_is_no_count() -> None:
    text = SCOPE + "* denotes a figure of 1 or 2, withheld under section 40(2)."
    record = _read(text)
    assert (record.offences, record.victims) == ([], [])


QUARTERS = ("Offences recorded 1 January to 31 December 2023 by quarter\n\n"
            "Code | Offence | Q1 (Jan-Mar) | Q2 (Apr-Jun) | Q3 (Jul-Sep) | Q4 (Oct-Dec)\n"
            "71/17 | Sexual communication with a child | 18 | 22 | 15 | 20\n"
            "88A | Sexual grooming | 3 | 0 | 2 | 1\n"
            "19C | Rape of a child under 16 {mark} | 5 | 4 | 6 | 3\n")


def test_a_row_given_for_context_only_is_not_read() -> None:
    record = _read(QUARTERS.format(mark="(shown for context)"))
    assert {o.code for o in record.offences} == {"71/17", "88A"}
    assert (date(2023, 1, 1), date(2023, 3, 31), "71/17", 18) in {
        (o.period.start, o.period.end, o.code, o.count) for o in record.offences}


def test_a_note_that_sets_a_code_aside() -> None:
    text = QUARTERS.format(mark="") + "\nNote: code 19C is not part of your request.\n"
    assert {o.code for o in _read(text).offences} == {"71/17", "88A"}


def test_without_a_context_mark_every_coded_row_is_read() -> None:
    assert {o.code for o in _read(QUARTERS.format(mark="")).offences} == {"71/17", "88A", "19C"}


def test_each_count_takes_the_year_before_it_not_the_next_clauses() -> None:
    text = ("In calendar year 2022 there were 96 such crimes recorded, in 2023 there were 104, "
            "and in 2024 up to 30 September there were 71.")
    assert _offences(text) == [(date(2022, 1, 1), date(2022, 12, 31), 96),
                               (date(2023, 1, 1), date(2023, 12, 31), 104),
                               (date(2024, 1, 1), date(2024, 9, 30), 71)]


def test_a_bracketed_code_between_a_count_and_its_year() -> None:
    text = "The force recorded 23 such offences (Home Office code 71/17) in 2022 and 31 in 2023."
    assert _offences(text) == [(date(2022, 1, 1), date(2022, 12, 31), 23),
                               (date(2023, 1, 1), date(2023, 12, 31), 31)]


def test_a_year_to_a_date_without_brackets() -> None:
    from extract.readers.scope import period_near
    text = "In 2024 up to 30 September there were 71."
    p = period_near(text, text.index("71"))
    assert p is not None and (p.start, p.end) == (date(2024, 1, 1), date(2024, 9, 30))


def test_a_year_range_is_not_a_year_cut_short() -> None:
    from extract.readers.scope import period_near
    text = "From 2021 to 2023 there were 71."
    p = period_near(text, text.index("71"))
    assert p is None or p.end != date(2021, 9, 30)


def test_a_note_that_names_a_word_of_one_row_sets_it_aside() -> None:
    text = ("Offences recorded in 2021 and 2022\n\n"
            "Offence | 2021 | 2022\n"
            "Sexual communication with a child (71/17) | 64 | 59\n"
            "Indecent images of children (86/2) | 212 | 240\n"
            "Images offences are shown for comparison only.\n")
    assert [c for *_, c in _offences(text)] == [64, 59]


def test_a_clause_said_to_be_outside_the_request_is_no_count() -> None:
    text = ("In 2023 the force recorded 52 offences. In the same year it recorded 1,204 crimes "
            "of sexual assault; these are not part of your request.")
    assert [c for *_, c in _offences(text)] == [52]


def test_clauses_before_an_aside_are_kept() -> None:
    text = ("In 2023 there were 52 offences recorded; in the same year 1,204 other crimes were "
            "recorded; these are not part of your request.")
    assert [c for *_, c in _offences(text)] == [52]


def test_published_data_offered_as_advice_is_no_count() -> None:
    text = ("You may also find our published crime data helpful: in 2023 the force recorded "
            "1,930 sexual offences of all types.")
    assert _offences(text) == []


def test_dot_leader_lines_are_a_list_of_counts() -> None:
    text = ("Victims in 2023:\nFemale ............ 109\nMale .............. 26\n"
            "Not recorded ...... <5\n")
    got = {(c.gender, c.count, c.suppressed) for c in _read(text).victims}
    assert got == {("female", 109, False), ("male", 26, False), ("unknown", None, True)}


def test_a_sentence_ending_in_an_ellipsis_is_no_list() -> None:
    assert _read("We looked at 2023... 14 systems were searched.").victims == []


def test_a_code_given_only_for_context_is_not_stated() -> None:
    from extract.readers.rules import read_rules as rr
    text = QUARTERS.format(mark="(shown for context)") + \
        "\nNote: code 19C is not part of your request.\n"
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    assert rr(doc).offence_codes == ["71/17", "88A"]


def test_a_code_also_stated_plainly_is_kept() -> None:
    text = QUARTERS.format(mark="(shown for context)") + "\nCrimes under code 19C: 18.\n"
    assert "19C" in _read(text).offence_codes


MONTHLY = ("Month | {head} | Snapchat | Instagram | Other\n"
           "Jan 2023 | 5 | 3 | 1 | 1\nFeb 2023 | 4 | 2 | 2 | 0\nMar 2023 | 6 | 4 | 0 | 2\n")


def test_an_offence_column_beside_platform_columns() -> None:
    record = _read(MONTHLY.format(head="Offences"))
    assert [o.count for o in record.offences] == [5, 4, 6]
    assert {p.label for p in record.platforms} == {"Snapchat", "Instagram", "Other"}
    assert len(record.platforms) == 9


def test_a_platform_column_is_never_an_offence_column() -> None:
    record = _read(MONTHLY.format(head="WhatsApp"))
    assert record.offences == []
    assert {p.label for p in record.platforms} == {"WhatsApp", "Snapchat", "Instagram", "Other"}


def test_lines_of_counts_each_opening_with_its_code() -> None:
    text = ("Home Office code 71/17 (sexual communication with a child): 2022 - 41, 2023 - 52.\n"
            "Home Office code 88A (sexual grooming): 2022 - 12, 2023 - 9.\n")
    got = {(o.period.start.year, o.code, o.count) for o in _read(text).offences}
    assert got == {(2022, "71/17", 41), (2023, "71/17", 52), (2022, "88A", 12), (2023, "88A", 9)}


def test_one_code_named_over_its_counts_is_no_split() -> None:
    text = "Home Office code 71/17 (sexual communication with a child): 2022 - 41, 2023 - 52.\n"
    assert {o.code for o in _read(text).offences} == {None}


def test_a_line_opening_with_a_year_is_no_code() -> None:
    from extract.readers.rules import _leading_code
    assert _leading_code("2023: 41 offences") is None
    assert _leading_code("71/17: 41 offences in 2023") == "71/17"


def test_a_table_of_non_crime_incidents_is_no_offence_count() -> None:
    text = "The table below contains all non-crime hate incidents recorded per year.\n" \
           "2023 – 70\n2024 – 149\n"
    assert _offences(text) == []


def test_a_table_of_crimes_under_a_request_naming_non_crime_incidents() -> None:
    text = ("You asked about crimes and non-crime incidents.\n\nCrimes recorded per year:\n"
            "2023 – 70\n2024 – 149\n")
    assert [c for *_, c in _offences(text)] == [70, 149]
