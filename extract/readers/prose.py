"""Counts written as prose clauses: `13 male victims aged 0-9`, `24 offences involving XBOX`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extract.document import Document
from extract.readers.grids import Value, read_value
from extract.readers.labels import age_band, normalise_code
from extract.readers.phrases import Span, doc_sentences
from schemas.vocab import canonical_outcome

_NUM = (r"(?P<n>\d[\d,]*|nil|no|none|zero|\*+|fewer than (?:five|5|ten|10)|less than (?:five|5)|"
        r"under (?:five|5)|"
        r"<\s*\d+|1\s*-\s*4)")
_LEAD = r"^\s*(?:and\s+)?(?:there\s+(?:were|was|have\s+been)\s+)?"
_PLATFORM = re.compile(
    _LEAD + _NUM + r"\s+(?:recorded\s+)?(?:offences?|crimes?|cases?|incidents?)\s+"
    r"(?:involving|involved|via|using|through|on|where\s+\w+\s+was\s+used|over)\s+"
    r"(?:the\s+)?(?P<label>[^;:.\n]{1,50}?)\s*\.?\s*$", re.IGNORECASE)
_CELL = re.compile(
    _LEAD + _NUM + r"\s+(?:(?P<g>female|male|girls?|boys?|gender[- ]unknown|unknown[- ]gender|"
    r"of unknown gender)\s+)?(?P<who>victims?|suspects?|offenders?|perpetrators?)"
    r"(?:\s+(?:of\s+unknown\s+gender|whose\s+gender\s+(?:is|was)\s+unknown))?"
    r"\s+(?:(?:(?:were|who\s+were)\s+)?aged\s+(?P<age>[^;:,\n]{1,30}?)|"
    r"(?P<unk>of\s+unknown\s+age|(?:whose\s+)?age\s+(?:was\s+|is\s+)?(?:not\s+recorded|unknown)))"
    r"\s*\.?$", re.IGNORECASE)
_OUTCOME = re.compile(
    _LEAD + _NUM + r"\s+(?:recorded\s+)?(?:offences?|crimes?|cases?)\s+(?:with|had|have|has|"
    r"resulted\s+in|resulting\s+in|received|ended\s+in)\s+(?:the\s+|an?\s+)?"
    r"(?:outcome|result|disposal)(?:\s+(?:of|type))?\s*[:\-]?\s*['\"‘“]?(?P<label>[^'\"’”;\n]{2,60}?)"
    r"['\"’”]?\s*\.?$", re.IGNORECASE)
_CODED = re.compile(
    _LEAD + _NUM + r"\s+(?:offences?|crimes?)\s+(?:were\s+|was\s+)?(?:recorded\s+)?under\s+"
    r"(?:home\s+office\s+|HO\s+)?(?:crime\s+|offence\s+)?(?:code|classification)\s+"
    r"(?P<code>0?\d{1,3}/0?\d{1,2}|\d{4}|0?\d{2}[A-Z])\b[^;]*?\.?$", re.IGNORECASE)
_GENDER = {"female": "female", "girl": "female", "girls": "female", "male": "male",
           "boy": "male", "boys": "male"}


@dataclass
class ProseItem:
    """One count read from a clause."""

    kind: str  # platforms, victims, suspects, outcomes, offences
    value: Value
    number: Span
    clause: Span
    label: str = ""
    gender: str = "all"
    age: str = "all"
    sentence: Span | None = None
    outcome: str | None = None
    code: str | None = None


def clauses(s: Span) -> Iterator[Span]:
    """Clauses of a sentence, split at semicolons."""
    pos = 0
    for part in re.split(r"(;)", s.text):
        if part != ";":
            yield Span(s.start + pos, s.start + pos + len(part), part)
        pos += len(part)


def _value(raw: str) -> Value | None:
    if raw.lower() == "no":
        return Value(0)
    return read_value(raw)


def _platform(c: Span, m: re.Match[str]) -> ProseItem | None:
    v = _value(m.group("n"))
    if v is None or v.blank:
        return None
    return ProseItem("platforms", v, _number(c, m), c, label=m.group("label").strip())


def _number(c: Span, m: re.Match[str]) -> Span:
    return Span(c.start + m.start("n"), c.start + m.end("n"), m.group("n"))


def _outcome(c: Span, m: re.Match[str]) -> ProseItem | None:
    v = _value(m.group("n"))
    outcome = canonical_outcome(m.group("label"))
    if v is None or v.blank or outcome is None:
        return None
    return ProseItem("outcomes", v, _number(c, m), c, outcome=outcome)


def _coded(c: Span, m: re.Match[str]) -> ProseItem | None:
    v = _value(m.group("n"))
    code = normalise_code(m.group("code"))
    if v is None or v.blank or code is None:
        return None
    return ProseItem("offences", v, _number(c, m), c, code=code)


def _cell(c: Span, m: re.Match[str]) -> ProseItem | None:
    v = _value(m.group("n"))
    age = "unknown" if m.group("unk") else age_band(m.group("age"))
    if v is None or v.blank or age is None:
        return None
    raw_g = (m.group("g") or "").lower()
    gender = _GENDER.get(raw_g, "unknown" if raw_g or "unknown gender" in c.text.lower()
                         else "all")
    kind = "victims" if m.group("who").lower().startswith("victim") else "suspects"
    return ProseItem(kind, v, _number(c, m), c, gender=gender, age=age)


_READERS = ((_OUTCOME, _outcome), (_CODED, _coded), (_PLATFORM, _platform), (_CELL, _cell))
_HEADING = re.compile(r"^\s*(?:(?:table|question|q\d|answer|response|part)\b[^\n]{0,60}|"
                      r"[^\n.;]{1,60}:)\s*\n", re.IGNORECASE)


def _without_heading(c: Span) -> Span:
    """A clause without the heading lines above it (`Table 2: Age of victim`)."""
    text = c.text
    while (m := _HEADING.match(text)) is not None:
        text = text[m.end():]
    return Span(c.end - len(text), c.end, text)


def prose_items(doc: Document) -> list[ProseItem]:
    """Every platform count and victim/suspect cell stated in prose clauses."""
    out: list[ProseItem] = []
    for s in doc_sentences(doc):
        if any(t.start <= s.start < t.end for t in doc.tables):
            continue
        for c in map(_without_heading, clauses(s)):
            text = re.sub(r"^[^;]{0,160}?\bthere\s+(?:were|was|have\s+been|had\s+been)\s+(?=\S)",
                          "", c.text, flags=re.IGNORECASE)
            shift = len(c.text) - len(text)
            clause = Span(c.start + shift, c.end, text)
            item = None
            for pattern, make in _READERS:
                m = pattern.match(text)
                if m and (item := make(clause, m)):
                    break
            if item:
                item.sentence = s
                out.append(item)
    return out
