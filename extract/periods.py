"""Dates and periods as replies write them: ranges in prose, years and financial years in headers.

Dates are parsed by python-dateutil (day first, as UK replies write them); this module only
finds where they are and decides which end of a month or year a bare month/year means.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from dateutil import parser as dateparser

from schemas import Period

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
DATE_PATTERN = (
    rf"(?:{_DAY}[\s-]{{1,3}}{_MONTH}\.?,?[\s-]{{1,3}}{_YEAR}"  # 1st April 2024, 01-JUL-2020
    rf"|{_MONTH}\.?\s{_DAY},?\s{_YEAR}"  # July 1st 2020
    rf"|[0-3]?\d[/.][01]?\d[/.]{_YEAR}"  # 01/04/2018
    rf"|{_YEAR}-[01]\d-[0-3]\d"  # 2018-04-01
    rf"|{_MONTH}\.?,?\s{_YEAR})"  # April 2018 (a month)
)
DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
_FY_RE = re.compile(
    r"\b(?:FY\s*|financial\s+year\s*|fiscal\s+year\s*)?((?:19|20)\d{2})\s*[/-]\s*(\d{2}|(?:19|20)\d{2})\b",
    re.IGNORECASE)
# Words that make a range inclusive, wherever a reply puts them: "(and including)", "(inclusive)",
# "inclusive of", "including".
_INCL = r"(?:\((?:and\s+)?inclu\w*\)|inclusive(?:\s+of)?|(?:and\s+)?including)"
_JOIN = rf"\s*(?:{_INCL}\s*)?"
# A range starts at its first date (the words before it, "between", "from", do not change it).
_RANGE_RE = re.compile(
    rf"(?P<a>{DATE_PATTERN})"
    rf"{_JOIN}(?:and|(?:up\s+)?to|until|till|through|-|–){_JOIN}"
    rf"(?P<b>{DATE_PATTERN})",
    re.IGNORECASE,
)
# The same with the year written once, at the end: `1 January to 31 December 2023`.
_YEARLESS_START_RE = re.compile(
    rf"(?<![\w/])(?P<a>{_DAY}\s+{_MONTH})\.?"
    rf"{_JOIN}(?:and|(?:up\s+)?to|until|till|through|-|–){_JOIN}"
    rf"(?P<b>{DATE_PATTERN})",
    re.IGNORECASE,
)
_YEARS = re.compile(_YEAR)
# Every date of DATE_PATTERN holds a year, at most this many characters after its start
# (`30th - September., - 2024`: day 4, separators 3, month 9, dot 1, comma 1, separators 3).
_YEAR_REACH = 21
_MONTH_ONLY_RE = re.compile(rf"^{_MONTH}\.?,? {_YEAR}$", re.IGNORECASE)
# A footnote that ends a period early: a mark, then a few words of any kind ("data", "figures
# for 2015 run", "this year is"), then "to" / "up to" / "until" / "as at" and a date.
_FOOTNOTE_TO_RE = re.compile(
    rf"^[ \t]*(?P<mark>[*^†‡#¹²³]+)[ \t]*(?:[^\n]{{0,80}}?[ \t])?"
    rf"(?:up[ \t]+to|to|until|till|as[ \t]+at|as[ \t]+of|ends?|ending|ended)[ \t]+"
    rf"(?:{_INCL}[ \t]+)?(?:(?:the[ \t]+)?date[ \t]+)?(?P<date>{DATE_PATTERN})",
    re.IGNORECASE | re.MULTILINE)


# A bare month ("April 2018") parses to its first day.
_FIRST_OF_MONTH = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Found:
    """A period found in text, with its span."""

    start: int
    end: int
    period: Period


# The same few dates recur in every table and sentence of a reply, and dateutil is slow.
@lru_cache(maxsize=8192)
def parse_date(text: str, end_of_month: bool = False) -> date | None:
    """A date from text; a bare month is its first day (or last, with end_of_month)."""
    clean = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.IGNORECASE)
    try:
        d = dateparser.parse(clean, dayfirst=True, default=_FIRST_OF_MONTH)
    except (ValueError, OverflowError):
        return None
    if d is None:
        return None
    if _MONTH_ONLY_RE.match(text.strip()) and end_of_month:
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return d.date()



def year(y: int) -> Period:
    """Calendar year y."""
    return Period(start=date(y, 1, 1), end=date(y, 12, 31))


def financial_year(y: int) -> Period:
    """Financial year starting 1 April of y."""
    return Period(start=date(y, 4, 1), end=date(y + 1, 3, 31))


def find_ranges(text: str, offset: int = 0) -> list[Found]:
    """Explicit date ranges in prose (`between 1st April 2024 and 31st March 2025`)."""
    out: list[Found] = []
    years = len(_YEARS.findall(text))
    # Each date of a full range holds a year: most labels and sentences name fewer than two,
    # and the range pattern is slow to try at every character.
    if years >= 2:
        for m in near_years(_RANGE_RE, text):
            a = parse_date(m.group("a"))
            b = parse_date(m.group("b"), end_of_month=True)
            if a and b and a <= b:
                out.append(Found(offset + m.start("a"), offset + m.end("b"),
                                 Period(start=a, end=b)))
    if not years:  # `1 January to 31 December 2023` writes its year once
        return out
    for m in _YEARLESS_START_RE.finditer(text):
        b = parse_date(m.group("b"), end_of_month=True)
        a = parse_date(f"{m.group('a')} {b.year}") if b else None
        if a and b and a > b:  # `1 December to 31 January 2024`: the start is the year before
            a = parse_date(f"{m.group('a')} {b.year - 1}")
        taken = any(f.start <= offset + m.start("a") < f.end for f in out)
        if a and b and a <= b and not taken:
            out.append(Found(offset + m.start("a"), offset + m.end("b"), Period(start=a, end=b)))
    return sorted(out, key=lambda f: f.start)


def all_ranges(text: str, offset: int = 0) -> list[Found]:
    """find_ranges, and the ranges whose first date takes its year from the second
    (find_open_ranges) where no full range stands."""
    out = find_ranges(text, offset)
    full = [(f.start, f.end) for f in out]
    out += [f for f in find_open_ranges(text, offset)
            if not any(a < f.end and f.start < b for a, b in full)]
    return sorted(out, key=lambda f: f.start)


# A range whose first date takes its year from the second (`1 January to 31 December 2023`,
# `April - June 2023`, `1 April to 31 March 2024`).
_OPEN_START_RE = re.compile(
    rf"(?<![\w/])(?P<a>(?:{_DAY}[\s-]{{1,3}})?{_MONTH})\.?{_JOIN}(?:to|until|till|through|-|–)"
    rf"{_JOIN}(?P<b>{DATE_PATTERN})", re.IGNORECASE)


def find_open_ranges(text: str, offset: int = 0) -> list[Found]:
    """Ranges whose first date leaves its year to the second: the year before when the first
    date would otherwise fall after the second (a financial year)."""
    out: list[Found] = []
    if not _YEARS.search(text):
        return out
    for m in _OPEN_START_RE.finditer(text):
        b = parse_date(m.group("b"), end_of_month=True)
        a = parse_date(f"{m.group('a')} {b.year}") if b else None
        if a and b and a > b:
            a = parse_date(f"{m.group('a')} {b.year - 1}")
        if a and b and a < b:
            out.append(Found(offset + m.start("a"), offset + m.end("b"), Period(start=a, end=b)))
    return out


def near_years(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)`` for a pattern whose every match starts with a
    date of DATE_PATTERN (no anchors or look-behinds before it), trying it only where a match
    can start: up to _YEAR_REACH characters before a year.

    The regex engine has no fast scan for such a pattern (it opens with case-insensitive
    alternatives) and would try it at every character of the text.
    """
    pos = 0
    while (y := _YEARS.search(text, pos)) is not None:
        for start in range(max(pos, y.start() - _YEAR_REACH), y.start() + 1):
            m = pattern.match(text, start)
            if m is not None:
                yield m
                pos = m.end()  # dates are never empty, so finditer resumes here too
                break
        else:
            pos = y.start() + 1  # every start up to this year has been tried


