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


@pytest.mark.parametrize(("text", "outcome"), [
    # Figures stated in prose that no fact kind holds are still given.
    ("In response:\nThere are 53 registered sex offenders currently residing in the area.",
     "full"),
    ("In response:\nThere are 53 registered sex offenders in the area. The remaining details "
     "are exempt under section 40(2) of the Act.", "partial"),
    # The force's decision that part was disclosed, with nothing readable given.
    ("Part disclosure with Section 12, Section 40 and Section 44 exemptions.\nThe figures are "
     "exempt.", "partial"),
    ("I have decided to partially exempt records pursuant to section 31(1) of the Act.",
     "partial"),
    # A figure given and a part the force does not record, or a refusal notice for the rest.
    ("In 2021, 816 offences were recorded. This percentage is not recorded but below are the "
     "outcomes.", "partial"),
    ("In 2021, 816 offences were recorded. Where exemptions are relied upon, Section 17 of the "
     "Freedom of Information Act requires that I provide the applicant with a notice.",
     "partial"),
    # Given, and the rest refused on cost without a section named.
    ("In 2021, 816 offences were recorded. The other points are not held in a format that "
     "would allow extraction within the 18 hour threshold.", "partial"),
])
def test_outcome_by_the_contract(text: str, outcome: str) -> None:
    assert _read(text).outcome == outcome


@pytest.mark.parametrize(("text", "outcome"), [
    # Where data lives is no part held back.
    ("In 2021, 816 offences were recorded. These details are not recorded on an incident, so "
     "this response is based on crimes.", "full"),
    # The size of a search in a cost refusal is no answer.
    ("The information cannot be disclosed within the time limits of the Act. Since April 2015 "
     "there have been 236,796 reported incidents recorded, each of which would need to be read.",
     "refused"),
    # Numbers that are no figures: a time, a year, a section.
    ("Section 12 of the Act applies as there are 18 hours in the limit.", "refused"),
    ("There are 3 hours of work in this. Your request is refused under section 14.", "refused"),
    # A conditional remark about cost is no cost refusal.
    ("In 2021, 816 offences were recorded. If a request would exceed the cost limit we will "
     "tell you.", "full"),
])
def test_outcome_is_not_misled(text: str, outcome: str) -> None:
    assert _read(text).outcome == outcome


def test_a_bare_answer_to_a_subset_question_is_not_the_offence_count() -> None:
    text = ("1. How many rapes were recorded by your force in 2021?\n816\n"
            "2. How many stranger rapes were recorded by your force in 2021?\n25\n"
            "3. How many historic / non-recent rape cases were recorded in 2017?\n192\n")
    got = [(o.period.start.year, o.count) for o in _read(text).offences]
    assert got == [(2021, 816)]


def test_bare_answers_to_plain_questions_are_all_kept() -> None:
    text = ("1. How many offences were recorded in 2021?\n12\n"
            "2. How many such offences were recorded in 2022?\n14\n")
    got = sorted((o.period.start.year, o.count) for o in _read(text).offences)
    assert got == [(2021, 12), (2022, 14)]
    # With no unqualified question beside it, a qualified one is the count asked for.
    text = "1. How many online offences were recorded in 2021?\n9\n"
    assert [o.count for o in _read(text).offences] == [9]


SCOPE = "Period: 1 January 2023 to 31 December 2023.\n\n"


def _suspects(text: str) -> list[int | None]:
    return [c.count for c in _read(SCOPE + text).suspects]


@pytest.mark.parametrize(("text", "count"), [
    ("There were forty-three suspects linked to the offences in Question 1.", 43),
    ("There were forty three suspects linked to these offences.", 43),
    ("There were twenty suspects.", 20),
    ("Suspects linked to the offences in answer 1: 43", 43),
    ("Number of suspects identified: 43", 43),
])
def test_suspect_counts_in_words_and_after_a_label(text: str, count: int) -> None:
    assert _suspects(text) == [count]


@pytest.mark.parametrize("text", [
    "Suspects linked to the offences in answer 1: see the table below",
    "Suspects aged under 18: 43 per cent of the total",
    "Suspects: section 40(2) applies",
    "Suspects recorded since 2019: none can be given",
])
def test_no_suspect_count_after_a_label(text: str) -> None:
    assert _suspects(text) == []


