"""What a table label means: an age band, a gender, a period, a platform, a code, an outcome."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Literal

from extract.periods import label_period, parse_date
from schemas import Period
from schemas.vocab import canonical_code, canonical_outcome, fold, is_known_platform

Axis = Literal["period", "gender", "age", "platform", "code", "outcome", "total", "other"]

_FOOT = "*^†‡#§¶¹²³⁴⁵⁶⁷⁸⁹"
_NUM = r"(\d{1,2})"
_AGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:aged?\s+)?{_NUM}\s*(?:-|–|to)\s*{_NUM}(?:\s*(?:years?|yrs?))?(?:\s*old)?$"),
     "{0}-{1}"),
    (re.compile(rf"^(?:aged?\s+)?{_NUM}\s*(?:and|&|or)\s*(?:under|below|younger)$"), "0-{0}"),
    (re.compile(rf"^(?:under|below|younger than|less than|<)\s*{_NUM}(?:\s*(?:years?|yrs?))?$"),
     "0-{0}m"),
    (re.compile(rf"^(?:aged?\s+)?{_NUM}\s*(?:and|&|or)\s*(?:over|above|older)$"), "{0}+"),
    (re.compile(rf"^(?:aged?\s+)?{_NUM}\s*\+(?:\s*(?:years?|yrs?))?$"), "{0}+"),
    (re.compile(rf"^(?:over|above|older than|more than|>)\s*{_NUM}(?:\s*(?:years?|yrs?))?$"),
     "{0}p"),
    (re.compile(rf"^(?:aged?\s+)?{_NUM}(?:\s*(?:years?|yrs?)(?:\s*old)?)?$"), "{0}-{0}"),
]
_UNKNOWN_AGE = re.compile(
    r"^(?:age\s+)?(?:unknown|not\s+(?:recorded|known|stated|given)|n/?k|no\s+age(?:\s+recorded)?|"
    r"unknown\s+age|age\s+not\s+(?:recorded|known)|not\s+recorded/unknown|blank|unrecorded)"
    r"(?:\s+age)?$")
_GENDERS = {
    "female": ("female", "females", "f", "girl", "girls", "woman", "women"),
    "male": ("male", "males", "m", "boy", "boys", "man", "men"),
    "unknown": ("unknown", "not known", "not recorded", "unrecorded", "not stated", "n/k",
                "unspecified", "not specified", "gender unknown", "unknown gender",
                "sex unknown", "no gender recorded"),
    "other": ("other", "non-binary", "non binary", "nonbinary", "indeterminate", "transgender",
              "other/unknown"),
}
_GENDER_OF = {alias: g for g, aliases in _GENDERS.items() for alias in aliases}
_CODE_LABEL = re.compile(r"^\s*(0?\d{1,3}[A-Z]?/0?\d{1,2}|0?\d{2}[A-Z])\b(?![/.]\d)")
_TOTAL = re.compile(r"^(grand\s+)?totals?\b|^sum\b|^all\b|^overall\b", re.IGNORECASE)


def clean(label: str) -> str:
    """A label without footnote marks, bold stars, trailing colons and extra spaces."""
    return " ".join(label.strip().strip(_FOOT).strip().rstrip(":").split())


def age_band(label: str) -> str | None:
    """The contract's age grammar for a label (`11 and under` -> `0-11`), or None."""
    text = clean(label).lower().replace("yrs", "years")
    text = re.sub(r"^(victim|suspect|offender)s?\s+", "", text)
    if _UNKNOWN_AGE.match(text):
        return "unknown"
    for pattern, form in _AGE_PATTERNS:
        m = pattern.match(text)
        if m:
            return _format_age(form, [int(g) for g in m.groups()])
    return None


def _format_age(form: str, nums: list[int]) -> str | None:
    if form == "0-{0}m":  # "under 10" excludes 10
        return f"0-{nums[0] - 1}" if nums[0] > 0 else None
    if form == "{0}p":  # "over 16" excludes 16
        return f"{nums[0] + 1}+"
    band = form.format(*nums)
    if "-" in band:
        lo, hi = (int(x) for x in band.split("-"))
        if hi < lo or hi > 120:
            return None
    return band


_GENDER_WORDS = re.compile(r"^(?:victims?|suspects?|offenders?)\s+|\b(?:gender|sex)\b|"
                           r"\s+(?:victims?|suspects?|offenders?)$")


def gender(label: str) -> str | None:
    """female / male / unknown / other for a gender label (`Gender not recorded`,
    `Female victims`), or None."""
    text = clean(label).lower()
    found = _GENDER_OF.get(text)
    if found is None:
        bare = " ".join(_GENDER_WORDS.sub(" ", text).split())
        found = _GENDER_OF.get(bare) if bare and bare != text else None
    return found


