"""Counts stated in sentences: the general forms, and numbers that are never counts."""

from __future__ import annotations

from datetime import date

import pytest

from extract.document import Document
from extract.readers.rules import read_rules
from extract.tables import find_tables
from schemas import Record

SCOPE = "Period: 1 January 2023 to 31 December 2023.\n\n"


def _read(text: str) -> Record:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    record = read_rules(doc)
    for item in [*record.offences, *record.victims, *record.suspects]:
        for ev in item.evidence:
            assert doc.text[ev.start:ev.end] == ev.quote
    return record


def _offences(text: str) -> list[tuple[date, date, int | None]]:
    return [(o.period.start, o.period.end, o.count) for o in _read(text).offences]


Y2023 = (date(2023, 1, 1), date(2023, 12, 31))


@pytest.mark.parametrize("text", [
    "The total number of crimes recorded in 2023 was 14.",
    "In 2023, 14 offences were recorded.",
    "During 2023 we recorded 14 offences of sexual communication with a child.",
    "The number of offences recorded by the force in 2023 stands at 14.",
    "In 2023 there were 14 recorded offences.",
    "Offences recorded during 2023 - Total: 14",
    "In 2023 the force recorded a total of fourteen crimes.",
])
def test_a_count_and_its_year(text: str) -> None:
    assert _offences(text) == [(*Y2023, 14)]


def test_an_age_inside_the_noun_phrase_is_not_the_count() -> None:
    text = (SCOPE + "The total number of sexual offences recorded against persons under 18 "
            "in the period requested was 78.")
    record = _read(text)
    assert [o.count for o in record.offences] == [78]
    ev = record.offences[0].evidence[0]
    assert ev.quote == "78"  # the evidence is the number token, not the sentence


def test_counts_in_words_and_nil() -> None:
    assert _offences(SCOPE + "We searched for offences of this kind. There were eight.") == [
        (*Y2023, 8)]
    assert _offences("Q1. How many offences were recorded in 2023?\nNil.") == [(*Y2023, 0)]
    assert _offences(SCOPE + "The number of offences recorded was nil.") == [(*Y2023, 0)]


def test_two_years_in_one_sentence_each_keep_their_own() -> None:
    got = _offences("In 2022 there were 9 offences recorded and in 2023 there were 14 "
                    "offences recorded.")
    assert sorted(got) == [(date(2022, 1, 1), date(2022, 12, 31), 9), (*Y2023, 14)]


@pytest.mark.parametrize("text", [
    SCOPE + "Offences under section 15A of the Sexual Offences Act 2003 were searched.",
    SCOPE + "Offences recorded under Home Office code 71/17 were searched for.",
    SCOPE + "Our reference is FOI 2025/0318 and 581-2025.",
    SCOPE + "Victims were aged between 12 and 15 years old.",
    SCOPE + "Please note, one case was recorded against the wrong age band.",
    SCOPE + "The search would take 30 minutes per record, 180 hours in total.",
    SCOPE + "Section 12 applies as the cost would exceed £450.",
    SCOPE + "The data is correct as at 07 September 2023.",
    SCOPE + "1. Please tell me the number of offences recorded in 2023 (there were 44 in 2019).",
    SCOPE + "14 offences involving Snapchat were recorded.",
    SCOPE + "Crime type Male Female Total 18 82 599 Communicating indecently",
])
def test_numbers_that_are_not_standalone_counts(text: str) -> None:
    assert _read(text).offences == []


def test_missing_victim_details_in_other_words() -> None:
    for text in ("30 offences are currently recorded without victim details.",
                 "Victim details are missing for 30 offences."):
        record = _read(SCOPE + text)
        assert [(v.gender, v.age, v.count) for v in record.victims] == [("unknown", "unknown", 30)]
        assert record.offences == []


def test_suspects_named_after_the_total() -> None:
    text = SCOPE + "Number of offenders linked to the offences described above - Total Count 43"
    record = _read(text)
    assert [(s.gender, s.age, s.count) for s in record.suspects] == [("all", "all", 43)]
    assert record.offences == []


