"""Home Office offence codes the reply states for its figures (contract Decision 1)."""

from __future__ import annotations

import re

from extract.document import Document, Table, TableCell
from extract.readers.labels import normalise_code
from extract.readers.sentences import HOME_OFFICE, Span, in_regions, quoted_spans, request_regions

# What introduces a code: "Home Office code", "HO crime code of", "offence class" (the class
# a code is recorded under is stated too: contract Decision 1), "classification", "offence".
_CODE_CONTEXT = re.compile(
    rf"(?:\b(?:{HOME_OFFICE}\s+)?(?:crime\s+|offence\s+|recording\s+)?"
    r"(?:code|codes|class|classes|classification|classifications|offence|HOCR)\b|"
    # `(HO 71/17)`: the Home Office's initials right before a code in slash form.
    r"\bHO\s+(?=0?\d{1,3}/0?\d{1,2}\b))"
    # an abbreviation in brackets may follow the words: `Home Office Offence Code (HOOC) 71/17`
    r"(?:\s*\((?-i:[A-Z]{2,6})\))?"
    r"\s*(?:(?:has|have)\s+been\s+|is\s+|was\s+|are\s+|were\s+)?(?:recorded\s+)?(?:as\s+)?"
    r"(?:no\.?|number|of)?\s*[:\-]?\s*", re.IGNORECASE)
# A code in slash form (`08/65`, `195/12`): distinctive enough to be read from a row of figures
# that follows a code heading (a table flattened into one line).
_SLASH_CODE = re.compile(r"(?<![\d/.])(0?\d{1,3}/0?\d{1,2})(?![\d/.])")
_CODE = r"(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z](?![a-z])|\d{4,5}(?!\d))"
# Codes the requester offers as examples or guesses ("e.g. 71/17", "Your force may record this
# under code 125/09") are not stated by the reply.
_SUGGESTED = re.compile(r"\b(?:e\.?g\.?|for\s+example|such\s+as|for\s+instance)\W|"
                        r"\byour\s+(?:force|organisation|records?)\b|\bmay\s+(?:be\s+)?record",
                        re.IGNORECASE)
_CODE_LIST = re.compile(rf"{_CODE}((?:\s*(?:,|and|or|&|/)\s*{_CODE})*)")
_CODE_IN_LIST = re.compile(_CODE)
_ROW_CODE = re.compile(r"(?m)^\s*(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z])\s+-\s+[A-Z]{3,}")


def offence_codes(doc: Document) -> list[tuple[str, Span]]:
    """Home Office codes the reply's answer states, normalised (`7117` -> `71/17`), first
    mention each; codes only in a quoted request (a section headed as the request) or offered
    there as examples are not the reply's."""
    out: dict[str, Span] = {}
    asked = request_regions(doc.text) + quoted_spans(doc)
    for m in _CODE_CONTEXT.finditer(doc.text):
        if in_regions(asked, m.start()) or _suggested(doc.text, m.start()):
            continue
        lm = _CODE_LIST.match(doc.text, m.end())
        if lm and not re.fullmatch(r"(?:19|20)\d\d", lm.group(1)):
            for cm in _CODE_IN_LIST.finditer(lm.group(0)):
                _add_code(out, cm.group(1), m.end() + cm.start(), m.end() + cm.end(), doc)
        elif _heading_of_figures(doc.text, m.end()):
            following = doc.text[m.end():m.end() + 200].split("\n\n")[0]
            for cm in _SLASH_CODE.finditer(following):
                _add_code(out, cm.group(1), m.end() + cm.start(1), m.end() + cm.end(1), doc)
    for m in _ROW_CODE.finditer(doc.text):
        if not in_regions(asked, m.start()):
            _add_code(out, m.group(1), m.start(1), m.end(1), doc)
    for m in _NAMED_CODE.finditer(doc.text):
        if not in_regions(asked, m.start()):
            _add_code(out, m.group(1), m.start(1), m.end(1), doc)
    for m in _TITLED_CODE.finditer(doc.text):
        g = 1 if m.group(1) else 2
        if not in_regions(asked, m.start()) and not _day_month(m.group(g)):
            _add_code(out, m.group(g), m.start(g), m.end(g), doc)
    for t in doc.tables:
        if not in_regions(asked, t.start):
            for cell in _code_column_cells(t):
                _add_code(out, cell.text.strip(), cell.start, cell.end, doc)
    return [(c, span) for c, span in out.items() if not _context_only(doc, span.text)]


