"""Counts stated in sentences, not tables.

Two readers: standalone counts (`The total number of crimes recorded in 2023 was 14`, `In 2023,
14 offences were recorded`, `there were eight`, a `Nil` answer) and qualified clauses
(`13 male victims aged 0-9`, `24 offences involving XBOX`). A year, an age, a code, a reference,
a date or a section number is never a count; a count's evidence is its own number token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extract.document import Document
from extract.periods import label_period
from extract.readers.grids import Value, read_value
from extract.readers.labels import age_band, normalise_code
from extract.readers.platform_prose import paired_platforms
from extract.readers.sentences import (
    HOME_OFFICE,
    NUMBER_WORD,
    Span,
    doc_sentences,
    in_regions,
    in_table,
    is_request,
    request_regions,
    to_int,
)
from schemas import Period
from schemas.vocab import (
    canonical_outcome,
    canonical_platforms,
    is_known_platform,
    named_platforms,
)

_NUM = (r"(?P<n>\d[\d,]*|nil|no|none|zero|\*+|fewer than (?:five|5|ten|10)|less than (?:five|5)|"
        r"under (?:five|5)|"
        r"<\s*\d+|1\s*-\s*4)")
_LEAD = r"^\s*(?:and\s+)?(?:there\s+(?:were|was|have\s+been)\s+)?"
_PLATFORM = re.compile(
    _LEAD + _NUM + r"\s+(?P<noun>(?:recorded\s+)?(?:offences?|crimes?|cases?|incidents?)\s+)?"
    # `12 offences were committed via`, `12 offences took place on`
    r"(?P<verb>(?:were|was)\s+(?:committed|recorded|reported|carried\s+out|made)\s+|"
    r"took\s+place\s+)?"
    r"(?:involving|involved|via|using|used|through|on|where\s+\w+\s+was\s+used|over)\s+"
    r"(?:the\s+)?(?P<label>[^;:.\n]{1,50}?)(?:\s+(?:were|was|have\s+been|has\s+been)\s+"
    r"(?:recorded|reported|identified|found))?\s*\.?\s*$", re.IGNORECASE)
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
    rf"(?:{HOME_OFFICE}\s+)?(?:crime\s+|offence\s+)?(?:code|classification)\s+"
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


_CLAUSE_BREAK = re.compile(
    r"(;|,?\s+and\s+(?=\d+\s+(?:(?:\w+\s+){0,2}(?:offences?|crimes?|cases?|victims?|suspects?|"
    r"offenders?)|involved|used|on|via|through|using)\b))", re.IGNORECASE)


def clauses(s: Span) -> Iterator[Span]:
    """Clauses of a sentence, split at semicolons and at `and` before another count
    (`12 offences under code 88/1 and 3 offences under code 88/2`)."""
    pos = 0
    for i, part in enumerate(_CLAUSE_BREAK.split(s.text)):
        if i % 2 == 0:
            yield Span(s.start + pos, s.start + pos + len(part), part)
        pos += len(part)


def _value(raw: str) -> Value | None:
    """A clause's number as a cell value; a bare `no` is 0."""
    if raw.lower() == "no":
        return Value(0)
    return read_value(raw)


def _platform(c: Span, m: re.Match[str]) -> ProseItem | None:
    """A platform count from `N offences involving LABEL`."""
    v = _value(m.group("n"))
    label = m.group("label").strip()
    # Without its noun (`Of the 52 offences, 30 involved Snapchat`) only a known platform
    # makes the number a platform count.
    # Without its noun (`Of the 52 offences, 30 involved Snapchat`), or after a verb that may
    # name any place (`recorded on the system`), only a known platform makes a platform count.
    loose = not m.group("noun") or m.group("verb")
    if v is None or v.blank or (loose and not is_known_platform(label)):
        return None
    return ProseItem("platforms", v, _number(c, m), c, label=label)


def _number(c: Span, m: re.Match[str]) -> Span:
    """The span of the matched number inside a clause."""
    return Span(c.start + m.start("n"), c.start + m.end("n"), m.group("n"))


def _outcome(c: Span, m: re.Match[str]) -> ProseItem | None:
    """An outcome count from `N offences with the outcome LABEL`."""
    v = _value(m.group("n"))
    outcome = canonical_outcome(m.group("label"))
    if v is None or v.blank or outcome is None:
        return None
    return ProseItem("outcomes", v, _number(c, m), c, outcome=outcome)


def _coded(c: Span, m: re.Match[str]) -> ProseItem | None:
    """An offence count split by code (`N offences recorded under code X`)."""
    v = _value(m.group("n"))
    code = normalise_code(m.group("code"))
    if v is None or v.blank or code is None:
        return None
    return ProseItem("offences", v, _number(c, m), c, code=code)


def _cell(c: Span, m: re.Match[str]) -> ProseItem | None:
    """A victim or suspect cell from `N [gender] victims aged BAND`."""
    v = _value(m.group("n"))
    age = "unknown" if m.group("unk") else _leading_band(m.group("age"))
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


# One item of a list written inline: `Snapchat (7)`, `WhatsApp (2 offences)`.
_INLINE_ITEM = re.compile(
    r"(?P<n>\d{1,5}|nil|none|\*+|<\s*\d+)(?:\s+(?:offences?|crimes?|cases?|occasions?|times?))?"
    r"\s*\)", re.IGNORECASE)