def test_there_were_n_in_a_year_takes_the_noun_counted_before() -> None:
    text = ("All figures count online grooming offences.\n\u00b9 Figures to 16 July 2015\n\n"
            "In 2013, 12 offences were recorded. There were six in 2014 and seven in "
            "2015\u00b9, which makes 25 offences over the whole period.\n")
    got = sorted((o.period.start, o.period.end, o.count) for o in _read(text).offences
                 if o.count != 25)
    assert got == [(date(2013, 1, 1), date(2013, 12, 31), 12),
                   (date(2014, 1, 1), date(2014, 12, 31), 6),
                   (date(2015, 1, 1), date(2015, 7, 16), 7)]


def test_there_were_n_in_a_year_needs_a_counted_noun() -> None:
    assert _read("The force was founded in 1974. There were six in 2014.").offences == []


def test_offences_without_victim_details_written_as_part_of_them() -> None:
    record = _read(SCOPE + "For thirty of these offences no victim details have been recorded.")
    assert [(v.gender, v.age, v.count) for v in record.victims] == [("unknown", "unknown", 30)]
    # Without the note on missing details, "thirty of these offences" is a subset, no count.
    assert _read(SCOPE + "Thirty of these offences were online.").offences == []


def _sections(text: str) -> list[str]:
    return [e.section for e in _read(text).exemptions]


def test_a_ground_for_a_check_not_made_is_not_applied() -> None:
    text = ("Please find the figures attached. To confirm the accuracy of every age would "
            "require reading each case. Such a search however would exceed the appropriate "
            "limit (FOIA, s.12). Data has therefore been provided as recorded.")
    assert _sections(text) == []


def test_a_cost_ground_for_part_of_the_request_is_applied() -> None:
    text = ("Question 3 would exceed the appropriate limit (FOIA, s.12). The figures for "
            "questions 1 and 2 have however been provided below.")
    assert _sections(text) == ["12"]


FY = "You asked for figures from 1 April 2022 to 31 March 2023.\n\n"
FY_PERIOD = (date(2022, 4, 1), date(2023, 3, 31))


@pytest.mark.parametrize("text", [
    "During the period requested, 52 offences of sexual communication with a child were "
    "recorded.",
    "2022/23: 52 offences",
    "Q1: 52 offences.",
    "Total offences - 52",
    "There were 52 offences, 14 suspects and 9 victims.",
])
def test_offence_counts_in_more_prose_forms(text: str) -> None:
    got = [(o.period.start, o.period.end, o.count) for o in _read(FY + text).offences]
    assert got == [(*FY_PERIOD, 52)]


def test_a_list_after_a_stated_count_counts_each_noun() -> None:
    record = _read(FY + "There were 52 offences, 14 suspects and 9 victims.")
    assert [c.count for c in record.suspects] == [14]
    assert [(c.gender, c.count) for c in record.victims] == [("all", 9)]
    record = _read(FY + "52 offences were recorded, involving 40 female victims and 12 male "
                        "victims.")
    assert sorted((c.gender, c.count) for c in record.victims) == [("female", 40), ("male", 12)]


@pytest.mark.parametrize("text", [
    "Figures are kept for 2022, 14 years after the system began.",  # a year, then no noun
    "Section 12 - 18 hours is the limit for 52 offences to be read.",
    "The figure for 2022 is 52.",  # no noun counted anywhere: nothing to say what it counts
    "Answers 3 and 4 are refused.",
    "Of the 52 offences, 30 involved a stranger.",  # a subset that is no platform
])
def test_more_numbers_that_are_not_counts(text: str) -> None:
    record = _read(FY + text)
    assert (record.offences, record.platforms) == ([], [])


def test_the_figure_for_a_year_takes_the_noun_of_the_sentence_before() -> None:
    got = [o.count for o in _read(FY + "We searched crimes recorded by the force. The figure "
                                       "for 2022/23 is 52.").offences]
    assert got == [52]