def offence_code(label: str) -> str | None:
    """The Home Office code a row label starts with (`88/1 - MEETING...` -> `88/1`)."""
    m = _CODE_LABEL.match(label)
    return normalise_code(m.group(1)) if m else None


def normalise_code(raw: str) -> str | None:
    """`071/17` -> `71/17`; `7117` -> `71/17`; `088/01` -> `88/1`; `88a` -> `88A`."""
    return canonical_code(raw)


# Outcome labels in the words forces use, tried in order after the vocabulary's exact
# aliases and OC numbers: the first pattern found in the folded label decides. Order matters
# where labels share words ("victim does not support" with or without a suspect identified).
_OUTCOME_WORDS: list[tuple[str, str]] = [
    (r"\bnot? (?:yet )?(?:charged|cautioned)\b|\bno charge", "other"),
    (r"\bcharge|\bsummons|\brequisition", "charged"),
    (r"\bcaution", "caution"),
    (r"\bcommunity resolution|\brestorative", "community_resolution"),
    (r"\bpenalty notice|\bpnd\b", "penalty_notice"),
    (r"\b(?:cannabis|khat) warning", "cannabis_warning"),
    (r"\btaken into consideration|\btic\b", "taken_into_consideration"),
    (r"\b(?:victim|witness)\b.*\b(?:died|dead|deceased|too ill|unavailable)",
     "victim_or_witness_unavailable"),
    (r"\b(?:offender|suspect)\b.*\b(?:died|dead|deceased)|\b(?:offender|suspect) has died",
     "offender_died"),
    (r"\bcriminal responsibility|\b(?:suspect|offender)\b.*\bunder ?age|\bbelow age",
     "suspect_under_age"),
    (r"\b(?:suspect|offender)\b.*\btoo ill", "suspect_too_ill"),
    (r"\bfurther investigation\b.*\bpublic interest",
     "further_investigation_not_in_public_interest"),
    (r"\bformal action\b.*\bpublic interest|\bpolice\b.*\bpublic interest",
     "formal_action_not_in_public_interest"),
    (r"\bpublic interest", "not_in_public_interest"),
    (r"\b(?:declines?|does not support|not support|unable to support|withdraws?|withdrawn)\b.*"
     r"\b(?:identify|not identified|unidentified)", "victim_declines_suspect_not_identified"),
    (r"\b(?:declines?|does not support|not support|unable to support|withdraws?|withdrawn|"
     r"withdrew)\b", "victim_declines_suspect_identified"),
    (r"\bevidential difficult", "evidential_difficulties"),
    (r"\btime limit", "time_limit_expired"),
    (r"\bno suspect|\bsuspect not identified|\bundetected|\bunsolved",
     "no_suspect_identified"),
    (r"\banother (?:body|agency)|\bother (?:body|agency)|\bother agencies",
     "other_agency"),
    (r"\bdiversion|\beducational|\bintervention activity", "diversionary_activity"),
    (r"\bunder investigation|\bongoing|\bpending|\bawaiting|\bnot (?:yet )?finali[sz]ed|"
     r"\bno outcome|\bstill open|\bopen investigation|\bnot (?:yet )?assigned|\bunassigned|"
     r"\byet to be (?:assigned|decided|determined|finali[sz]ed)", "under_investigation"),
    (r"\bno further action|\bnfa\b|^no action$", "no_further_action"),
    (r"\bfiled\b", "filed"),
    (r"\barrest", "arrested"),
]
_OUTCOME_RES = [(re.compile(p), name) for p, name in _OUTCOME_WORDS]
_OC_NUMBER = re.compile(r"\b(?:oc|outcome|outcome type)\s*(\d{1,2})[a-z]?\b")


def outcome(label: str) -> str | None:
    """The outcome type a label names (`Charge/summons`, `OC15 ...`, `Outcome 15`, `NFA`,
    `Evidential difficulties - victim does not support`), or None."""
    text = clean(label)
    exact = canonical_outcome(text)
    if exact:
        return exact
    folded = fold(text)
    m = _OC_NUMBER.search(folded)
    if m:
        by_number = canonical_outcome(f"oc{m.group(1)}")
        if by_number:
            return by_number
    if len(folded.split()) > 14:  # a sentence, not a label
        return None
    return next((name for rx, name in _OUTCOME_RES if rx.search(folded)), None)


_SUBTOTAL = re.compile(r"^(?:sub-?\s?)?totals?\b|\b(?:sub-?\s?)?totals?$", re.IGNORECASE)


def is_subtotal(label: str) -> bool:
    """A label that opens or ends with `total` (`Total 2022`, `2020/21 total`, `Sub-total`):
    a total of its group of rows or of the whole table."""
    return bool(_SUBTOTAL.search(clean(label)))