_LIST_GLUE = re.compile(r",|;|:|\n|\b(?:and|or|were|was|are|is|including|included|namely|"
                        r"being|followed\s+by|then)\b", re.IGNORECASE)


def inline_platforms(s: Span) -> list[ProseItem]:
    """Platform counts listed with bracketed counts, inside a sentence (`the apps were Snapchat
    (7), WhatsApp (2) and Instagram (1)`) or one per line (`WhatsApp (2)` / `Facebook (7)`):
    two or more items, at least one label a known platform."""
    items: list[ProseItem] = []
    pos = 0
    for m in _INLINE_ITEM.finditer(s.text):
        opening = s.text.rfind("(", pos, m.start())
        if opening < 0 or (opening > 0 and s.text[opening - 1].isalnum()):
            continue  # `40(2)`, `s.40(2)`: a subsection, not a count in brackets
        chunk = s.text[pos:opening]
        parts = [p.strip().strip("*•·.-–").strip() for p in _LIST_GLUE.split(chunk)]
        # "Snapchat was the most common platform (12)": the part that names a platform.
        label = _trim_label(next((p for p in reversed(parts) if p and is_known_platform(p)),
                                 parts[-1]))
        value = _value(m.group("n"))
        pos = m.end()
        if label and value is not None and not value.blank and len(label) <= 40:
            start = s.start + m.start("n")
            number = Span(start, s.start + m.end("n"), m.group("n"))
            items.append(ProseItem("platforms", value, number, s, label=label, sentence=s))
    known = any(is_known_platform(i.label) for i in items)
    return items if len(items) >= 2 and known else []


def _trim_label(label: str) -> str:
    """A label without leading words that are no part of the platform it names (`followed by
    Instagram` -> `Instagram`); a label the vocabulary does not know stays as written."""
    named = {n.lower() for n in named_platforms(label)}
    if not named or canonical_platforms(label) != [label] or label.lower() in named:
        return label  # resolved as it stands, or nothing in it is a platform
    words = label.split()
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        names = {n.lower() for n in canonical_platforms(tail)}
        if names <= named:
            return tail  # the vocabulary knows these words, and only these
    return label


def _paired(s: Span) -> list[ProseItem]:
    """Platform counts a sentence pairs with their platforms (see platform_prose)."""
    out = []
    for p in paired_platforms(s):
        value = _value(p.number.text)
        if value is not None and not value.blank:
            out.append(ProseItem("platforms", value, p.number, s, label=p.label, sentence=s))
    return out


_WHO = {"victims": re.compile(r"\bvictims?\b", re.IGNORECASE),
        "suspects": re.compile(r"\b(?:suspects?|offenders?|perpetrators?)\b", re.IGNORECASE)}
_NUMBER = rf"(?P<n>\d{{1,5}}|{NUMBER_WORD})"
# "Of the victims, 12 were female and 3 were male", "5 were aged 12-15", "12 girls and 3 boys".
_BREAKDOWN = re.compile(
    rf"(?<![\w/.-]){_NUMBER}\s+(?:(?:victims?|suspects?|offenders?)\s+)?(?:(?:were|was|are|is)\s+)?"
    r"(?:(?P<g>females?|males?|girls?|boys?)(?=\s*(?:[,;.)]|and\b|$))|"
    r"(?P<unk>of\s+unknown\s+gender|(?:of\s+)?(?:gender|sex)\s+(?:unknown|not\s+(?:known|recorded)))|"
    r"aged\s+(?=(?P<age>[^;:,.\n]{1,40})))", re.IGNORECASE)


def _leading_band(text: str) -> str | None:
    """The longest start of text that is an age band (`16 and over and 3 ...` -> `16+`;
    `between 10 and 12` -> `10-12`)."""
    text = re.sub(r"^\s*between\s+(\d{1,2})\s+(?:and|to)\s+(\d{1,2})\b", r"\1-\2", text,
                  flags=re.IGNORECASE)
    words = text.split()
    for n in range(min(len(words), 6), 0, -1):
        band = age_band(" ".join(words[:n]))
        if band:
            return band
    return None


def breakdown_items(s: Span) -> list[ProseItem]:
    """Victims or suspects broken down in a sentence about one of them: by gender (`12 were
    female`, `3 boys`) or by age (`5 were aged 12-15`)."""
    about = [k for k, rx in _WHO.items() if rx.search(s.text)]
    if len(about) != 1:
        return []
    items = []
    for m in _BREAKDOWN.finditer(s.text):
        if re.fullmatch(r"(?:19|20)\d\d", m.group("n")):
            continue  # a year beside a gender word ("November 2021 Male ...")
        value = _value(m.group("n"))
        raw_g = (m.group("g") or "").lower().rstrip("s")
        age = _leading_band(m.group("age")) if m.group("age") else "all"
        if value is None or value.blank or age is None:
            continue
        number = Span(s.start + m.start("n"), s.start + m.end("n"), m.group("n"))
        gender = "unknown" if m.group("unk") else _GENDER.get(raw_g, "all") if raw_g else "all"
        items.append(ProseItem(about[0], value, number, s, gender=gender, age=age, sentence=s))
    return items