def test_platform_counts_of_a_stated_total() -> None:
    record = _read(FY + "Of the 52 offences, 30 involved Snapchat and 5 involved WhatsApp.")
    assert [(p.platforms, p.count) for p in record.platforms] == [(["Snapchat"], 30),
                                                                 (["WhatsApp"], 5)]


@pytest.mark.parametrize(("text", "want"), [
    ("Youngest victim: 12 (female)", (12, 12, "female", False)),
    ("Question 4: Age of youngest victim\n12", (12, 12, None, False)),
    ("The youngest victim was 14 years old and the oldest was 17.", (14, 14, None, False)),
])
def test_youngest_victim_forms(text: str, want: tuple[object, ...]) -> None:
    y = _read(FY + text).youngest_victim
    assert y is not None and (y.age_min, y.age_max, y.gender, y.withheld) == want


def test_a_number_on_the_line_under_another_heading_is_no_youngest_age() -> None:
    assert _read(FY + "Question 4: Number of victims\n12").youngest_victim is None


def test_a_code_after_hocr() -> None:
    assert _read(FY + "Crimes classified under HOCR 88A were searched.").offence_codes == ["88A"]
    assert _read(FY + "Crimes were counted under HOCR rules in 2022.").offence_codes == []


def test_a_count_after_its_verb_at_the_end_of_the_sentence() -> None:
    text = ("In calendar year 2022 the Constabulary recorded 176 offences under Home Office code "
            "071/17, and in 2023 it recorded 189.")
    got = sorted((o.period.start.year, o.count) for o in _read(text).offences)
    assert got == [(2022, 176), (2023, 189)]
    # A verb and a number, but nothing says what was counted.
    assert _read("In 2023 the unit recorded 189.").offences == []


def test_a_code_right_after_the_home_office_initials() -> None:
    assert _read(FY + "Sexual communication with a child (HO 71/17) was searched."
                 ).offence_codes == ["71/17"]
    assert _read(FY + "Contact HO 2023 for details.").offence_codes == []


def test_a_suspect_total_across_the_whole_period_gets_the_union_of_the_tables() -> None:
    text = ("Year\tOffences\n2021\t187\n2022\t203\n2023\t141\n\n"
            "Suspects: across the whole period, 402 suspects were linked to these offences.\n")
    record = _read(text)
    assert [(c.period.start, c.period.end, c.count) for c in record.suspects] == [
        (date(2021, 1, 1), date(2023, 12, 31), 402)]


def test_a_suspect_total_in_its_own_year_keeps_it() -> None:
    text = ("Year\tOffences\n2021\t187\n2022\t203\n\n"
            "In 2022, 40 suspects were linked to these offences over the whole period.\n")
    assert [(c.period.start.year, c.count) for c in _read(text).suspects] == [(2022, 40)]


def test_a_figure_for_comparison_is_not_a_count_of_the_request() -> None:
    text = (FY + "In 2022/23, 52 offences were recorded. For context only: the force also "
            "recorded 57 offences of meeting a child following grooming over the same years.")
    assert [o.count for o in _read(text).offences] == [52]
    text = (FY + "In 2022/23, 52 offences were recorded. The force also recorded 57 offences of "
            "meeting a child following grooming. These are not included above.")
    assert [o.count for o in _read(text).offences] == [52]


def test_a_quoted_request_is_not_the_answer() -> None:
    text = ('You asked:\n"For each month from April 2017, please provide the number of offences '
            '(Home Office code 71/17) and the app used."\nSection 12 applies to the request as a '
            "whole, so no information is provided.")
    record = _read(text)
    assert (record.offence_codes, record.outcome) == ([], "refused")
    # A short quotation, or one that does not ask, stays part of the answer.
    text = ('The figures are under "Home Office code 71/17" as "not known" rows. In 2022, 52 '
            "offences were recorded under code 71/17.")
    assert _read(text).offence_codes == ["71/17"]