def is_total(label: str) -> bool:
    """`Total`, `Grand Total`, `Sum:`, `All`, `2020/21 total`."""
    return bool(_TOTAL.match(clean(label))) or is_subtotal(label)


def classify(label: str, footnotes: dict[str, date] | None = None) -> Axis:
    """Which kind of value a header label is."""
    # Tables vote on every label of every row and column, and the same labels ("Female",
    # "2023", "Total") recur across tables and replies: each is classified once (a long
    # cell is not kept in the cache).
    notes = tuple(footnotes.items()) if footnotes else ()
    if len(label) > _CACHED_LABEL_CHARS:
        return _classify.__wrapped__(label, notes)
    return _classify(label, notes)


_CACHED_LABEL_CHARS = 200


@lru_cache(maxsize=16384)
def _classify(label: str, notes: tuple[tuple[str, date], ...]) -> Axis:
    """classify, with the footnotes as a hashable tuple (empty for none)."""
    footnotes = dict(notes) or None
    text = clean(label)
    if not text:
        return "other"
    if is_total(text):
        return "total"
    if period_of(label, footnotes) is not None:
        return "period"
    if gender(text):
        return "gender"
    if age_band(text):
        return "age"
    if offence_code(text):
        return "code"
    if outcome(text):
        return "outcome"
    if is_known_platform(text):
        return "platform"
    return "other"


_OTHER_MARK = re.compile(r"^\s*(.*?\d)\s*([§¶¹²³⁴⁵⁶⁷⁸⁹]+|\(\w\)|\[\w\])\s*$")
_DAY_MONTH = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?"
_DAY_SPAN = re.compile(rf"^\s*(?P<a>{_DAY_MONTH})\s*(?:-|–|to)\s*"
                       rf"(?P<b>{_DAY_MONTH},?\s+(?:19|20)\d{{2}})"
                       r"\s*[*^†‡#§¶¹²³⁴⁵⁶⁷⁸⁹]*\s*$", re.IGNORECASE)
_SHORT_DATE = r"[0-3]?\d[./][01]?\d[./]\d{2}"
_SHORT_DATES = re.compile(rf"^\s*({_SHORT_DATE})\s*(?:-|–|to)\s*({_SHORT_DATE})\s*$")


def _short_date(text: str) -> date | None:
    d, m, y = (int(x) for x in re.split(r"[./]", text))
    try:
        return date(2000 + y, m, d)
    except ValueError:
        return None


_FIRST_OF_MONTH = re.compile(r"^\s*0?1[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\s*$")


def period_of(label: str, footnotes: dict[str, date] | None = None) -> Period | None:
    """The period of a label (see extract.periods.label_period); a row of a monthly table
    labelled by the month's first day (`01/07/2021`) is that month."""
    m = _FIRST_OF_MONTH.match(label)
    if m and 1 <= int(m.group(1)) <= 12:
        month, yr = int(m.group(1)), int(m.group(2))
        last = calendar.monthrange(yr, month)[1]
        return Period(start=date(yr, month, 1), end=date(yr, month, last))
    short = _SHORT_DATES.match(label)
    if short:  # "01.01.20 - 01.01.21": day-first dates with two-digit years
        a, b = (_short_date(short.group(i)) for i in (1, 2))
        if a and b and a <= b:
            return Period(start=a, end=b)
    span = _DAY_SPAN.match(label)
    if span:  # "1 Jan-31 Dec 2014": the first date takes the second's year
        end = parse_date(span.group("b"))
        start = parse_date(f"{span.group('a')} {end.year}") if end else None
        if start and end and start > end:
            start = start.replace(year=start.year - 1)
        if start and end:
            return Period(start=start, end=end)
    marked = _OTHER_MARK.match(label)
    if marked:  # a mark label_period does not know ("2015¹", "2015§")
        base = label_period(marked.group(1))
        end = (footnotes or {}).get(marked.group(2))
        if base is not None and end is not None and base.start <= end <= base.end:
            return Period(start=base.start, end=end)
        return base
    return label_period(label, footnotes) or quarter_of_year(label)


# --- periods inside a stated period: quarters and months of a year or financial year -------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_SPAN = re.compile(rf"\b({_MONTH_WORD})\s*(?:-|–|to)\s*({_MONTH_WORD})(?![a-z])",
                         re.IGNORECASE)
_QUARTER = re.compile(r"^(?:q|qtr\.?|quarter)\s*([1-4])\b|^([1-4])(?:st|nd|rd|th)\s+quarter\b",
                      re.IGNORECASE)
_ONE_MONTH = re.compile(rf"^({_MONTH_WORD})$", re.IGNORECASE)


def _month_no(word: str) -> int | None:
    """1-12 for a month name or its abbreviation (`Sept`, `June`), else None."""
    n = _MONTHS.get(word.lower().rstrip(".")[:3])
    full = calendar.month_name[n].lower() if n else ""
    w = word.lower().rstrip(".")
    return n if n and full.startswith(w) else None


