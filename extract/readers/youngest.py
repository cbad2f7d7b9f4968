"""The youngest victim as the reply states it (an age, a band, a gender), or withheld."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document import Document
from extract.readers.sentences import NUM, Span, doc_sentences, is_request, to_int


@dataclass
class Youngest:
    """The youngest victim's age band and gender, or withheld, with the sentence read."""

    age_min: int | None
    age_max: int | None
    gender: str | None
    withheld: bool
    span: Span


_AGED = r"(?:aged?\s+|was\s+|is\s+|:\s*)?"
# (pattern, how its numbers make a band): a range, "under N" (0..N-1), "N or under" (0..N),
# a single age.
_YV_AGE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b{_AGED}(?:between\s+)?{NUM}\s*(?:and|to|-|–)\s*{NUM}(?!\s*(?:%|/))",
                re.IGNORECASE), "range"),
    (re.compile(rf"\b{_AGED}(?:under|below|younger\s+than|less\s+than)\s+{NUM}\b",
                re.IGNORECASE), "under"),
    (re.compile(rf"\b{_AGED}{NUM}\s*(?:years?\s+(?:old\s+)?)?(?:or|and)\s+(?:under|below|"
                rf"younger)\b", re.IGNORECASE), "or_under"),
    (re.compile(rf"\baged?\s+{NUM}\b", re.IGNORECASE), "single"),
    (re.compile(rf"\b{NUM}[\s-]+years?[\s-]+old\b", re.IGNORECASE), "single"),
    (re.compile(rf"\b{NUM}\s*(?:yrs?|years?)\b", re.IGNORECASE), "single"),
    # `was 8.`, `Youngest victim: 12 (female)`, or the figure alone on the line under a
    # `Age of youngest victim` heading.
    (re.compile(rf"(?:\bwas|\bis|:|,|\bvictim[ \t]*\n)\s*{NUM}\s*(?:[.,;(]|$)",
                re.IGNORECASE), "single"),
]


def _band(kind: str, nums: list[int]) -> tuple[int, int] | None:
    """The (min, max) age a matched form states."""
    if kind == "range":
        return (nums[0], nums[-1]) if nums[0] <= nums[-1] else None
    if kind == "under":
        return (0, nums[0] - 1) if nums[0] > 0 else None
    if kind == "or_under":
        return 0, nums[0]
    return nums[0], nums[0]


_YV_GENDER = [("female", r"\b(female|girl|woman)\b"), ("male", r"\b(male|boy|man)\b")]
_REFUSED = re.compile(r"\b(exempt|withheld|withhold|not (be(en)? )?(disclosed|released|provided|"
                      r"given)|refus\w*|(?:unable|not able) to (?:provide|disclose|tell|give|share|"
                      r"release|confirm)|(?:cannot|can't|will not|won't) (?:be )?(?:provided?|"
                      r"disclosed?|told|tell|given|give|shared?|released?)|not (therefore )?"
                      r"available)\b", re.IGNORECASE)


def youngest_victim(doc: Document) -> Youngest | None:
    """The youngest victim as the reply states it, or withheld when it refuses to say."""
    for s in doc_sentences(doc):
        if not re.search(r"\byoungest\b", s.text, re.IGNORECASE) or is_request(s.text):
            continue
        found = _youngest_in(s)
        if found:
            return found
    return _youngest_withheld(doc)


def _youngest_in(s: Span) -> Youngest | None:
    """The youngest victim stated in one sentence, or withheld when the sentence refuses."""
    hit = re.search(r"\byoungest\b", s.text, re.IGNORECASE)
    text = s.text[hit.start():] if hit else s.text
    for pattern, kind in _YV_AGE:
        m = pattern.search(text)
        nums = [n for g in (m.groups() if m else ()) if g and (n := to_int(g)) is not None]
        band = _band(kind, nums) if nums else None
        if band:
            gender = next((g for g, p in _YV_GENDER if re.search(p, text, re.IGNORECASE)), None)
            return Youngest(band[0], band[1], gender, False, Span(s.start, s.end, s.text))
    if _REFUSED.search(s.text):
        return Youngest(None, None, None, True, Span(s.start, s.end, s.text))
    return None


def _youngest_withheld(doc: Document) -> Youngest | None:
    """`Any further breakdown of data for Q3 ... exempt` where question 3 asked for the youngest."""
    numbers = {m.group(1) for m in re.finditer(
        r"(?m)^\W*(?:q(?:uestion)?\s*)?(\d{1,2})[a-z]?[.):]?\s[^\n]*\byoungest\b", doc.text,
        re.IGNORECASE)}
    spans = list(doc_sentences(doc))
    for i, s in enumerate(spans):
        window = " ".join(x.text for x in spans[i:i + 2])
        for q in numbers:
            if re.search(rf"\b(Q|question\s*){q}\b", s.text, re.IGNORECASE) and \
                    _REFUSED.search(window):
                return Youngest(None, None, None, True, Span(s.start, s.end, s.text))
    return None