def prose_items(doc: Document) -> list[ProseItem]:
    """Every platform count and victim/suspect cell stated in prose clauses."""
    out: list[ProseItem] = []
    asked = request_regions(doc.text)
    for s in doc_sentences(doc):
        if any(t.start <= s.start < t.end for t in doc.tables) or is_request(s.text) or \
                in_regions(asked, s.start):
            continue
        listed = inline_platforms(s)
        if listed:
            out.extend(listed)
            continue
        read = _clause_items(s)
        paired = _paired(s)
        if len(paired) > sum(i.kind == "platforms" for i in read):
            out.extend(paired)  # more platforms paired with counts than the clauses read
            continue
        # A breakdown (`12 were female`) adds what the clause readers did not take.
        taken = {i.number.start for i in read}
        out.extend(read + [b for b in breakdown_items(s) if b.number.start not in taken])
    return out


def _clause_items(s: Span) -> list[ProseItem]:
    """The counts the clause readers take from one sentence, clause by clause."""
    out: list[ProseItem] = []
    for c in map(_without_heading, clauses(s)):
        text = re.sub(r"^[^;]{0,160}?\bthere\s+(?:were|was|have\s+been|had\s+been)\s+(?=\S)|"
                      rf"^\s*of\s+(?:the|these|those)\s+(?:\d[\d,]*\s+)?(?:\w+\s+){{0,2}}?"
                      rf"(?:{_NOUN})\s*,\s*|"
                      r"^\s*(?:in|during|for|between|from)\s+[^,;\d]{0,30}\d[^,;]{0,40}?,?\s+"
                      rf"(?=\d+\s+(?:\w+\s+){{0,2}}(?:{_NOUN})\b)", "", c.text,
                      flags=re.IGNORECASE)
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


# --- standalone counts ----------------------------------------------------------------------

_WORDS = NUMBER_WORD
_TOKEN = re.compile(rf"(?<![\w/.£$-])(\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORDS}|nil|none)(?![\w/])",
                    re.IGNORECASE)
_NOUN = (r"offences?|crimes?|cases?|incidents?|occurrences?|reports?|rapes?|suspects?|offenders?|"
         r"perpetrators?|victims?|arrests?")
_KIND = {"offence": "offences", "crime": "offences", "case": "offences", "incident": "offences",
         "occurrence": "offences", "report": "offences", "rape": "offences", "suspect": "suspects",
         "offender": "suspects", "perpetrator": "suspects", "victim": "victims",
         "arrest": "arrests"}
# Words that may stand between a number and its noun ("14 recorded sexual offences").
_ADJ = (r"(?:(?:recorded|reported|relevant|such|separate|individual|distinct|crimed|sexual|"
        r"online|further|additional|new|confirmed|female|male|child|known|identified|"
        r"named|unique|different)\s+)")
_NOUN_AFTER = re.compile(rf"\s+{_ADJ}{{0,3}}(?P<noun>{_NOUN})\b", re.IGNORECASE)
# A number whose noun is qualified further is a breakdown (a platform, an age, an outcome,
# a code) that the clause reader takes, not a total.
_QUALIFIED = re.compile(
    r"\s*(?:involving|involved|via|using|used|through|on\s+(?!record)|where|in\s+which|aged|"
    r"who\s+(?:were|was)\s+aged|of\s+(?:unknown|which)|whose|with|had|resulted|resulting|"
    r"received|ended|(?:were\s+|was\s+)?(?:recorded\s+)?under\b(?!\s+(?:the\s+)?(?:HO|home\s+office)"
    r"\s+(?:offence\s+)?(?:code|classification)\s+\S+\s+(?:in|during|for)\s)|per\b|each\b)",
    re.IGNORECASE)
# What a number's left neighbour says it is when it is not a count.
_NOT_COUNT_BEFORE = re.compile(
    r"(?:\b(?:under|over|aged?|below|above|younger\s+than|older\s+than|section|sections|ss?\.?|"
    r"sec\.?|code|codes|class|classification|schedule|article|para(?:graph)?|part|question|"
    r"q|answer|table|ref(?:erence)?|no\.?|act|regulations?|chapter|page|appendix|annex|item|point|"
    r"version|room|floor|level|tier|stage|phase|step|rule|decision|foi|request|year|years|"
    r"since|until|till|before|after|by|of\s+the|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|"
    r"apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?)|\b(?:aged?|between|from)\s+\w+\s+(?:and|to|-)|[£$#]|[A-Za-z]\d*[-/])\s*$",
    re.IGNORECASE)
_NOT_COUNT_AFTER = re.compile(
    r"^(?:\s*(?:years?\b|yrs?\b|year-olds?|-year|\+|%|per\s*cent|percent|hours?|hrs?|"
    r"minutes?|mins?|days?|weeks?|months?|and\s+(?:under|over|above|below|older|younger)|"
    r"or\s+(?:under|over|younger|older|more|fewer|\d)|(?:st|nd|rd|th)\b|(?:-|to|–)\s*\d|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|[.)]\s|[:(]\s*\d|"
    r"\.\d|/))", re.IGNORECASE)
