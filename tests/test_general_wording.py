"""Rules keyed to meaning, not to the seed replies' wording: rewordings read the same."""

from __future__ import annotations

from datetime import date

import pytest

from extract.document import Document
from extract.normalise import find_boilerplate
from extract.periods import find_ranges, footnote_ends
from extract.readers.youngest import youngest_victim
from extract.tables import find_tables


@pytest.mark.parametrize("note", [
    "*to 16 July 2015", "* data up to 16/07/2015", "^ Figures for 2015 run to 16 July 2015",
    "* 2015 is a part year, to 16th July 2015", "†Period covered ends 16 July 2015",
])
def test_footnotes_that_cut_a_year_short(note: str) -> None:
    assert list(footnote_ends(note).values()) == [date(2015, 7, 16)]


@pytest.mark.parametrize("note", [
    "*Please note, one case was included in the wrong band.",
    "* Some offences involved more than one platform.",
])
def test_footnotes_that_do_not_cut_a_period(note: str) -> None:
    assert footnote_ends(note) == {}


@pytest.mark.parametrize("text", [
    "from (and including) July 1st 2020 to (and including) March 31st 2021",
    "from July 1st 2020 to March 31st 2021 inclusive",
    "between 1 July 2020 (inclusive) and 31 March 2021 (inclusive)",
    "from 1 July 2020 up to and including 31 March 2021",
])
def test_inclusive_ranges_in_any_words(text: str) -> None:
    (found,) = find_ranges(text)
    assert (found.period.start, found.period.end) == (date(2020, 7, 1), date(2021, 3, 31))


@pytest.mark.parametrize(("text", "band"), [
    ("The youngest victim was a male aged between 5 and ten years old.", (5, 10, "male")),
    ("The youngest victim was a male aged 5 to 10.", (5, 10, "male")),
    ("The youngest victim was a female aged 10 or under; the exact age is withheld.",
     (0, 10, "female")),
    ("The youngest victim was a girl aged under 10.", (0, 9, "female")),
    ("The youngest victim was a 12 year old boy.", (12, 12, "male")),
    ("Youngest victim: female, 11", (11, 11, "female")),
])
def test_youngest_victim_forms(text: str, band: tuple[int, int, str]) -> None:
    y = youngest_victim(Document("t", text))
    assert y is not None and (y.age_min, y.age_max, y.gender) == band and not y.withheld


def test_youngest_withheld_in_other_words() -> None:
    text = ("Question 3\nWe are unable to tell you the age and gender of the youngest victim. "
            "With numbers this small it could identify someone.")
    y = youngest_victim(Document("t", text))
    assert y is not None and y.withheld


def test_youngest_withheld_under_a_numbered_question() -> None:
    text = ("Q3. Please tell me the age of the youngest victim.\n\n"
            "Q3 - this information is exempt under section 40(2).")
    y = youngest_victim(Document("t", text))
    assert y is not None and y.withheld


def test_keyword_list_with_counts_in_brackets() -> None:
    from extract.readers.rules import read_rules

    doc = Document("t", "Period: 1 January 2023 to 31 December 2023.\n\nKeywords searched:\n"
                        "WhatsApp (2)\nFacebook (7 offences)\nTwitter (0)\n")
    doc.tables = find_tables(doc)
    got = [(p.label, p.platforms, p.count) for p in read_rules(doc).platforms]
    assert got == [("WhatsApp", ["WhatsApp"], 2), ("Facebook", ["Facebook"], 7),
                   ("Twitter", ["X (Twitter)"], 0)]


def test_site_chrome_in_other_wording() -> None:
    text = ("Exit this page quickly\nSkip to main content\nWe use cookies to improve our site.\n"
            "Sorry - something went wrong, there was an error.\n"
            "This service is in beta: your feedback will help us.\n"
            "In 2023, 14 offences were recorded.\n")
    spans = find_boilerplate(text, [])
    assert len(spans) == 5
    assert "14 offences" not in "".join(text[a:b] for a, b in spans)
