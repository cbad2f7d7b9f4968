"""Standard phrases: standalone counts, youngest victim, codes, reference, date, force,
attachments. Each reader returns values with the span of text it read them from."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from extract.document import Document
from extract.periods import (
    DATE_RE,
    Found,
    find_financial_years,
    find_ranges,
    label_period,
    parse_date,
)
from extract.readers.labels import mentions, normalise_code
from schemas import Period
from schemas.vocab import force_aliases

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUM = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]*\n\s*|"
                           r"(?<=[.!?])\s+(?=[A-Z(]|\d+\s+[a-z])|\n\s*\n|\n(?=[-•*]?\s*\d+[.)]\s)")


@dataclass(frozen=True)
class Span:
    """A piece of the normalised text."""

    start: int
    end: int
    text: str


def sentences(text: str) -> Iterator[Span]:
    """Sentences (and blank-line separated blocks) with their offsets."""
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            yield Span(pos, m.start(), text[pos:m.start()])
        pos = m.end()
    if pos < len(text):
        yield Span(pos, len(text), text[pos:])


def doc_sentences(doc: Document) -> Iterator[Span]:
    """Sentences of the reply's prose: table regions are cut out, so no sentence runs into or
    across a table."""
    tables = sorted((t.start, t.end) for t in doc.tables)
    for s in sentences(doc.text):
        pos = s.start
        for a, b in tables:
            if b <= pos or a >= s.end:
                continue
            if a > pos:
                yield _trimmed(doc.text, pos, a)
            pos = max(pos, b)
        if pos < s.end:
            yield _trimmed(doc.text, pos, s.end)


def _trimmed(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def to_int(word: str) -> int | None:
    """`12` -> 12, `ten` -> 10."""
    w = word.lower().replace(",", "")
    if w.isdigit():
        return int(w)
    return _NUMBER_WORDS.get(w)


# --- periods in scope -------------------------------------------------------------------------


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


def sentence_period(text: str) -> Period | None:
    """A period named inside one sentence: a range, a financial year, or `in 2021`, each
    perhaps cut short (`2021/22 (to 13 November 2021)`)."""
    cut = {(p.start, p.end): p for m in _CUT_LABEL.finditer(text)
           if (p := label_period(m.group(1)))}
    if len(cut) == 1:
        return next(iter(cut.values()))
    found = find_ranges(text) + find_financial_years(text)
    if len(found) == 1:
        return found[0].period
    years = {m.group(1) + (m.group("cut") or "") for m in _IN_YEAR.finditer(text)}
    if len(years) == 1 and not found:
        return label_period(years.pop())
    return None


# --- standalone counts ------------------------------------------------------------------------

_COUNT_PATTERNS = [
    re.compile(r"\btotal\s+(?:count|number|no\.?)?\s*(?:of\s+[a-z /]+?\s*)?"
               r"(?:[:=-]|is|was|were|of)?\s*(?P<n>\d[\d,]*)\b(?!\s*%|\s*/|\.\d)", re.IGNORECASE),
    re.compile(r"\bthere\s+(?:were|was|have\s+been|has\s+been|are)\s+(?P<n>\d[\d,]*)\s+"
               r"(?:recorded\s+|reported\s+|such\s+|relevant\s+)?(?P<noun>[a-z]+)\b"
               r"(?!\s+(?:involving|involved|via|using|through|on|where|in which|aged|who|with|"
               r"of unknown|whose|recorded under))",
               re.IGNORECASE),
    re.compile(r"(?<![\d/£.])\b(?P<n>\d[\d,]*)\s+(?:recorded\s+|reported\s+|relevant\s+)?"
               r"(?P<noun>offences?|crimes?|cases|incidents|suspects|offenders|perpetrators|"
               r"victims|arrests)\s+(?:were|was|are|is|have\s+been|had\s+been|has\s+been)\s+"
               r"(?:currently\s+|now\s+|also\s+)?"
               r"(?:recorded|reported|identified|made|arrested|linked)\b", re.IGNORECASE),
]
_COUNT_PATTERNS.append(re.compile(
    r"\b(?:the\s+)?(?:total\s+)?number\s+of\s+(?:recorded\s+|relevant\s+)?(?P<noun>[a-z]+)"
    r"(?:/[a-z]+)?\b[^.;\n\d]{0,80}?\s(?:is|was|were|stands\s+at|totals?|came\s+to)\s+"
    r"(?P<n>\d[\d,]*)\b(?!\s*%)", re.IGNORECASE))
_NOT_A_COUNT = re.compile(r"\b(per cent|percent|hours?|minutes?|days?|£|years? old|aged)\b",
                          re.IGNORECASE)


@dataclass
class StandaloneCount:
    kind: str  # offences, suspects, victims, arrests, no_victim_details
    count: int
    span: Span  # the number
    sentence: Span


def _kind_of(sentence: str, noun: str | None, whole: str) -> str:
    words = f"{noun or ''} {sentence}"
    if re.search(r"without (any )?victim (details|information)|no victim (details|recorded)",
                 whole, re.IGNORECASE):
        return "no_victim_details"
    if mentions(noun or "", "suspects", "offenders", "perpetrators") or (
            noun is None and mentions(words, "suspect", "suspects", "perpetrators", "perpetrator",
                                      "offenders", "suspects/perpetrators")):
        return "suspects"
    if mentions(noun or "", "arrests") or (noun is None and mentions(words, "arrests", "arrested")):
        return "arrests"
    if mentions(noun or "", "victims"):
        return "victims"
    return "offences"


def standalone_counts(doc: Document) -> list[StandaloneCount]:
    """Counts stated in words, not in a table (`... - Total Count 52`, `there were 41 offences`)."""
    out = []
    for s in doc_sentences(doc):
        if any(t.start <= s.start < t.end for t in doc.tables) or _is_request(s.text):
            continue
        for pattern in _COUNT_PATTERNS:
            for m in pattern.finditer(s.text):
                if _NOT_A_COUNT.search(s.text[m.end("n"):m.end("n") + 12]) or \
                        _in_table(doc, s.start + m.start("n")):
                    continue
                n = to_int(m.group("n"))
                noun = m.groupdict().get("noun")
                if n is None or (noun and not _countable(noun)):
                    continue
                span = Span(s.start + m.start("n"), s.start + m.end("n"), m.group("n"))
                local = _local_context(doc.text, s, span)
                out.append(StandaloneCount(_kind_of(local, noun, s.text), n, span, s))
    return _dedupe_counts(out)


def _in_table(doc: Document, pos: int) -> bool:
    return any(t.start <= pos < t.end for t in doc.tables)


def _local_context(text: str, s: Span, number: Span) -> str:
    """The sentence up to the number, but no further back than the line before it."""
    line_start = text.rfind("\n", 0, number.start)
    prev_start = text.rfind("\n", 0, max(line_start, 0))
    return text[max(s.start, prev_start + 1):number.end]


def _countable(noun: str) -> bool:
    return bool(re.match(r"(offences?|crimes?|cases|incidents|suspects|offenders|perpetrators|"
                         r"victims|arrests|reports)$", noun, re.IGNORECASE))


def _dedupe_counts(counts: list[StandaloneCount]) -> list[StandaloneCount]:
    seen, out = set(), []
    for c in counts:
        if c.span.start not in seen:
            seen.add(c.span.start)
            out.append(c)
    return out


def _is_request(text: str) -> bool:
    """A sentence of the request (the question), not of the answer."""
    return bool(re.match(r"^\W*(\d+[a-z]?[.)]\s*)?(please\s+(?!see|find|note|be aware|refer)|"
                         r"could you|can you|i would like|how many|what|i require|provide)\b",
                         text.strip(), re.IGNORECASE))


# --- youngest victim -----------------------------------------------------------------------


@dataclass
class Youngest:
    age_min: int | None
    age_max: int | None
    gender: str | None
    withheld: bool
    span: Span


_YV_AGE = [
    re.compile(rf"\baged?\s+between\s+{_NUM}\s+(?:and|to|-)\s+{_NUM}", re.IGNORECASE),
    re.compile(rf"\b{_NUM}\s*(?:-|to)\s*{_NUM}\s+years?", re.IGNORECASE),
    re.compile(rf"\baged?\s+{_NUM}\b", re.IGNORECASE),
    re.compile(rf"\b{_NUM}[\s-]+years?[\s-]+old\b", re.IGNORECASE),
    re.compile(rf"\b{_NUM}\s*(?:yrs?|years?)\b", re.IGNORECASE),
]
_YV_GENDER = [("female", r"\b(female|girl|woman)\b"), ("male", r"\b(male|boy|man)\b")]
_REFUSED = re.compile(r"\b(exempt|withheld|withhold|not (be )?(disclosed|released|provided)|"
                      r"refus\w*|unable to (provide|disclose)|cannot (provide|disclose)|"
                      r"not (therefore )?available)\b", re.IGNORECASE)


def youngest_victim(doc: Document) -> Youngest | None:
    """The youngest victim as the reply states it, or withheld when it refuses to say."""
    for s in doc_sentences(doc):
        if not re.search(r"\byoungest\b", s.text, re.IGNORECASE) or _is_request(s.text):
            continue
        found = _youngest_in(s)
        if found:
            return found
    return _youngest_withheld(doc)


def _youngest_in(s: Span) -> Youngest | None:
    hit = re.search(r"\byoungest\b", s.text, re.IGNORECASE)
    text = s.text[hit.start():] if hit else s.text
    for pattern in _YV_AGE:
        m = pattern.search(text)
        if m:
            nums = [to_int(g) for g in m.groups() if g]
            lo, hi = nums[0], nums[-1]
            gender = next((g for g, p in _YV_GENDER if re.search(p, text, re.IGNORECASE)), None)
            return Youngest(lo, hi, gender, False, Span(s.start, s.end, s.text))
    if _REFUSED.search(s.text):
        return Youngest(None, None, None, True, Span(s.start, s.end, s.text))
    return None


def _youngest_withheld(doc: Document) -> Youngest | None:
    """`Any further breakdown of data for Q3 ... exempt` where question 3 asked for the youngest."""
    numbers = {m.group(1) for m in re.finditer(
        r"(?m)^\W*(\d{1,2})[a-z]?[.)]\s[^\n]*\byoungest\b", doc.text, re.IGNORECASE)}
    spans = list(doc_sentences(doc))
    for i, s in enumerate(spans):
        window = " ".join(x.text for x in spans[i:i + 2])
        for q in numbers:
            if re.search(rf"\b(Q|question\s*){q}\b", s.text, re.IGNORECASE) and \
                    _REFUSED.search(window):
                return Youngest(None, None, None, True, Span(s.start, s.end, s.text))
    return None


# --- offence codes ------------------------------------------------------------------------

_CODE_CONTEXT = re.compile(
    r"\b(?:home\s+office\s+(?:crime\s+|offence\s+|recording\s+)?(?:code|classification)s?|"
    r"HO\s+(?:crime\s+|offence\s+)?codes?|crime\s+codes?|offence\s+codes?|"
    r"(?:offence|classification|code|codes)\b)\s*(?:no\.?|number)?\s*[:\-]?\s*",
    re.IGNORECASE)
_CODE = r"(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z](?![a-z])|\d{4})"
_CODE_LIST = re.compile(rf"{_CODE}((?:\s*(?:,|and|or|&|/)\s*{_CODE})*)")
_CODE_IN_LIST = re.compile(_CODE)
_ROW_CODE = re.compile(r"(?m)^\s*(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z])\s+-\s+[A-Z]{3,}")


def offence_codes(doc: Document) -> list[tuple[str, Span]]:
    """Home Office codes the reply states, normalised (`7117` -> `71/17`), first mention each."""
    out: dict[str, Span] = {}
    for m in _CODE_CONTEXT.finditer(doc.text):
        if re.search(r"\bclass\s*$", doc.text[max(0, m.start() - 8):m.start()], re.IGNORECASE):
            continue  # "offence class 88A": a classification group, not the code counted
        lm = _CODE_LIST.match(doc.text, m.end())
        if not lm:
            continue
        for cm in _CODE_IN_LIST.finditer(lm.group(0)):
            _add_code(out, cm.group(1), m.end() + cm.start(), m.end() + cm.end(), doc)
    for m in _ROW_CODE.finditer(doc.text):
        _add_code(out, m.group(1), m.start(1), m.end(1), doc)
    return list(out.items())


def _add_code(out: dict[str, Span], raw: str, start: int, end: int, doc: Document) -> None:
    if re.fullmatch(r"(19|20)\d\d", raw):
        return  # a year, not a code
    code = normalise_code(raw)
    if code and _plausible_code(code):
        out.setdefault(code, Span(start, end, doc.text[start:end]))


def _plausible_code(code: str) -> bool:
    m = re.match(r"(\d+)", code)
    return m is not None and 1 <= int(m.group(1)) <= 199


# --- reference, date, force ------------------------------------------------------------------

_REF_LABELLED = re.compile(
    r"\b(?:(?:our|your|FOI|FOIA|request|freedom of information)\s+)*(?:reference|ref)\.?"
    r"(?:\s+(?:no|number|num))?\.?\s*[:#]?\s*(?P<ref>[A-Z0-9][A-Z0-9/\-_.]*\d[A-Z0-9/\-_]*)",
    re.IGNORECASE)
_REF_FOI = re.compile(r"\bFOI(?:A)?\s*(?:request\s*)?(?:no\.?|number)?\s*[:#]?\s*"
                      r"(?P<ref>\d[\d/\-]{3,}\d|\d{4,})\b", re.IGNORECASE)
_REF_TITLE = re.compile(
    r"\((?P<ref>\d{1,5}[A-Z]?/\d{2,4}|\d{5,10}|[A-Z]{2,4}[/-]\d{2,6}[/-]\d{2,4})\)")
_REF_LINE = re.compile(r"(?m)^\s*(?P<ref>(?:PUB|FOI|FOIA|RFI|REF)[ -]?\d{2,}[\d/-]*|\d{4,7})\s*$")


def reference(doc: Document) -> tuple[str, Span] | None:
    """The FOI reference as written (`2572/15`, `62A/23`, `20210999`)."""
    head = doc.text[: max(2500, len(doc.text) * 2 // 5)]
    for pattern, text in ((_REF_LABELLED, doc.text), (_REF_FOI, doc.text), (_REF_TITLE, head)):
        m = pattern.search(text)
        if m and not re.fullmatch(r"(19|20)\d\d", m.group("ref")):
            return m.group("ref").rstrip("."), Span(m.start("ref"), m.end("ref"), m.group("ref"))
    for m in _REF_LINE.finditer(head):
        if not re.fullmatch(r"(19|20)\d\d", m.group("ref")):
            return m.group("ref"), Span(m.start("ref"), m.end("ref"), m.group("ref"))
    return None


_DATE_LABEL = re.compile(r"\b(date(?:\s+of)?\s*(?:response|reply|issued?|sent)?|"
                         r"(?:response|reply)\s+date|dated)\s*[:\-]?\s*$", re.IGNORECASE)
_DATE_LINE = re.compile(rf"(?m)^[ \t]*(?:\w+day,?\s+)?(?P<d>{DATE_RE.pattern})[ \t]*$",
                        re.IGNORECASE)
_NOT_ISSUE = re.compile(r"\b(received|receipt|due|as at|as of|correct)\b", re.IGNORECASE)


def response_date(doc: Document) -> tuple[date, Span] | None:
    """The date the reply was issued: a labelled date, else the latest date standing alone."""
    for m in DATE_RE.finditer(doc.text):
        before = doc.text[max(0, m.start() - 40):m.start()].split("\n")[-1]
        if _DATE_LABEL.search(before) and not _NOT_ISSUE.search(before):
            d = parse_date(m.group(0))
            if d:
                return d, Span(m.start(), m.end(), m.group(0))
    lines = []
    for m in _DATE_LINE.finditer(doc.text):
        d = parse_date(m.group("d"))
        if d and not _MONTH_ONLY(m.group("d")):
            lines.append((d, Span(m.start("d"), m.end("d"), m.group("d"))))
    return max(lines, key=lambda x: x[0]) if lines else None


def _MONTH_ONLY(text: str) -> bool:  # noqa: N802
    return not re.search(r"\d{1,2}(st|nd|rd|th)?[\s/.-]", text.strip()[:5])


def _alias_hits(text: str, lower: str, alias: str) -> Iterator[re.Match[str]]:
    """Where a force alias stands as whole words. Short aliases (`WMP`, `Met`) must keep their
    capitals, so that "met the criteria" or "MPs" do not name a force."""
    if len(alias) > 4:
        yield from re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", lower)
        return
    for form in {alias.upper(), alias.title()}:
        yield from re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)


def force(doc: Document) -> tuple[str, Span] | None:
    """The force that answered: the one the reply names most often (ties: first named)."""
    folded_hits: Counter[str] = Counter()
    first: dict[str, Span] = {}
    lower = doc.text.lower()
    for alias, name in force_aliases():
        for m in _alias_hits(doc.text, lower, alias):
            if any(s.start <= m.start() < s.end for s in first.values()):
                continue
            folded_hits[name] += 1
            if name not in first or m.start() < first[name].start:
                first[name] = Span(m.start(), m.end(), doc.text[m.start():m.end()])
    if not folded_hits:
        return None
    best = max(folded_hits, key=lambda n: (folded_hits[n], -first[n].start))
    return best, first[best]


# --- attachments -----------------------------------------------------------------------------

_ATTACHED = re.compile(
    r"\b(attached|enclosed|attachments?|spreadsheet|appendix|annex)\b", re.IGNORECASE)
_ATTACH_VERB = re.compile(
    r"\b(see|find|provided|supplied|included|includes|contained|shown|set out|detailed|"
    r"provide[ds]?|sent|has been|have been|refer to|spreadsheet|file|table|data|figures)\b",
    re.IGNORECASE)


def attachment_mentions(doc: Document) -> list[Span]:
    """Sentences saying figures are in an attachment (boilerplate about "enclosed data" aside)."""
    out = []
    for s in doc_sentences(doc):
        if re.match(r"\s*if you (decide|are)", s.text, re.IGNORECASE) or _is_request(s.text):
            continue
        if _ATTACHED.search(s.text) and _ATTACH_VERB.search(s.text):
            out.append(s)
    return out