_COPULA = re.compile(
    r"\b(?:is|was|were|are|stands?\s+at|stood\s+at|totals?|totalled|totaled|came\s+to|"
    r"amounts?\s+to|amounted\s+to|equals?|numbered|count(?:ed)?)\s*[:\-–]?\s*$|"
    r"(?:total(?:\s+count|\s+number)?|count|number|figure)\s*(?:of\s+)?[:=\-–]?\s*$|"
    r"\b(?:total|number|count|figure)\b[^.;:]{0,80}(?:[:=–]|\s-)\s*$", re.IGNORECASE)
# A line that labels its figure with the counted noun first: `Suspects linked to the offences
# in answer 1: 43`, `Offences recorded in 2023: 14`.
_LABEL_COLON = re.compile(rf"^\W*(?:(?:the\s+)?(?:number|total)\s+of\s+)?(?P<noun>{_NOUN})\b"
                          r"[^:;.?=]{0,80}[:=]\s*$", re.IGNORECASE)
# A label that narrows its noun to an age or a gender (`Victims aged 13-15: 22`) heads a cell
# of a breakdown, not a total.
_LABEL_QUALIFIED = re.compile(r"\b(?:aged?|under|over|female|male|girls?|boys?|gender)\b|"
                              r"\d+\s*(?:-|–|to)\s*\d+", re.IGNORECASE)
_THERE_WERE = re.compile(r"\bthere\s+(?:were|was|are|is|have\s+been|has\s+been|had\s+been)"
                         r"\s+(?:a\s+total\s+of\s+|only\s+|just\s+)?$", re.IGNORECASE)
_PASSIVE = re.compile(r"^\s*(?:were|was|have\s+been|has\s+been|had\s+been|are|is)\s+"
                      r"(?:currently\s+|now\s+|also\s+|then\s+)?(?:recorded|reported|"
                      r"identified|made|arrested|linked|found|received|investigated|crimed)\b",
                      re.IGNORECASE)
# A verb before the number that states it (`we recorded 14 offences`, `a total of 14 crimes`).
_ACTIVE = re.compile(r"\b(?:recorded|identified|received|found|investigated|had|holds?|held|"
                     r"located|returned|made|arrested|charged|a\s+total\s+of|in\s+total)"
                     r"\s+(?:a\s+total\s+of\s+|only\s+|just\s+)?$", re.IGNORECASE)
_BE = re.compile(r"\b(?:is|was|were|are|been|be)\s+$", re.IGNORECASE)
_NO_VICTIM_DETAILS = re.compile(
    r"\b(?:without|no|missing|lack(?:ing)?|absent|not\s+(?:recorded|known|held|available))\b"
    r"[^.;]{0,40}\bvictims?'?s?\s+(?:details?|information|data|records?)\b|"
    r"\bvictims?'?s?'?\s+(?:details?|information|data)\s+(?:\w+\s+){0,3}?"
    r"(?:missing|not\s+(?:been\s+)?(?:recorded|known|held|available|given)|unknown|absent|"
    r"unavailable)\b",
    re.IGNORECASE)
# A correction: the sentence names an earlier figure it replaces. Numbers before the pivot
# (`should have been`, `the correct figure is`) or after `rather than` are the old ones.
_OLD = re.compile(r"\b(?:previous(?:ly)?|earlier|original(?:ly)?|incorrect(?:ly)?|wrong(?:ly)?|"
                  r"in\s+error|erroneous(?:ly)?|supersede[sd]?|mistaken(?:ly)?)\b", re.IGNORECASE)
_PIVOT = re.compile(
    r"\b(?:should\s+(?:have\s+been|be|read)|(?:correct|revised|amended|updated|right)\s+"
    r"(?:figure|number|total|count)\s+(?:is|was|of)|is\s+now|now\s+(?:reads?|stands\s+at|is)|"
    r"(?:revised|amended|corrected|updated|changed)\s+to|(?:correct|new)\s+figures?\s+(?:is|are))"
    r"\b", re.IGNORECASE)
_RATHER = re.compile(r"\b(?:rather\s+than|instead\s+of|not\s+the)\b", re.IGNORECASE)


def _superseded(text: str, pos: int) -> bool:
    """Whether the number at pos is an earlier figure that this sentence corrects."""
    rather = _RATHER.search(text)
    if rather:
        return pos > rather.end()
    if not _OLD.search(text):
        return False
    pivot = _PIVOT.search(text)
    return pivot is None or pos < pivot.start()


# A note on the data (`Please note, one case ...`) qualifies figures given elsewhere.
_CAVEAT = re.compile(r"^\W*(?:please\s+note|note\b|n\.?b\.?\b|caveat)", re.IGNORECASE)
# "no offences were recorded", "there were no crimes": a nil count in words.
_NONE_RECORDED = re.compile(
    rf"\bthere\s+(?:were|was|have\s+been|has\s+been)\s+(?P<n>no)\s+{_ADJ}{{0,3}}"
    rf"(?P<noun>{_NOUN})\b(?!\s+(?:details|information|data))|"
    rf"\b(?P<n2>no)\s+{_ADJ}{{0,3}}(?P<noun2>{_NOUN})\s+(?:were|was|have\s+been|has\s+been)"
    r"\s+(?:recorded|reported|identified|found)\b", re.IGNORECASE)