def _months_of(outer: Period) -> list[tuple[int, int]]:
    """(year, month) of every month the outer period touches, in order."""
    out, y, m = [], outer.start.year, outer.start.month
    while (y, m) <= (outer.end.year, outer.end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_run(outer: Period, first: int, count: int) -> Period | None:
    """``count`` months from the first month numbered ``first`` inside ``outer``, cut to
    its ends; None when that month is not inside it."""
    months = _months_of(outer)
    at = next((i for i, (_, m) in enumerate(months) if m == first), None)
    if at is None:
        return None
    (y1, m1), (y2, m2) = months[at], months[min(at + count, len(months)) - 1]
    start = max(date(y1, m1, 1), outer.start)
    end = min(date(y2, m2, calendar.monthrange(y2, m2)[1]), outer.end)
    return Period(start=start, end=end) if start <= end else None


def period_within(label: str, outer: Period | None) -> Period | None:
    """The period a quarter or month label names inside a stated year or financial year
    (`Q1 (Apr-Jun)` of 2020/21 -> April-June 2020; `Quarter 3` of 2021 -> July-September;
    `January` of 2020/21 -> January 2021), or None. Only inside a period of a year or less:
    `January` of a three-year span could be any of three."""
    if outer is None or (outer.end - outer.start).days > 366:
        return None
    text = clean(label)
    span = _MONTH_SPAN.search(text)
    if span:
        a, b = _month_no(span.group(1)), _month_no(span.group(2))
        if a and b:
            return _month_run(outer, a, (b - a) % 12 + 1)
    q = _QUARTER.match(text)
    if q and outer.start.day == 1:  # quarters count from the first month of the year
        months = _months_of(outer)
        first = 3 * (int(q.group(1) or q.group(2)) - 1)
        return _month_run(outer, months[first][1], 3) if first < len(months) else None
    one = _ONE_MONTH.match(text)
    n = _month_no(one.group(1)) if one else None
    return _month_run(outer, n, 1) if n else None


_YEAR_PART = r"(?:19|20)\d{2}(?:\s*[/-]\s*(?:\d{2}|(?:19|20)\d{2}))?|\d{2}\s*/\s*\d{2}"
_WITH_YEAR = re.compile(rf"^(?P<rest>.+?)[\s,]+(?P<y>{_YEAR_PART})$|"
                        rf"^(?P<y2>{_YEAR_PART})\s+(?P<rest2>.+)$")
_SPAN_SHORT_YEAR = re.compile(
    rf"^(?P<rest>{_MONTH_WORD}\s*(?:-|–|to)\s*{_MONTH_WORD})\s+(?P<y>\d{{2}})$", re.IGNORECASE)


def _year_part(text: str) -> Period | None:
    """The year a quarter label names: `2023` (calendar), `2023/24` or `22/23` (financial)."""
    text = " ".join(text.split())
    if re.fullmatch(r"(?:19|20)\d{2}", text):
        return label_period(text)
    short = re.fullmatch(r"(\d{2})\s*/\s*(\d{2})", text)
    if short:
        a, b = int(short.group(1)), int(short.group(2))
        if b != (a + 1) % 100:
            return None
        text = f"{2000 + a if a < 70 else 1900 + a}/{short.group(2)}"
    return label_period(text)


def quarter_of_year(label: str) -> Period | None:
    """A quarter or a run of months that writes its own year: `Q1 2023` (January-March),
    `Q1 2023/24` and `Q3 22/23` (quarters of the financial year), `Apr-Jun 2023`,
    `Jul-Sep 23`, `2023 Q4`; None for anything else."""
    text = clean(label)
    m = _SPAN_SHORT_YEAR.match(text)
    if m:
        rest, outer = m.group("rest"), label_period(f"20{m.group('y')}")
    else:
        m = _WITH_YEAR.match(text)
        if not m:
            return None
        rest, y = (m.group("rest"), m.group("y")) if m.group("rest") else \
            (m.group("rest2"), m.group("y2"))
        outer = _year_part(y)
    if outer is None or not (_QUARTER.match(rest) or _MONTH_SPAN.fullmatch(rest)):
        return None
    found = period_within(rest, outer)
    span = _MONTH_SPAN.search(rest)
    first, last = (_month_no(span.group(1)), _month_no(span.group(2))) if span else (1, 3)
    want = (last - first) % 12 + 1 if first and last else 0
    # a run of months the year cuts short (`Nov-Jan 2021`) is not inside that year
    return found if found is not None and len(_months_of(found)) == want else None


def mentions(text: str, *words: str) -> bool:
    """Whether the folded text contains any of the words (whole-word, folded)."""
    folded = f" {fold(text)} "
    return any(f" {fold(w)} " in folded for w in words)