@pytest.mark.parametrize(("text", "outcome"), [
    # The answer says it gives information; its figures are lost (a cut page, a lost table).
    ("I have today decided to disclose the located information to you as follows.", "full"),
    ("I can confirm that the force does hold the information requested, the details of which "
     "are as follows: However, some of that information has been exempted under Section 40(2).",
     "partial"),
    ("Points 1 to 3 are therefore not held. For point 4, I have provided data based on a "
     "search of charges.", "partial"),
    # The force's own NCND, its section not named, and the Act's duty quoted beside it.
    ("A public authority must confirm or deny whether it holds the information unless the cost "
     "of this alone would exceed the appropriate limit. I can neither confirm nor deny that the "
     "information you require is held.", "ncnd"),
    # Held in part, with no ground named.
    ("I can confirm that the information you have requested is held in part by the force.",
     "partial"),
    # Figures given, and the force not obliged to give the rest.
    ("In 2020, 14 offences were recorded. With regards to ongoing investigations, I am not "
     "obliged to provide all the information requested.", "partial"),
    # A figure stated after its verb in a reply about something other than offences.
    ("Since 2015 we have received a total of 308 applications under the scheme.", "full"),
    ("The total number of registered offenders in the town is currently 10.", "full"),
])
def test_outcome_from_what_the_answer_says(text: str, outcome: str) -> None:
    assert _read(text).outcome == outcome


@pytest.mark.parametrize(("text", "outcome"), [
    ("I have decided not to disclose the information, which is exempt under section 31(1).",
     "refused"),
    ("We cannot provide the information as it would exceed the cost limit.", "refused"),
])
def test_no_given_statement_in_a_refusal(text: str, outcome: str) -> None:
    assert _read(text).outcome == outcome


def test_an_attached_summary_is_not_figures_in_an_attachment() -> None:
    text = ("Year\tComplaints\n2019\t3\n2020\t5\n\nPlease find attached a summary of the "
            "complaints which have been listed in the above table.")
    assert _read(text).data_in_attachment is False
    assert _read("Please find attached the figures you asked for.").data_in_attachment is True


def test_codes_before_an_offence_title_in_the_answer() -> None:
    text = ("Decision\nPlease see the table showing the number of crimes of 08/65 Stalking "
            "involving fear of violence and 08/66 Stalking involving serious alarm.")
    assert _read(text).offence_codes == ["8/65", "8/66"]
    # A bulleted list of codes and titles, and a date before a word, are not read as codes.
    assert _read("* 86/2 Take indecent photographs\n* 86/10 Possession of images\n"
                 ).offence_codes == []
    assert _read("The meeting of 12/05 Monday was cancelled.").offence_codes == []


def test_the_input_naming_itself_is_no_attachment() -> None:
    text = ("Year\tOffences\n2023\t201\n2024\t104\n\n"
            "This spreadsheet is the response to your request.")
    assert _read(text).data_in_attachment is False


def test_year_count_pairs_written_inline() -> None:
    text = ("Offences recorded in each calendar year were: 2020 - 114; 2021 - 128; "
            "2022 - 139.")
    got = sorted((o.period.start, o.period.end, o.count) for o in _read(text).offences)
    assert got == [(date(2020, 1, 1), date(2020, 12, 31), 114),
                   (date(2021, 1, 1), date(2021, 12, 31), 128),
                   (date(2022, 1, 1), date(2022, 12, 31), 139)]


@pytest.mark.parametrize("text", [
    "Offences fell: 2020 - 114.",                        # one pair: no list
    "The review ran 2020 - 2021, 2022 - 2023.",          # ranges of years, and no noun
    "Offences: the estimate is 2020 - 18 hours; 2021 - 20 hours.",  # times
])
def test_no_year_count_pairs(text: str) -> None:
    assert [o.count for o in _read(text).offences if o.count in (114, 2021, 2023, 18, 20)] == []


def test_a_total_of_the_figures_counted_above() -> None:
    text = ("Offences recorded in each calendar year were: 2020 - 114; 2021 - 128; "
            "2022 - 139.\nReviewing each of the 381 crime reports counted above would take well "
            "over 18 hours.")
    whole = [(o.period.start, o.period.end) for o in _read(text).offences if o.count == 381]
    assert whole == [(date(2020, 1, 1), date(2022, 12, 31))]
    # Without "above", "each of the N reports" is the size of a search, not a count.
    text = "Reviewing each of the 381 crime reports would take well over 18 hours."
    assert _read(FY + text).offences == []