# A number whose noun is left out after a first count: "... and 14 in 2023".
_SAME_AGAIN = re.compile(r"\s+(?:in|during|for)\s+(?:the\s+)?(?:(?:19|20)\d\d|financial|"
                         r"calendar|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
                         re.IGNORECASE)
# A bare answer under a question that asks how many: `816`, `Nil`, `None.`
_NIL_ANSWER = re.compile(rf"^\W*(?:answer|response|reply|a\d*)?\s*[:\-–]?\s*"
                         rf"(?P<n>nil|none|zero|{_WORDS}|\d{{1,3}}(?:,\d{{3}})+|\d{{1,6}})"
                         rf"(?:\s+return)?\s*\.?\s*$", re.IGNORECASE)
_ASKED_NOUN = re.compile(rf"\b(?:number|total|how\s+many|count)\b[^.?;]*?\b(?P<noun>{_NOUN})\b",
                         re.IGNORECASE)


@dataclass
class StandaloneCount:
    """A count stated on its own in a sentence: what it counts, its number, where it stands."""

    kind: str  # offences, suspects, victims, arrests, no_victim_details
    count: int
    span: Span  # the number token
    sentence: Span
    gender: str = "all"
    asked: tuple[str, ...] = ()  # a bare answer's question: the words before its noun, the noun
    period: Period | None = None  # the period written beside the count (`2020 - 114`)


def _kind(noun: str) -> str:
    """What a counted noun counts: offences, suspects, victims or arrests."""
    word = noun.lower().rstrip("s")
    return _KIND.get(word, "offences")


def _is_number_of_something_else(s: Span, m: re.Match[str]) -> bool:
    """A year, an age, a code, a section, a date or a reference: never a count."""
    before, after = s.text[:m.start()], s.text[m.end():]
    raw = m.group(1)
    if re.fullmatch(r"(?:19|20)\d\d", raw) and not _NOUN_AFTER.match(after):
        return True
    if re.search(r"\d", raw) and len(raw.replace(",", "")) > 6:
        return True  # a reference or a phone number, not a count of crimes
    if re.match(r"[ \t]+\d", after) and not re.fullmatch(r"(?:19|20)\d\d", raw):
        return True  # one figure of a run ("Total 18 82 599"): a table row flattened to text
    return bool(_NOT_COUNT_BEFORE.search(before[-40:]) or _NOT_COUNT_AFTER.match(after))


def _noun_before(text: str) -> str | None:
    """The counted noun of `number of X ...` / `total ... X` / `X - Total Count` before a
    number: the first countable noun after the last `number`/`total`, else the first in the
    text."""
    asked = list(_ASKED_NOUN.finditer(text))
    if asked:
        return asked[-1].group("noun")
    first = re.search(rf"\b(?P<noun>{_NOUN})\b", text, re.IGNORECASE)
    return first.group("noun") if first else None


def _count_at(s: Span, m: re.Match[str], context: str) -> tuple[str, str] | None:
    """(kind, gender) when the number at m is a standalone count in sentence s."""
    before, after = s.text[:m.start()], s.text[m.end():]
    people = _PEOPLE_AS.match(after)
    if people:  # "30 individuals were identified as suspects"
        return _kind(people.group("noun")), "all"
    if _CHANGE_FROM.search(before) and _SAME_AGAIN.match(after) and (n := _noun_before(before)):
        return _kind(n), "all"  # "The number of offences rose from 40 in 2021 ..."
    noun = _NOUN_AFTER.match(after)
    if noun:
        rest = after[noun.end():]
        if not _stated(before, rest, noun.group("noun"), s.text) or _QUALIFIED.match(rest) or \
                m.group(1).lower() == "none":
            return None
        adj = after[:noun.start("noun")].lower()
        gender = next((g for g in ("female", "male") if re.search(rf"\b{g}\b", adj)), "all")
        return _kind(noun.group("noun")), gender
    clause = re.split(r"[;,]\s+(?=and\b|but\b|while\b|whereas\b)|;", before)[-1]
    if _COPULA.search(clause) and (n := _noun_before(clause) or (
            _FIGURE_WORD.search(clause) and _noun_before(context))):
        return _kind(n), "all"  # "The figure for 2022 is 52": the noun counted before
    if (label := _LABEL_COLON.match(clause)) and not re.match(r"\s*\w", after) and \
            not _LABEL_QUALIFIED.search(clause):
        return _kind(label.group("noun")), "all"
    if _ACTIVE.search(clause) and not re.match(r"\s*\w", after):
        # "... and in 2023 it recorded 189.": the noun is the one the sentence counted before.
        n = _noun_before(before) or _noun_before(context)
        return (_kind(n), "all") if n else None
    if _THERE_WERE.search(clause) and (not re.match(r"\s*\w", after.replace("recorded", ""))
                                       or _SAME_AGAIN.match(after)):
        # "There were eight." / "There were six in 2014": the noun is the one counted before.
        n = _noun_before(clause) or _noun_before(before) or _noun_before(context)
        return (_kind(n), "all") if n else None
    if _NO_VICTIM_DETAILS.search(s.text) and (of := _OF_THESE.match(after)):
        return _kind(of.group("noun")), "all"  # "For thirty of these offences no victim details"
    return None


