"""Offence codes per contract Decision 1: stated by the answer, in any spelling."""

from __future__ import annotations

import pytest

from extract.document import Document
from extract.readers.codes import offence_codes


def _codes(text: str) -> list[str]:
    return [c for c, _ in offence_codes(Document("t", text))]


@pytest.mark.parametrize(("text", "codes"), [
    ("A count of offence 7117 recorded under the Home Office Offence class 88A.", ["71/17", "88A"]),
    ("Number of crimes recorded with a HO code of 088/05", ["88/5"]),
    ("Offences recorded under HO code 07117.", ["71/17"]),
    ("Crimes under Home Office codes 086/02 and 196/07 were counted.", ["86/2", "196/7"]),
    ("These are recorded under classification 88/1, 88/2 or 88A.", ["88/1", "88/2", "88A"]),
    ("Offences where the home office classification has been recorded as 008/71.", ["8/71"]),
    ("Crimes Year Home Office Code 2012 2013 2014 08/65 4 36 44 195/12 11 83 79",
     ["8/65", "195/12"]),
])
def test_codes_in_any_spelling(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes


@pytest.mark.parametrize("text", [
    "Request:\nOffences under Home Office code 71/17 please.\nResponse:\nWe hold no data.",
    "Your force may record this under classification code 125/09.",
    "For example, a table as follows:\nYear Company Crime\n2019 Facebook Code 4/7",
    "Offences under section 15A of the Sexual Offences Act 2003 in 2019.",
    "The offence code field was searched in 2021.",
    "Home Office code 2019 changes were made on 01/04/2019.",
])
def test_not_a_code_the_answer_states(text: str) -> None:
    assert _codes(text) == []


def test_codes_in_a_column_headed_code() -> None:
    from extract.tables import find_tables

    doc = Document("t", "Offences by code:\nHO code\tOffence\t2013\t2014\n"
                        "88/1\tMeeting a female\t11\t4\n88/2\tMeeting a male\t1\t2\n")
    doc.tables = find_tables(doc)
    assert [c for c, _ in offence_codes(doc)] == ["88/1", "88/2"]
