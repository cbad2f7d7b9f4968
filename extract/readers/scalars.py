"""Scalars of a reply: its reference, issue date, answering force, attachment notes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from extract.document import Document
from extract.periods import DATE_RE, parse_date
from extract.readers.exemptions import Ground
from extract.readers.sentences import Span, doc_sentences, is_request
from schemas.vocab import force_aliases

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
        if re.match(r"\s*if you (decide|are)", s.text, re.IGNORECASE) or is_request(s.text):
            continue
        if _ATTACHED.search(s.text) and _ATTACH_VERB.search(s.text):
            out.append(s)
    return out


# --- the reply's outcome -----------------------------------------------------------------

_NOT_HELD = re.compile(r"\b(does not hold|do not hold|not held|holds no (relevant )?information|"
                       r"no (relevant )?information (is )?held)\b", re.IGNORECASE)
_NO_ANSWER = re.compile(r"\b(acknowledge (receipt|your request)|we (have )?received your request|"
                        r"please clarify|require (further )?clarification|"
                        r"will respond (to you )?(within|by))\b", re.IGNORECASE)
_HELD = re.compile(r"\b(does hold|is held|holds (the |some )?information|information is held)\b",
                   re.IGNORECASE)


def overall_outcome(doc: Document, applied: list[Ground], given: bool, suppressed: bool,
                    attachment: bool) -> tuple[str, Span | None]:
    """full / partial / refused / ncnd / not_held / no_answer by the contract's definitions."""
    part_not_held = _NOT_HELD.search(doc.text) is not None
    withheld = bool(applied) or suppressed or part_not_held
    if given or attachment:
        return ("partial" if withheld else "full"), None
    if applied:
        if all(g.ncnd for g in applied):
            return "ncnd", applied[0].span
        return "refused", applied[0].span
    m = _NOT_HELD.search(doc.text)
    if m and not _HELD.search(doc.text):
        return "not_held", Span(m.start(), m.end(), m.group(0))
    m = _NO_ANSWER.search(doc.text)
    if m:
        return "no_answer", Span(m.start(), m.end(), m.group(0))
    return "no_answer", None
