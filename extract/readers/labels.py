"""What a table label means: an age band, a gender, a period, a platform, a code, an outcome."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import Literal

from extract.periods import label_period, parse_date
from schemas import Period
from schemas.vocab import canonical_outcome, fold, is_known_platform

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
    raw = raw.strip().upper()
    m = re.fullmatch(r"0*(\d{1,3})/0*(\d{1,2})", raw)
    if m:
        return f"{int(m.group(1))}/{int(m.group(2))}"
    m = re.fullmatch(r"0*(\d{2,3}[A-Z])", raw)
    if m:
        return m.group(1)
    m = re.fullmatch(r"0*(\d{2})(\d{2})", raw)
    if m:
        return f"{int(m.group(1))}/{int(m.group(2))}"
    return None


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
     r"\bno outcome|\bstill open|\bopen investigation", "under_investigation"),
    (r"\bno further action|\bnfa\b", "no_further_action"),
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


def is_total(label: str) -> bool:
    """`Total`, `Grand Total`, `Sum:`, `All`."""
    return bool(_TOTAL.match(clean(label)))


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
    return label_period(label, footnotes)


def mentions(text: str, *words: str) -> bool:
    """Whether the folded text contains any of the words (whole-word, folded)."""
    folded = f" {fold(text)} "
    return any(f" {fold(w)} " in folded for w in words)