def find_financial_years(text: str, offset: int = 0) -> list[Found]:
    """Financial years written `2024/25`, `FY 2021-22`, `2020/2021`."""
    out = []
    for m in _FY_RE.finditer(text):
        y1, y2 = int(m.group(1)), m.group(2)
        y2n = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
        if y2n == y1 + 1:
            out.append(Found(offset + m.start(), offset + m.end(), financial_year(y1)))
    return out


def footnote_ends(text: str) -> dict[str, date]:
    """Footnote marks that cut a period short: `*to 16 July 2015` -> {'*': 2015-07-16}."""
    out: dict[str, date] = {}
    for m in _FOOTNOTE_TO_RE.finditer(text):
        d = parse_date(m.group("date"))
        if d:
            out.setdefault(m.group("mark"), d)
    return out


_CUT_SHORT = re.compile(r"^(?P<base>.*?)\s*\((?:up\s+)?(?:to|until|as at|as of)\s+"
                        r"(?:and\s+including\s+)?(?P<end>[^)]*)\)$", re.IGNORECASE)


def _cut(p: Period | None, end: date | None) -> Period | None:
    """The period p ended early at end, when end falls inside it."""
    if p is not None and end is not None and p.start <= end <= p.end:
        return Period(start=p.start, end=end)
    return p