# A line that gives an offence only as context: outside what was asked.
_CONTEXT_LINE = re.compile(
    r"\b(?:(?:shown|given|included|provided)\s+(?:only\s+)?(?:for|as)\s+(?:context|comparison|"
    r"information|reference)|for\s+(?:context|comparison)\s+only|not\s+(?:part\s+of|within|"
    r"covered\s+by|included\s+in)\s+(?:your|the)\s+request|not\s+requested)\b", re.IGNORECASE)


def _context_only(doc: Document, raw: str) -> bool:
    """Whether a code is written only on lines that also say it is given for context (`19C |
    Rape of a child (shown for context)`, `Code 19C is not part of your request`): such a
    code is not one the answer states for its figures."""
    lines = [ln for ln in doc.text.split("\n")
             if re.search(rf"(?<![\w/]){re.escape(raw)}(?![\w/])", ln)]
    return bool(lines) and all(_CONTEXT_LINE.search(ln) for ln in lines)


_CODE_HEADER = re.compile(r"\b(?:code|codes|classification)\b", re.IGNORECASE)
_CODE_CELL = re.compile(r"0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z]")


# A code in slash form after a preposition and right before the offence's title, inside a
# sentence (`the number of crimes of 08/65 Stalking involving fear of violence and 08/66
# Stalking involving ...`); a bulleted list of codes and titles is more often the request's.
_TITLED_CODE = re.compile(r"\b(?:of|for|under|as|and)[ \t]+(?:(0?\d{1,3}/0?\d{1,2})(?![\d/.])[ \t]+"
                          r"(?:\((?-i:[a-z])|(?-i:[A-Z][a-z]{3,}))|"
                          # a class with a letter only before its name in brackets: `88A (sexual`
                          r"(0?\d{2}[A-Z])[ \t]+\((?-i:[a-z]))")
# A line naming an offence and then its code: `Offence: Sexual Communication With A Child - 71/17`.
_NAMED_CODE = re.compile(r"(?im)^\W*(?:offence|crime)(?:\s+type)?\s*:\s*[^\n]{3,80}?\s[-–]\s*"
                         r"(0?\d{1,3}/0?\d{1,2}|0?\d{2}[A-Z])[ \t]*$")


def _day_month(code: str) -> bool:
    """Whether `a/b` could be a day and month (`12/05`): then it is not read as a code
    without a word saying it is one."""
    if "/" not in code:
        return False  # a class with a letter (`88A`) is no date
    a, b = (int(x) for x in code.split("/"))
    return 1 <= a <= 31 and 1 <= b <= 12


def _code_column_cells(t: Table) -> list[TableCell]:
    """Cells of a column headed as codes (`HO code`) that hold a code: the codes the table's
    rows count."""
    heads = {c.col: c.row for row in t.rows[:max(t.header_rows, 1)] for c in row
             if _CODE_HEADER.search(c.text)}
    return [c for row in t.rows for c in row
            if c.row > heads.get(c.col, len(t.rows)) and _CODE_CELL.fullmatch(c.text.strip())]


def _heading_of_figures(text: str, pos: int) -> bool:
    """Whether a code heading is followed by a row of figures (years, counts), not prose."""
    return re.match(r"\s*(?:(?:19|20)\d\d\s+){2,}", text[pos:pos + 60]) is not None


def _suggested(text: str, pos: int) -> bool:
    """Whether the paragraph before pos (up to 200 characters) offers codes as examples."""
    before = text[max(0, pos - 200):pos]
    return bool(_SUGGESTED.search(before.split("\n\n")[-1]))


def _add_code(out: dict[str, Span], raw: str, start: int, end: int, doc: Document) -> None:
    """Record a code at its first mention, normalised; years and implausible numbers are not
    codes."""
    if re.fullmatch(r"(19|20)\d\d", raw):
        return  # a year, not a code
    five = re.fullmatch(r"(\d{3})(\d{2})", raw)  # `07117` is 071/17, `08805` is 088/05
    code = normalise_code(f"{five.group(1)}/{five.group(2)}" if five else raw)
    if code and _plausible_code(code):
        out.setdefault(code, Span(start, end, doc.text[start:end]))


def _plausible_code(code: str) -> bool:
    """Home Office classes run from 1 to 199."""
    m = re.match(r"(\d+)", code)
    return m is not None and 1 <= int(m.group(1)) <= 199

