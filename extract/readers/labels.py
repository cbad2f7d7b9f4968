"""What a table label means: an age band, a gender, a period, a platform, a code, an outcome."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from extract.periods import label_period
from schemas import Period
from schemas.vocab import canonical_outcome, fold, is_known_platform

Axis = Literal["period", "gender", "age", "platform", "code", "outcome", "total", "other"]

_FOOT = "*^†‡#"
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
_CODE_LABEL = re.compile(r"^\s*(0?\d{1,3}[A-Z]?/0?\d{1,2}|0?\d{2}[A-Z])\b")
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


def gender(label: str) -> str | None:
    """female / male / unknown / other for a gender label, or None."""
    text = clean(label).lower()
    return _GENDER_OF.get(text)


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


def is_total(label: str) -> bool:
    """`Total`, `Grand Total`, `Sum:`, `All`."""
    return bool(_TOTAL.match(clean(label)))


def classify(label: str, footnotes: dict[str, date] | None = None) -> Axis:
    """Which kind of value a header label is."""
    text = clean(label)
    if not text:
        return "other"
    if is_total(text):
        return "total"
    if label_period(label, footnotes) is not None:
        return "period"
    if gender(text):
        return "gender"
    if age_band(text):
        return "age"
    if offence_code(text):
        return "code"
    if canonical_outcome(text):
        return "outcome"
    if is_known_platform(text):
        return "platform"
    return "other"


def period_of(label: str, footnotes: dict[str, date] | None = None) -> Period | None:
    """The period of a label (see extract.periods.label_period)."""
    return label_period(label, footnotes)


def mentions(text: str, *words: str) -> bool:
    """Whether the folded text contains any of the words (whole-word, folded)."""
    folded = f" {fold(text)} "
    return any(f" {fold(w)} " in folded for w in words)
