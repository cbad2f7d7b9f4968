"""The periods a reply states, to give a count its period when its own sentence names none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.document import Document
from extract.periods import Found, find_financial_years, find_ranges, label_period
from schemas import Period


def scope_periods(doc: Document) -> list[Found]:
    """Every explicit range and financial year in the text, in order."""
    found = find_ranges(doc.text) + find_financial_years(doc.text)
    inside = [f for f in found if not any(g is not f and g.start <= f.start and f.end <= g.end
                                          and (g.end - g.start) > (f.end - f.start)
                                          for g in found)]
    return sorted(inside, key=lambda f: f.start)


@dataclass
class Scope:
    """The periods a reply states, to give a count its period when it names none itself."""

    ranges: list[Found]
    years: list[Found]

    def at(self, pos: int) -> Period | None:
        """The period in force at a character offset."""
        return period_at(self.ranges, pos, self.years)


def scope(doc: Document) -> Scope:
    """Ranges, financial years and calendar years named in the reply."""
    return Scope(scope_periods(doc), year_mentions(doc))


def period_at(periods: list[Found], pos: int, years: list[Found] | None = None) -> Period | None:
    """The range last stated before pos; failing that, the first range in the reply; failing
    that, a year named in prose (`in calendar year 2015`), the last before pos or the first."""
    for candidates in (periods, years or []):
        before = [f for f in candidates if f.end <= pos]
        if before:
            return before[-1].period
        if candidates:
            return candidates[0].period
    return None


def year_mentions(doc: Document) -> list[Found]:
    """Single calendar years named in prose: `in 2015`, `during calendar year 2020`."""
    out = []
    for m in _IN_YEAR.finditer(doc.text):
        p = label_period(m.group(1) + (m.group("cut") or ""))
        if p:
            out.append(Found(m.start(1), m.end(), p))
    return out


_IN_YEAR = re.compile(r"\b(?:in|during|for|throughout)\s+(?:the\s+)?(?:calendar\s+)?(?:year\s+)?"
                      r"((?:19|20)\d{2})\b(?!\s*[/-]\s*\d)"
                      r"(?P<cut>\s*\((?:up\s+)?(?:to|until)\s+[^)]{3,30}\))?", re.IGNORECASE)


_CUT_LABEL = re.compile(r"((?:FY\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?\s*"
                        r"\((?:up\s+)?(?:to|until)\s+[^)]{3,30}\))", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _mentions(text: str) -> tuple[Found, ...]:
    """Every period a sentence names, with its offsets in the sentence: cut-short labels,
    ranges, financial years and `in 2021`; a mention inside a longer one is dropped.

    Cached: a sentence with several counts is asked once per count."""
    found = [Found(m.start(1), m.end(1), p) for m in _CUT_LABEL.finditer(text)
             if (p := label_period(m.group(1)))]
    found += find_ranges(text) + find_financial_years(text)
    found += [Found(m.start(1), m.end(), p) for m in _IN_YEAR.finditer(text)
              if (p := label_period(m.group(1) + (m.group("cut") or "")))]
    return tuple(f for f in found if not any(g is not f and g.start <= f.start and f.end <= g.end
                                             and (g.end - g.start) > (f.end - f.start)
                                             for g in found))


def period_near(text: str, pos: int) -> Period | None:
    """The period a sentence gives the number at pos: its only period; else one named right
    after the number (`14 offences in 2023`); else the nearest one named before it (`In 2022
    there were 9 ... and in 2023, 14`); else the nearest after it."""
    found = _mentions(text)
    if len({(f.period.start, f.period.end) for f in found}) == 1:
        return found[0].period
    after = sorted((f for f in found if f.start >= pos), key=lambda f: f.start)
    if after and after[0].start - pos <= 15:
        return after[0].period  # right after the number: "14 offences in 2023"
    before = [f for f in found if f.end <= pos]
    if before:
        return max(before, key=lambda f: f.end).period
    return after[0].period if after else None