def _end_within(text: str, p: Period) -> date | None:
    """A date written without a year (`31 July`) placed inside the period it shortens."""
    if re.search(_YEAR, text):
        return parse_date(text)
    for y in (p.start.year, p.end.year):
        d = parse_date(f"{text} {y}")
        if d and p.start <= d <= p.end:
            return d
    return None


def label_period(label: str, footnotes: dict[str, date] | None = None) -> Period | None:
    """The period a table header or row label names: a year, a financial year, a month, a range.

    A footnote mark (`2015*`) or a parenthesis (`2020 (to 10 March)`) ends it early.
    """
    # An item number before the year (`1. 2008` opening a numbered answer) is not the label.
    text = re.sub(r"^\d{1,2}[.)]\s+(?=(?:19|20)\d\d\b)", "", label.strip())
    core = text.rstrip("*^†‡# ")
    mark = text[len(core):].strip()
    short = _CUT_SHORT.match(core)
    if short:
        base = label_period(short.group("base"), footnotes)
        end = short.group("end").strip()
        return _cut(base, _end_within(end, base)) if base and end.lower() != "date" else base
    footnote_end = (footnotes or {}).get(mark) if mark else None
    if re.fullmatch(_YEAR, core):
        return _cut(year(int(core)), footnote_end)
    for finder in (find_financial_years, find_ranges):
        found = finder(core)
        if found and found[0].start == 0 and found[0].end >= len(core) - 1:
            return _cut(found[0].period, footnote_end)
    return _month_label(core)


_MONTH_LABEL = re.compile(
    rf"^(?P<m>{_MONTH})\.?[\s/-]*(?P<y>(?:19|20)?\d{{2}})$|^(?P<y2>(?:19|20)\d{{2}})[-/](?P<n2>[01]\d)$|"
    rf"^(?P<n>[01]?\d)/(?P<y3>(?:19|20)\d{{2}})$", re.IGNORECASE)


def _month_label(text: str) -> Period | None:
    """A month as tables head it: `April 2019`, `Apr-19`, `Apr-2019`, `2019-04`, `04/2019`."""
    m = _MONTH_LABEL.match(text.strip())
    if not m:
        return None
    if m.group("m"):
        y = m.group("y")
        first = parse_date(f"1 {m.group('m')} {y if len(y) == 4 else '20' + y}")
        month, year_ = (first.month, first.year) if first else (0, 0)
    else:
        month = int(m.group("n2") or m.group("n"))
        year_ = int(m.group("y2") or m.group("y3"))
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year_, month)[1]
    return Period(start=date(year_, month, 1), end=date(year_, month, last))


def union(periods: list[Period]) -> Period | None:
    """The smallest period covering all of them."""
    if not periods:
        return None
    return Period(start=min(p.start for p in periods), end=max(p.end for p in periods))