def _stated(before: str, rest: str, noun: str, sentence: str) -> bool:
    """Whether `N <noun>` is stated as a figure: by a verb (`there were`, `were recorded`, `we
    recorded`, `... of X were recorded`), a heading label (`Q1:`, `2022/23:`), a list
    continuing a stated one (`There were 52 offences, 14 suspects and 9 victims`), or as the
    people an offence count involved (`involving 40 female victims`)."""
    if (_THERE_WERE.search(before) or _PASSIVE.match(rest) or _ACTIVE.search(before)
            or _BE.search(before) or _NO_VICTIM_DETAILS.search(sentence)
            or _PASSIVE_OF.match(rest) or _ITEM_LABEL.match(before)):
        return True
    if _kind(noun) in ("victims", "suspects") and _INVOLVING.search(before):
        return True
    glue = _LIST_GLUE_END.search(before)
    head = before[:glue.start()] if glue else ""
    return bool(head) and bool(_THERE_WERE_ANY.search(head) or _INVOLVING.search(head)
                               or _PASSIVE_ANY.search(head) or _ACTIVE_ANY.search(head))


# `52 offences of sexual communication with a child were recorded`.
_PASSIVE_OF = re.compile(r"^\s+of\s+[^.;:,]{1,80}?\s+(?:were|was|have\s+been|has\s+been)\s+"
                         r"(?:recorded|reported|identified|crimed)\b", re.IGNORECASE)
# A heading label before the figure: `Q1: 52 offences`, `Answer 2 - 14 suspects`, `2022/23: 52`.
_ITEM_LABEL = re.compile(r"^\W*(?:(?:q|question|answer|a)\s*\d{0,2}[a-z]?|(?:19|20)\d\d"
                         r"(?:\s*[/-]\s*\d{2,4})?)\s*[:\-–.]\s*$", re.IGNORECASE)
_INVOLVING = re.compile(r"\b(?:involving|involved|including|concerning|comprising|linked\s+to|"
                        r"associated\s+with|attributed\s+to)\s+$", re.IGNORECASE)
_CHANGE_FROM = re.compile(r"\b(?:rose|fell|increased|decreased|dropped|grew|went\s+(?:up|down)|"
                          r"changed)\s+from\s+$", re.IGNORECASE)
_PEOPLE_AS = re.compile(r"^\s+(?:individuals|people|persons)\s+(?:were|have\s+been|had\s+been)\s+"
                        r"(?:identified|recorded|named|listed)\s+as\s+(?:the\s+)?"
                        r"(?P<noun>suspects?|offenders?|perpetrators?|victims?)\b", re.IGNORECASE)
_LIST_GLUE_END = re.compile(r"(?:,|\band)\s*$", re.IGNORECASE)
_THERE_WERE_ANY = re.compile(r"\bthere\s+(?:were|was|are|is|have\s+been|has\s+been)\s+"
                             r"(?:a\s+total\s+of\s+)?\d", re.IGNORECASE)
# A verb that states the list's first figure (`The force recorded 37 offences in 2021/22, 44 ...`).
_ACTIVE_ANY = re.compile(r"\b(?:recorded|identified|received|investigated|had)\s+"
                         r"(?:a\s+total\s+of\s+)?\d[\d,]*\s+\w+", re.IGNORECASE)
_PASSIVE_ANY = re.compile(r"\b(?:were|was|have\s+been|has\s+been)\s+(?:recorded|reported|"
                          r"identified),?\s+(?:involving|including|with)\b", re.IGNORECASE)
_ACTIVE_ANY = re.compile(r"\b(?:recorded|identified|received)\s+(?:a\s+total\s+of\s+)?\d",
                         re.IGNORECASE)
_FIGURE_WORD = re.compile(r"\b(?:figure|total|number|count)\b", re.IGNORECASE)
_OF_THESE = re.compile(rf"^\s+of\s+(?:these|those|the|which)\s+{_ADJ}{{0,3}}(?P<noun>{_NOUN})\b",
                       re.IGNORECASE)


def standalone_counts(doc: Document, taken: set[int] | frozenset[int] = frozenset()
                      ) -> list[StandaloneCount]:
    """Counts stated in sentences (`The total number of crimes recorded in 2023 was 14`,
    `In 2023, 14 offences were recorded`, `Total Count 52`, `there were eight`, `Nil`).
    Numbers at offsets in `taken` were read already (as qualified clauses) and are skipped."""
    out: list[StandaloneCount] = []
    asked = request_regions(doc.text)
    previous = ""
    sentences = list(doc_sentences(doc))
    for i, s in enumerate(sentences):
        if is_request(s.text) or in_regions(asked, s.start) or in_table(doc, s.start):
            previous = s.text if is_request(s.text) else previous + " " + s.text
            continue
        following = sentences[i + 1].text if i + 1 < len(sentences) else ""
        if _ASIDE.match(s.text) or _NOT_INCLUDED.match(following):
            previous = s.text  # a figure given for comparison is not a count of the request
            continue
        alone = re.match(r"[ \t]*(?:\n|$)", doc.text[s.end:]) is not None
        answer = _bare_answer(s, previous) if alone and is_request(previous) else None
        out.extend([answer] if answer else _counts_in(doc, s, previous, taken))
        previous = s.text
    return _without_subsets(out)