def test_a_sentence_in_the_quoted_request_gives_nothing() -> None:
    text = ("Request:\nFor example in 2019 the force recorded 44 crimes in total.\n"
            "Response:\nIn 2019 the force recorded 12 crimes.\n")
    assert _offences(text) == [(date(2019, 1, 1), date(2019, 12, 31), 12)]


def test_platforms_listed_inline_with_bracketed_counts() -> None:
    record = _read("In 2023 the platforms recorded were Snapchat (7), WhatsApp (2 offences) and "
                   "Instagram (1).")
    got = [(p.label, p.platforms, p.count) for p in record.platforms]
    assert got == [("Snapchat", ["Snapchat"], 7), ("WhatsApp", ["WhatsApp"], 2),
                   ("Instagram", ["Instagram"], 1)]
    assert all(p.evidence[0].quote == str(p.count) for p in record.platforms)


def test_brackets_that_are_not_a_platform_list() -> None:
    record = _read(SCOPE + "Offences under section 15A (Sexual Offences Act) (2003) and code "
                   "71/17 (grooming) were searched.")
    assert record.platforms == []


@pytest.mark.parametrize(("text", "attached"), [
    (SCOPE + "Please find attached the spreadsheet with the figures.", True),
    (SCOPE + "I am able to disclose the located information to you as attached.", True),
    (SCOPE + "A cyber flag was attached to 12 of the crimes.", False),
    (SCOPE + "Please find enclosed our response. In 2023, 14 offences were recorded.", False),
    (SCOPE + "Outside the Act we enclose what was retrieved (attachment: data.pdf).", True),
    (SCOPE + "If you use the enclosed data, please take care.", False),
    ("Request:\nPlease send your response in an Excel spreadsheet.\nResponse:\n"
     "In 2023, 14 offences were recorded.", False),
])
def test_data_in_attachment(text: str, attached: bool) -> None:
    assert _read(text).data_in_attachment is attached


@pytest.mark.parametrize(("text", "want"), [
    ("In 2023 no offences were recorded.", [(*Y2023, 0)]),
    ("There were no offences recorded in 2023.", [(*Y2023, 0)]),
    ("There were 12 offences in 2022 and 14 in 2023.",
     [(date(2022, 1, 1), date(2022, 12, 31), 12), (*Y2023, 14)]),
    ("No victim details were recorded for 2023.", []),
])
def test_nil_in_words_and_elided_nouns(text: str, want: list[tuple[date, date, int]]) -> None:
    assert _offences(text) == want


def _cells(text: str, kind: str) -> list[tuple[str, str, int | None]]:
    return [(c.gender, c.age, c.count) for c in getattr(_read(text), kind)]


@pytest.mark.parametrize(("text", "want"), [
    ("In 2023, of the victims, 12 were female and 3 were male.",
     [("female", "all", 12), ("male", "all", 3)]),
    ("In 2023 the victims were 12 girls and 3 boys.", [("female", "all", 12), ("male", "all", 3)]),
    ("In 2023, of the 15 victims, 5 were aged 12-15 and 10 were aged 16 and over.",
     [("all", "12-15", 5), ("all", "16+", 10)]),
    ("In 2023 4 victims were aged between 10 and 12.", [("all", "10-12", 4)]),
    ("In 2023 the 5 suspects and 3 victims were male.", []),
    ("April 2014 until November 2021 Male stalking victim data over the previous 10 years.", []),
])
def test_victims_broken_down_in_a_sentence(text: str, want: list[tuple[str, str, int]]) -> None:
    assert _cells(text, "victims") == want


def test_platform_clause_label_stops_before_its_verb() -> None:
    record = _read("In 2023, 24 offences involving XBOX were recorded.")
    assert [(p.label, p.platforms, p.count) for p in record.platforms] == [
        ("XBOX", ["Xbox Live"], 24)]


def test_a_count_under_one_code_is_not_split_by_code() -> None:
    text = ("In the period 1 April 2024 to 31 March 2025, 52 offences were recorded under Home "
            "Office code 71/17.")
    assert [(o.code, o.count) for o in _read(text).offences] == [(None, 52)]
    text = ("In 2023, 12 offences were recorded under code 88/1 and 3 offences were recorded "
            "under code 88/2.")
    assert [(o.code, o.count) for o in _read(text).offences] == [("88/1", 12), ("88/2", 3)]
