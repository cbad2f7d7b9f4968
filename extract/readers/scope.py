"""The periods a reply states, to give a count its period when its own sentence names none."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from extract.document import Document
from extract.periods import (
    Found,
    all_ranges,
    find_financial_years,
    footnote_ends,
    label_period,
    parse_date,
)
from schemas import Period


def scope_periods(doc: Document) -> list[Found]:
    """Every explicit range and financial year in the text, in order."""
    found = all_ranges(doc.text) + find_financial_years(doc.text)
    inside = [f for f in found if not any(g is not f and g.start <= f.start and f.end <= g.end
                                          and (g.end - g.start) > (f.end - f.start)
                                          for g in found)]
    return sorted(inside, key=lambda f: f.start)


@dataclass
class Scope:
    """The periods a reply states, to give a count its period when it names none itself."""

    ranges: list[Found]
    years: list[Found]
    footnotes: dict[str, date] = field(default_factory=dict)  # marks that end a year early

    def at(self, pos: int) -> Period | None:
        """The period in force at a character offset."""
        return period_at(self.ranges, pos, self.years)


def scope(doc: Document) -> Scope:
    """Ranges, financial years and calendar years named in the reply."""
    return Scope(scope_periods(doc), year_mentions(doc), footnote_ends(doc.text))


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
    """Calendar years named in prose: `in 2015`, `during calendar year 2020`, and a list of
    consecutive years (`for the years 2018, 2019, 2020 and 2021 through to end of August`),
    which names their union."""
    out = year_lists(doc.text)
    footnotes = footnote_ends(doc.text)
    for m in _IN_YEAR.finditer(doc.text):
        p = _year_in(m, footnotes)
        if p and not any(f.start <= m.start(1) < f.end for f in out):
            out.append(Found(m.start(1), m.end(), p))
    return sorted(out, key=lambda f: f.start)


_Y = r"(?:19|20)\d\d"
# Two or more years joined by commas and a final `and` (`2018, 2019, 2020, and 2021`), perhaps
# cut short (`through to end of August`, `(to 16 July)`, `up to 31 August`).
_YEAR_LIST = re.compile(
    rf"(?<![\d/.-])(?<!\d ){_Y}(?:\s*,\s*{_Y})*\s*,?\s*(?:and|&)\s+{_Y}(?![\d/-]| \d{{3}})"
    r"(?P<cut>\s*\(?\s*(?:(?:through|up)\s+)?(?:to|until)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?P<end>(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec)[a-z]*)\b\)?)?", re.IGNORECASE)


def year_lists(text: str) -> list[Found]:
    """Lists of consecutive calendar years, each as the period from the first year's start to
    the last year's end (or the cut-off the list gives for its last year). Years that skip
    one (`2016, 2018 and 2020`) are no single period and give none."""
    out = []
    for m in _YEAR_LIST.finditer(text):
        years = [int(y) for y in re.findall(_Y, m.group(0))]
        if years != list(range(years[0], years[0] + len(years))):
            continue
        last = label_period(str(years[-1]))
        end = _month_end(m.group("end"), years[-1]) if m.group("end") else None
        if last is None or (m.group("end") and end is None):
            continue
        out.append(Found(m.start(), m.end(), Period(start=date(years[0], 1, 1),
                                                    end=end or last.end)))
    return out


def _month_end(text: str, year_: int) -> date | None:
    """`August` -> the last day of August in year_; `16 July` -> that day."""
    m = re.match(r"(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<m>[A-Za-z]+)", text.strip())
    first = parse_date(f"{m.group('d') or 1} {m.group('m')} {year_}") if m else None
    if m is None or first is None:
        return None
    return first if m.group("d") else date(year_, first.month,
                                            calendar.monthrange(year_, first.month)[1])


_IN_YEAR = re.compile(r"\b(?:in|during|for|throughout)\s+(?:the\s+)?(?:calendar\s+)?(?:year\s+)?"
                      r"((?:19|20)\d{2})(?P<mark>[¹²³]|[*†‡^]+)?(?!\w)(?!\s*[/-]\s*\d)"
                      r"(?P<cut>\s*\((?:up\s+)?(?:to|until)\s+[^)]{3,30}\)|"
                      # unbracketed: `in 2024 up to 30 September`
                      r"\s+(?:up\s+)?(?:to|until)\s+\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\b)?",
                      re.IGNORECASE)


_CUT_LABEL = re.compile(r"((?:FY\s*)?(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?\s*"
                        r"\((?:up\s+)?(?:to|until)\s+[^)]{3,30}\))", re.IGNORECASE)

# The same cut written without brackets: `2024 up to 30 September`, `2023 to 31 March`.
_CUT_WORDS = re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d{2})\s+(?:\(?\s*)?(?:up\s+to|to|until)\s+"
                        r"(?:the\s+)?(?P<d>\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|"
                        r"jul|aug|sep|oct|nov|dec)[a-z]*)\b(?!\s+(?:19|20)\d\d)", re.IGNORECASE)


def _year_in(m: re.Match[str], footnotes: dict[str, date] | None) -> Period | None:
    """The period of an `in 2015` mention: the year, cut short by its parenthesis (`in 2015
    (to 16 July)`) or by the footnote its mark points to (`in 2015¹`, `¹ Figures to 16 July
    2015`)."""
    cut = (m.group("cut") or "").strip()
    if cut and not cut.startswith("("):
        cut = f" ({cut})"  # the unbracketed cut as label_period reads it
    p = label_period(m.group(1) + (" " + cut.strip() if cut else ""))
    end = (footnotes or {}).get(m.group("mark") or "")
    if p is not None and end is not None and p.start <= end <= p.end:
        return Period(start=p.start, end=end)
    return p


def _mentions(text: str, footnotes: dict[str, date] | None = None) -> list[Found]:
    """Every period a sentence names, with its offsets in the sentence: cut-short labels,
    ranges, financial years and `in 2021`; a mention inside a longer one is dropped."""
    found = [Found(m.start(1), m.end(1), p) for m in _CUT_LABEL.finditer(text)
             if (p := label_period(m.group(1)))]
    found += [Found(m.start(), m.end(), p) for m in _CUT_WORDS.finditer(text)
              if (p := label_period(f"{m.group('y')} (to {m.group('d')})"))]
    found += all_ranges(text) + find_financial_years(text) + prose_ranges(text)
    found += [Found(m.start(1), m.end(), p) for m in _IN_YEAR.finditer(text)
              if (p := _year_in(m, footnotes))]
    return [f for f in found if not any(g is not f and g.start <= f.start and f.end <= g.end
                                        and (g.end - g.start) > (f.end - f.start) for g in found)]


_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# `FY22/23`, `FY 22-23`.
_FY_SHORT = re.compile(r"\bFY\s?(\d\d)\s?[/-]\s?(\d\d)\b", re.IGNORECASE)
# `the year ending 31 March 2023`, `the 12 months to 31 March 2023`.
_YEAR_TO = re.compile(r"\b(?:(?:financial\s+)?year|12\s+months|twelve\s+months)\s+(?:ending|ended|"
                      r"to|up\s+to)\s+(?:the\s+)?(?P<d>\d{1,2}(?:st|nd|rd|th)?\s+" + _MON +
                      r"\.?,?\s+(?:19|20)\d\d)", re.IGNORECASE)
# `from January to June 2023`: two months, the year written once.
_MONTHS = re.compile(rf"\b(?P<a>{_MON})\.?\s+(?:to|until|-|–)\s+(?P<b>{_MON})\.?,?\s+"
                     r"(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
# `01.04.22 to 31.03.23`: day, month and a two-digit year.
_SHORT_DATES = re.compile(r"(?<![\d./])(?P<a>\d{1,2}[./]\d{1,2}[./]\d\d)\s*(?:to|until|-|–)\s*"
                          r"(?P<b>\d{1,2}[./]\d{1,2}[./]\d\d)(?![\d/]|\.\d)", re.IGNORECASE)


def prose_ranges(text: str) -> list[Found]:
    """Periods prose writes in short forms the table readers do not need: `FY22/23`, `the
    year ending 31 March 2023`, `from January to June 2023`, `01.04.22 to 31.03.23`."""
    out = []
    for pattern, read in ((_FY_SHORT, _fy_short), (_YEAR_TO, _year_to), (_MONTHS, _months),
                          (_SHORT_DATES, _short_range)):
        for m in pattern.finditer(text):
            p = read(m)
            if p is not None:
                out.append(Found(m.start(), m.end(), p))
    return out


def _fy_short(m: re.Match[str]) -> Period | None:
    """`FY22/23` -> 1 April 2022 .. 31 March 2023."""
    a, b = int(m.group(1)), int(m.group(2))
    if (a + 1) % 100 != b:
        return None
    return Period(start=date(2000 + a, 4, 1), end=date(2001 + a, 3, 31))


def _year_to(m: re.Match[str]) -> Period | None:
    """`the year ending 31 March 2023` -> 1 April 2022 .. 31 March 2023."""
    end = parse_date(m.group("d"))
    if end is None:
        return None
    try:
        start = date(end.year - 1, end.month, end.day) + timedelta(days=1)
    except ValueError:  # 29 February
        start = date(end.year - 1, end.month, end.day - 1) + timedelta(days=2)
    return Period(start=start, end=end)


def _months(m: re.Match[str]) -> Period | None:
    """`January to June 2023`; `November to February 2023` starts the year before."""
    y = int(m.group("y"))
    first, last = parse_date(f"1 {m.group('a')} {y}"), parse_date(f"1 {m.group('b')} {y}")
    if first is None or last is None:
        return None
    start = first if first <= last else date(y - 1, first.month, 1)
    return Period(start=start, end=date(y, last.month, calendar.monthrange(y, last.month)[1]))


def _short_range(m: re.Match[str]) -> Period | None:
    """`01.04.22 to 31.03.23`."""
    first, last = _short_date(m.group("a")), _short_date(m.group("b"))
    if first is None or last is None or first > last:
        return None
    return Period(start=first, end=last)


def _short_date(text: str) -> date | None:
    """`31.03.23` -> 2023-03-31 (day first; a two-digit year is this century)."""
    d, mo, y = (int(x) for x in re.split(r"[./]", text))
    try:
        return date(2000 + y, mo, d)
    except ValueError:
        return None


def period_near(text: str, pos: int, footnotes: dict[str, date] | None = None
                ) -> Period | None:
    """The period a sentence gives the number at pos: its only period; else one named right
    after the number (`14 offences in 2023`); else the nearest one named before it (`In 2022
    there were 9 ... and in 2023, 14`); else the nearest after it. `footnotes` maps marks
    that end a year early (`2015¹`) to their last day."""
    found = _mentions(text, footnotes)
    if len({(f.period.start, f.period.end) for f in found}) == 1:
        return found[0].period
    after = sorted((f for f in found if f.start >= pos), key=lambda f: f.start)
    # A bracketed aside between the number and its period (`23 offences (Home Office code
    # 71/17) in 2022`) does not part them; a comma, `;` or `and` does (the next clause's).
    between = re.sub(r"\([^()]{0,80}\)", "", text[pos:after[0].start]) if after else ""
    if after and len(between) <= 15 and not re.search(r"[,;]|\band\b", between):
        return after[0].period  # right after the number: "14 offences in 2023"
    before = [f for f in found if f.end <= pos]
    if before:
        return max(before, key=lambda f: f.end).period
    if len({(f.period.start, f.period.end) for f in after}) > 1 and \
            re.search(r"[:;(]|\bof\s+which\b", between):
        # "A total of 92 offences were recorded: 40 in 2021/22 and 52 in 2022/23": a total
        # split by the periods that follow covers them all.
        return Period(start=min(f.period.start for f in after),
                      end=max(f.period.end for f in after))
    return after[0].period if after else None