# A figure offered for comparison, outside what was asked: "For context only: the force also
# recorded 57 offences of ...", followed by "These are not included above."
_ASIDE = re.compile(r"^\W*(?:for\s+(?:context|comparison|reference|background)|by\s+way\s+of\s+"
                    r"(?:comparison|context)|as\s+a\s+comparison)\b|"
                    # a pointer to published statistics: "You may also find our published
                    # crime data helpful: in 2023 the force recorded 1,930 sexual offences"
                    r"\byou\s+may\s+(?:also\s+)?(?:find|wish|like)\b|"
                    r"\bpublished\s+(?:crime\s+)?(?:data|statistics)\b",
                    re.IGNORECASE)
# A clause that says the figures of the clause before it are outside the request: `GMP
# recorded 1,204 crimes of ...; these are not part of your request`.
_NOT_PART = re.compile(r"[;,]\s*(?:and\s+)?(?:these|this|they|those|which|that|it)\s+"
                       r"(?:figures?\s+|offences?\s+|crimes?\s+)?(?:is|are|were|was)\s+not\s+(?:part\s+of|"
                       r"included|counted|within|covered\s+by)\b", re.IGNORECASE)
_NOT_INCLUDED = re.compile(r"^\W*(?:these|this|they|those|that|it)\s+(?:figures?\s+|offences?\s+|"
                           r"crimes?\s+)?(?:is|are|were|was)\s+not\s+(?:included|counted)\b",
                           re.IGNORECASE)


def _without_subsets(counts: list[StandaloneCount]) -> list[StandaloneCount]:
    """Drop bare answers to questions that ask for a subset of what another question asks
    (`How many stranger rapes ...` beside `How many rapes ...`): the record has no key for a
    subset, so only the unqualified count is kept."""
    plain = {c.asked[-1] for c in counts if len(c.asked) == 1}
    return [c for c in counts if len(c.asked) < 2 or c.asked[-1] not in plain]


def _bare_answer(s: Span, question: str) -> StandaloneCount | None:
    """A number or `Nil` standing alone (on its own line: `2.` opening a line is an item
    number) right under a question that asks how many."""
    m = _NIL_ANSWER.match(s.text)
    noun = _noun_before(question[-400:]) if m else None
    n = to_int(m.group("n")) if m else None
    if m is None or noun is None or n is None:
        return None
    span = Span(s.start + m.start("n"), s.start + m.end("n"), m.group("n"))
    return StandaloneCount(_kind(noun), n, span, s, asked=_asked_phrase(question[-400:]))


_HOW_MANY = re.compile(rf"\bhow\s+many\s+(?P<mods>(?:[\w/-]+\s+){{0,5}}?)(?P<noun>{_NOUN})\b",
                       re.IGNORECASE)


# Words before a counted noun that do not narrow it (`How many such offences`).
_NO_SUBSET = {"such", "the", "recorded", "reported", "crimed", "notifiable", "individual",
              "separate", "total", "in", "were", "was", "have", "has", "been"}


def _asked_phrase(question: str) -> tuple[str, ...]:
    """The words a `How many ...` question puts before its counted noun, then the noun
    (singular, lower case): `How many stranger rapes` -> ("stranger", "rape"); other
    questions give ()."""
    asks = list(_HOW_MANY.finditer(question))
    if not asks:
        return ()
    m = asks[-1]
    mods = tuple(w.lower() for w in re.findall(r"[\w-]+", m.group("mods"))
                 if w.lower() not in _NO_SUBSET)
    return (*mods, m.group("noun").lower().rstrip("s"))


def _counts_in(doc: Document, s: Span, previous: str, taken: set[int] | frozenset[int]
               ) -> list[StandaloneCount]:
    """The standalone counts of one sentence; `previous` names the noun of an elided one."""
    out: list[StandaloneCount] = []
    if _NIL_ANSWER.match(s.text) or _CAVEAT.match(s.text):
        return out
    aside = _NOT_PART.search(s.text)
    if aside:  # only the clause the aside follows is outside the request
        head = max(s.text.rfind(";", 0, aside.start()), s.text.rfind(":", 0, aside.start()))
        cut = Span(s.start, s.start + head + 1, s.text[:head + 1]) if head >= 0 else None
        return _counts_in(doc, cut, previous, taken) if cut else out
    none = _NONE_RECORDED.search(s.text)
    if none:
        g = "n" if none.group("n") else "n2"
        noun = none.group("noun") or none.group("noun2")
        span = Span(s.start + none.start(g), s.start + none.end(g), none.group(g))
        if not _superseded(s.text, none.start(g)):
            out.append(StandaloneCount(_kind(noun), 0, span, s))
    pairs = _year_pairs(s)
    out.extend(pairs)
    paired = {c.span.start for c in pairs}
    for m in _TOKEN.finditer(s.text):
        start = s.start + m.start(1)
        above = _ABOVE.match(s.text[m.end(1):])
        if start in taken or start in paired or in_table(doc, start) or \
                _superseded(s.text, m.start(1)) or \
                (_is_number_of_something_else(s, m) and not (above and m.group(1).isdigit())):
            continue
        # "the 381 crime reports counted above": a total of the figures given (Decision 5)
        found = (_kind(above.group("noun")), "all") if above else _count_at(s, m, previous[-400:])
        if found is None and out and _SAME_AGAIN.match(s.text[m.end(1):]) and \
                _AGAIN_GLUE.search(s.text[:m.start(1)]):
            found = (out[-1].kind, out[-1].gender)  # "12 offences in 2022 and 14 in 2023"
        n = to_int(m.group(1))
        if found is None or n is None:
            continue
        kind, gender = found
        if kind == "offences" and _NO_VICTIM_DETAILS.search(s.text):
            kind = "no_victim_details"
        out.append(StandaloneCount(kind, n, Span(start, s.start + m.end(1), m.group(1)), s,
                                   gender))
    return out