def test_sections_listed_with_their_titles_and_lettered_subsections() -> None:
    text = ("The information is exempt by virtue of Sections 38(1)(a) & (b) (Health and Safety) "
            "and 40(2) of the Act.")
    assert _sections(text) == ["38(1)", "40(2)"]


def test_section_12_2_is_a_neither_confirm_nor_deny_on_cost() -> None:
    record = _read("Section 12(2) of the Act means we are not required to confirm or deny whether "
                   "the information is held, as to do so would exceed the cost limit.")
    assert [(e.section, e.ncnd) for e in record.exemptions] == [("12", True)]
    assert record.outcome == "ncnd"
    # Section 12(1), the cost of complying, is a plain refusal.
    record = _read("Section 12(1) applies as complying would exceed the cost limit.")
    assert [(e.section, e.ncnd) for e in record.exemptions] == [("12", False)]
    assert record.outcome == "refused"


def _cells(text: str, kind: str) -> list[tuple[str, str, int | None]]:
    return sorted((c.gender, c.age, c.count) for c in getattr(_read(FY + text), kind))


def test_a_gender_split_with_its_noun_and_unknown_gender() -> None:
    assert _cells("40 victims were female, 12 were male and 3 were of unknown gender.",
                  "victims") == [("female", "all", 40), ("male", "all", 12),
                                 ("unknown", "all", 3)]


def test_an_age_split_with_its_noun() -> None:
    assert _cells("There were 22 victims aged 13 to 15 and 8 aged under 13.", "victims") == [
        ("all", "0-12", 8), ("all", "13-15", 22)]


def test_a_total_split_in_its_own_sentence_is_derived() -> None:
    assert _cells("There were 52 victims: 40 female and 12 male.", "victims") == [
        ("female", "all", 40), ("male", "all", 12)]
    assert _cells("A total of 30 suspects were identified, 28 male and 2 female.",
                  "suspects") == [("female", "all", 2), ("male", "all", 28)]
    # A split that does not add up leaves the total standing: the reply says both.
    assert _cells("A total of 31 suspects were identified, 28 male and 2 female.",
                  "suspects") == [("all", "all", 31), ("female", "all", 2), ("male", "all", 28)]


def test_a_label_narrowed_by_age_is_not_a_total() -> None:
    assert _cells("Victims aged 13-15: 22", "victims") == []


def test_a_cost_refusal_without_its_section() -> None:
    text = ("Our data are not organised in such a way as to allow us to provide this information "
            "within the appropriate (cost) limit.")
    assert _read(text).outcome == "refused"


def test_able_to_disclose_is_given_and_not_able_is_not() -> None:
    assert _read("I am able to disclose the located information to you as follows.").outcome \
        == "full"
    assert _read("I am not able to disclose the information, as it is exempt.").outcome \
        == "refused"


@pytest.mark.parametrize("text", [
    "Recorded victims of other sexual crimes, 2013-2014 and 2016-2017",
    "Table 5: Gender of victims by crime type, 2013-14 and 2016-17",
    "Victims by year: 2013 - 14 and 2016 - 17",
])
def test_spans_of_years_are_not_year_count_pairs(text: str) -> None:
    record = _read(text)
    assert (record.offences, record.victims) == ([], [])


@pytest.mark.parametrize(("text", "start", "end"), [
    ("During FY22/23, 52 offences were recorded.", date(2022, 4, 1), date(2023, 3, 31)),
    ("In the year ending 31 March 2023, 52 offences were recorded.", date(2022, 4, 1),
     date(2023, 3, 31)),
    ("52 offences were recorded in the 12 months to 31 March 2023.", date(2022, 4, 1),
     date(2023, 3, 31)),
    ("From January to June 2023, 52 offences were recorded.", date(2023, 1, 1),
     date(2023, 6, 30)),
    ("From November to February 2023, 52 offences were recorded.", date(2022, 11, 1),
     date(2023, 2, 28)),
    ("52 offences were recorded from 01.04.22 to 31.03.23.", date(2022, 4, 1),
     date(2023, 3, 31)),
])
def test_short_period_forms_in_prose(text: str, start: date, end: date) -> None:
    assert [(o.period.start, o.period.end, o.count) for o in _read(text).offences] == [
        (start, end, 52)]