_ABOVE = re.compile(rf"^\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{_NOUN})\s+(?:counted|listed|shown|given|"
                    r"set\s+out|included|referred\s+to)\s+above\b", re.IGNORECASE)
# `2020 - 114; 2021 - 128; 2022 - 139` written inline after what they count.
_PAIR = re.compile(r"(?<![\d/.£-])(?P<p>(?:19|20)\d\d(?:\s*/\s*\d{2})?)"
                   r"(?:\s*:|\s+[-–]|\s*(?=\())\s*(?P<open>\()?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d{1,6})(?![\d/%]|\.\d)"
                   r"(?!\s*(?:hours?|years?|%))(?(open)\s*\))")
# What may join a count to the one before it whose noun it shares: "12 offences in 2022 and
# 14 in 2023", "52 crimes, compared with 40 in 2021/22", "52 crimes in 2022/23 (40 in 2021/22)".
_AGAIN_GLUE = re.compile(r"(?:,|;|\band|\bcompared\s+(?:with|to)|\bagainst|\bversus|\bvs\.?|\(|"
                         r"\bto)\s*(?:in\s+\S+\s+)?$", re.IGNORECASE)


def _year_pairs(s: Span) -> list[StandaloneCount]:
    """Counts written inline as `YEAR - N` pairs (two or more, separated by `;` or `,`) after
    a counted noun: `Offences ... recorded in each calendar year were: 2020 - 114; 2021 - 128`."""
    found = list(_PAIR.finditer(s.text))
    if len(found) < 2 or not all(re.fullmatch(r"\s*(?:[;,]|and|,\s*and)\s*",
                                              s.text[a.end():b.start()])
                                 for a, b in zip(found, found[1:], strict=False)):
        return []
    noun = re.search(rf"\b(?P<noun>{_NOUN})\b", s.text[:found[0].start()], re.IGNORECASE)
    if noun is None:
        return []
    out = []
    for m in found:
        period = label_period(m.group("p").replace(" ", ""))
        n = to_int(m.group("n"))
        if n is not None and period is not None and n in (period.end.year + 1,
                                                         (period.end.year + 1) % 100):
            return []  # `2013 - 2014`, `2013 - 14`: a span of years, not counts
        if period is not None and n is not None:
            span = Span(s.start + m.start("n"), s.start + m.end("n"), m.group("n"))
            out.append(StandaloneCount(_kind(noun.group("noun")), n, span, s, period=period))
    return out


# --- figures stated in the answer, whatever they count ----------------------------------------

# A number stated as a figure of the answer, whatever it counts (`There are 53 registered
# offenders`, `5 RSOs currently recorded`, `The total for the same area was 37`): the outcome
# needs to know something was given even where no fact kind holds it.
_STATED_BEFORE = re.compile(
    r"(?:\bthere\s+(?:are|were|is|was|have\s+been|has\s+been)\s+(?:a\s+total\s+of\s+|only\s+|"
    r"just\s+|currently\s+)?|\b(?:total|figure|number|count)\b[^.;:?]{0,60}\b(?:was|is|were|are|"
    r"stands\s+at|stood\s+at)\s+(?:currently\s+|now\s+)?|"
    r"\b(?:received|recorded|identified|issued|made|had)\s+(?:a\s+total\s+of\s+|only\s+)?)$",
    re.IGNORECASE)
_STATED_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,3}(?:(?:were|was|are|is|have\s+been|has\s+been)\s+)?(?:currently\s+|"
    r"now\s+)?(?:recorded|identified|reported|residing|living|found|located|held)\b",
    re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s*(?:hours?|hrs?|minutes?|mins?|seconds?|days?|weeks?|months?|"
                         r"years?|working|%|per\s*cent|pounds?|staff|officers?)\b", re.IGNORECASE)


_DIGITS = re.compile(r"(?<![\w/.£$-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w/])")


def stated_figures(doc: Document) -> list[Span]:
    """Numbers the answer states as figures (`There are 53 ...`, `the total ... was 37`,
    `5 RSOs currently recorded`), outside the request, tables and notes; a year, an age, a
    section, a time or a sum of money is no figure."""
    out = []
    asked = request_regions(doc.text)
    for s in doc_sentences(doc):
        if is_request(s.text) or in_regions(asked, s.start) or in_table(doc, s.start) or \
                _CAVEAT.match(s.text):
            continue
        for m in _DIGITS.finditer(s.text):
            before, after = s.text[:m.start(1)], s.text[m.end(1):]
            if _is_number_of_something_else(s, m) or \
                    _UNIT_AFTER.match(after):
                continue
            if _STATED_BEFORE.search(before) or _STATED_AFTER.match(after):
                out.append(Span(s.start + m.start(1), s.start + m.end(1), m.group(1)))
    return out