def test_no_period_from_impossible_short_forms() -> None:
    from extract.readers.scope import prose_ranges
    assert prose_ranges("FY22/24 and 31.02.23 to 01.03.23 and 05.06.23 to 01.01.23") == []


@pytest.mark.parametrize("text", [
    "30 individuals were identified as suspects.",
    "The offences were linked to 30 suspects.",
])
def test_suspect_totals_in_other_words(text: str) -> None:
    assert _cells(text, "suspects") == [("all", "all", 30)]


def test_people_identified_as_something_else_are_no_suspects() -> None:
    assert _cells("30 people were identified as witnesses.", "suspects") == []


@pytest.mark.parametrize(("text", "attached"), [
    ("Please see Appendix A below for the figures.\n\nAppendix A\nYear\tOffences\n2022\t12\n"
     "2023\t14\n", False),
    ("Please see Appendix A for the figures.", True),  # not in the text: missing
    ("Attached: FOI_1234_data.xlsx", True),
    ("Attached: a note on how to appeal", False),
])
def test_appendices_and_listed_files(text: str, attached: bool) -> None:
    assert _read(text).data_in_attachment is attached


@pytest.mark.parametrize(("text", "want"), [
    ("In 2022/23 there were 52 crimes, compared with 40 in 2021/22.",
     [(date(2021, 4, 1), 40), (date(2022, 4, 1), 52)]),
    ("The force recorded 52 crimes in 2022/23 (40 in 2021/22).",
     [(date(2021, 4, 1), 40), (date(2022, 4, 1), 52)]),
    ("Offences recorded by year: 2021 (40), 2022 (52).",
     [(date(2021, 1, 1), 40), (date(2022, 1, 1), 52)]),
    ("The number of offences rose from 40 in 2021 to 52 in 2022.",
     [(date(2021, 1, 1), 40), (date(2022, 1, 1), 52)]),
    ("A total of 92 offences were recorded: 40 in 2021/22 and 52 in 2022/23.",
     [(date(2021, 4, 1), 40), (date(2021, 4, 1), 92), (date(2022, 4, 1), 52)]),
])
def test_counts_compared_across_periods(text: str, want: list[tuple[date, int]]) -> None:
    assert sorted((o.period.start, o.count) for o in _read(text).offences) == want


def test_a_total_split_by_the_periods_after_it_covers_them_all() -> None:
    got = [(o.period.start, o.period.end) for o in _read(
        "A total of 92 offences were recorded: 40 in 2021/22 and 52 in 2022/23.").offences
        if o.count == 92]
    assert got == [(date(2021, 4, 1), date(2023, 3, 31))]


@pytest.mark.parametrize("text", [
    "The cost rose from 40 in 2021 to 52 in 2022.",
    "Offences recorded by year: 2021 (see note), 2022 (52).",
])
def test_no_counts_compared(text: str) -> None:
    assert _read(text).offences == []


@pytest.mark.parametrize("text", [
    "The age of the youngest victim has not been provided as it could identify them.",
    "Youngest victim - this cannot be disclosed.",
])
def test_youngest_victim_withheld_in_other_words(text: str) -> None:
    y = _read(FY + text).youngest_victim
    assert y is not None and y.withheld


def test_youngest_victim_given_is_not_withheld() -> None:
    y = _read(FY + "The youngest victim was 9; their name cannot be disclosed.").youngest_victim
    assert y is not None and (y.age_min, y.withheld) == (9, False)


@pytest.mark.parametrize(("text", "codes"), [
    ("Home Office Offence Code (HOOC) 71/17 was used.", ["71/17"]),
    ("The offences were recorded under 88A (sexual grooming).", ["88A"]),
    ("Offence: Sexual Communication With A Child - 71/17", ["71/17"]),
    ("Figures for 22A Street were excluded.", []),
    ("The unit moved to 22A (the annex) in 2020.", []),
])
def test_more_code_forms(text: str, codes: list[str]) -> None:
    assert _read(FY + text).offence_codes == codes
