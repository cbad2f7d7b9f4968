"""What the words around a table say about all of it, as typed data.

The title (caption, heading and lines just above, cut at the table before), the notes just
below, and what they hold for the whole table: a gender ("Female victims"), a period, an
offence code, the platform method, marks that cut a period short ("*to 16 July",
"data up to 16/07/2015"), marks that stand for a withheld small number, and whether blanks
are said to be nil. Readers take these from here instead of scanning the text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extract.document import Document, Table
from extract.periods import DATE_PATTERN, find_financial_years, find_ranges, parse_date, year
from schemas import Period
from schemas.vocab import fold

_MARK = r"[*^†‡§¶#¹²³⁴⁵⁶⁷⁸⁹]+|\(\w\)|\[\w\]"
_NOTE_CUT = re.compile(
    rf"^\s*(?P<mark>{_MARK})\s*[^\n]{{0,80}}?\b(?:up\s+to|to|until|till|as\s+at|as\s+of|"
    rf"ending|ended|through)\s+(?:and\s+including\s+)?(?:date\s+)?"
    rf"(?P<date>{DATE_PATTERN}|[0-3]?\d(?:st|nd|rd|th)?\s+[A-Za-z]{{3,9}})", re.IGNORECASE)
_DATA_TO = re.compile(
    rf"\b(?:data|figures|information|records?|counts?)\b[^\n.]{{0,40}}?\b(?:up\s+to|to|until|"
    rf"as\s+at|as\s+of)\s+(?:and\s+including\s+)?(?P<date>{DATE_PATTERN})", re.IGNORECASE)
_NOTE_SUPPRESSED = re.compile(
    rf"^\s*(?P<mark>{_MARK}|x|~)\s*(?:=|-|–|:)?\s*[^\n]{{0,60}}?\b(?:fewer\s+than|less\s+than|"
    r"under|below|between\s+1\s+and)\s+(?:5|five|10|ten)\b|"
    rf"^\s*(?P<mark2>{_MARK}|x|~)\s*(?:=|-|–|:)?\s*[^\n]{{0,40}}?\b(?:suppressed|redacted|"
    r"withheld|small\s+numbers?)", re.IGNORECASE | re.MULTILINE)
_NIL_NOTE = re.compile(
    r"\b(?:blank|empty)\s+(?:cells?|entries|spaces?|fields?|boxes)\b[^.\n]{0,40}?"
    r"\b(?:nil|zero|none|no\s+(?:offences|crimes|records|data|cases))\b|"
    r"(?:dash(?:es)?\s*(?:\(\s*-\s*\))?|['\"]-['\"]|\s-\s)\s*"
    r"(?:indicates?|denotes?|means?|represents?|shows?|=)\s*"
    r"(?:a\s+)?(?:nil|zero|none|0)\b", re.IGNORECASE)
_UNKNOWN_GENDER = re.compile(r"\b(?:gender|sex)\b[^\n]{0,12}\bnot\s+(?:recorded|known|stated)|"
                             r"\bunknown\s+(?:gender|sex)|\b(?:gender|sex)\s+unknown",
                             re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:female|females|girls?|women|woman)\b", re.IGNORECASE)
_MALE = re.compile(r"\b(?:male|males|boys?|men|man)\b", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w/])(0?\d{1,3}[A-Z]?/0?\d{1,2}|0?\d{2}[A-Z])(?![\w/])")
_CODE_WORD = re.compile(r"\b(?:code|codes|class|offence|offences)\b", re.IGNORECASE)
_REFERENCE = re.compile(r"\b(?:ref|reference|foi|request|our|your)\b", re.IGNORECASE)
_SHORT_LINE_WORDS = 14


@dataclass
class TableContext:
    """Values that hold for a whole table, with the words they came from."""

    title: str = ""
    notes: str = ""
    gender: str | None = None
    period: Period | None = None
    code: str | None = None
    method: str | None = None
    footnotes: dict[str, date] = field(default_factory=dict)
    data_to: date | None = None
    blank_is_nil: bool = False
    suppression_marks: list[str] = field(default_factory=list)


def title_lines(doc: Document, t: Table, limit: int = 3,
                tables: list[Table] | None = None) -> list[str]:
    """Up to ``limit`` non-empty lines just above a table, never reaching into the table
    before it (its last rows are not this table's title). ``tables``: all tables of the
    document, when ``doc.tables`` is not set yet."""
    tables = doc.tables if tables is None else tables
    floor = max([o.end for o in tables if o.end <= t.start and o is not t], default=0)
    if floor:  # the rest of the line the table above ends on (" Offences") is its own
        nl = doc.text.find("\n", floor, t.start)
        floor = nl if nl >= 0 else t.start
    before = doc.text[max(floor, t.start - 1500):t.start].rstrip("\n").split("\n")
    lines = [ln.strip() for ln in before if ln.strip()][-limit:]
    return lines + label_caption(doc, lines[-1], t, tables) if lines else lines


_LABEL = re.compile(r"^(?:table|tab\.?)\s*(\d{1,2}|[a-z])\s*[.:]?$", re.IGNORECASE)


def label_caption(doc: Document, line: str, t: Table, tables: list[Table]) -> list[str]:
    """What a bare label above a table ("Table 5", a sheet's name) stands for: the caption
    lines under the same label elsewhere in the reply (a letter that describes each table
    while the tables sit on their own sheets or pages). Empty when nothing says more."""
    m = _LABEL.match(line)
    if not m:
        return []
    head = re.compile(rf"(?im)^[ \t]*(?:table|tab\.?)\s*{re.escape(m.group(1))}\s*[.:]?[ \t]*$")
    spans = [(o.start, o.end) for o in tables]
    for found in head.finditer(doc.text):
        if t.start - len(line) - 2 <= found.start() <= t.end or \
                any(a <= found.start() < b for a, b in spans):
            continue
        caption = _caption_after(doc.text, found.end(), spans)
        if caption:
            return caption
    return []


def _caption_after(text: str, pos: int, spans: list[tuple[int, int]], limit: int = 2) -> list[str]:
    """Up to ``limit`` lines after a label: stopped by a note (`*to 16 July`), another
    label, a pointer (`See Table 2`) or a table."""
    out: list[str] = []
    offset = pos
    for raw in text[pos:pos + 1200].split("\n"):
        start, offset = offset, offset + len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        if len(out) >= limit or _LABEL.match(line) or re.match(rf"(?:{_MARK})|see\b", line,
                                                               re.IGNORECASE) or \
                any(a <= start < b for a, b in spans):
            break
        out.append(line)
    return out


def note_lines(doc: Document, t: Table, limit: int = 6) -> list[str]:
    """Up to ``limit`` non-empty lines just below a table, up to the next table."""
    ceiling = min([o.start for o in doc.tables if o.start >= t.end and o is not t],
                  default=len(doc.text))
    after = doc.text[t.end:min(ceiling, t.end + 800)].split("\n")
    return [ln.strip() for ln in after if ln.strip()][:limit]


def title_gender(lines: list[str]) -> str | None:
    """A gender the nearest short title line names alone ("Female victims"); None when the
    nearest line naming any gender names both, or only long question text names one."""
    for line in reversed(lines):
        if len(line.split()) > _SHORT_LINE_WORDS:
            continue
        if _UNKNOWN_GENDER.search(line):
            return "unknown"
        female, male = bool(_FEMALE.search(line)), bool(_MALE.search(line))
        if female and male:
            return None
        if female or male:
            return "female" if female else "male"
    return None


def title_period(lines: list[str]) -> Period | None:
    """The one period a caption just above the table names ("Victims in 2021", "2023/24"):
    only the nearest line, only when it is short and holds no other number (a sentence cut
    across lines, `May 2021 - Total 7`, is not a caption)."""
    if not lines:
        return None
    line = lines[-1]
    if len(line.split()) > _SHORT_LINE_WORDS or _REFERENCE.search(line):
        return None
    found = find_ranges(line) or find_financial_years(line)
    spans = [(f.start, f.end) for f in found]
    if not found:
        spans = [m.span() for m in re.finditer(r"(?<![\d/])(?:19|20)\d{2}(?![\d/])", line)]
    if len(spans) != 1:
        return None
    rest = line[:spans[0][0]] + line[spans[0][1]:]
    if re.search(r"\d", rest):
        return None
    return found[0].period if found else year(int(line[spans[0][0]:spans[0][1]]))


def note_cuts(notes: str, t: Table) -> dict[str, date]:
    """Marks that end a period early: `*to 30 June 2019`; a date written without its year
    takes the year of the header cell carrying the mark."""
    out: dict[str, date] = {}
    for m in _NOTE_CUT.finditer(notes):
        d = _note_date(m.group("date"), m.group("mark"), t)
        if d:
            out.setdefault(m.group("mark"), d)
    return out


def _note_date(raw: str, mark: str, t: Table) -> date | None:
    if re.search(r"(?:19|20)\d{2}", raw):
        return parse_date(raw)
    for row in t.rows:
        for cell in row:
            m = re.match(r"^\s*((?:19|20)\d{2})", cell.text)
            if m and cell.text.rstrip().endswith(mark):
                return parse_date(f"{raw} {m.group(1)}")
    return None


def _mark_notes(doc: Document) -> str:
    """Every line of the reply that opens with a footnote mark: a note may be given once,
    above all the tables (`¹ Figures to 16 July`), for every label carrying its mark."""
    return "\n".join(m.group(0) for m in re.finditer(rf"(?m)^[ \t]*(?:{_MARK})[^\n]*",
                                                    doc.text))


def method_from(text: str) -> str | None:
    """How platform figures were found, from the words around them."""
    folded = fold(text)
    if re.search(r"\bkey ?words?\b|\bkeyword search", folded):
        return "keyword_search"
    if re.search(r"\bmanual(ly)? (review|read|check|search)|\breviewed manually", folded):
        return "manual_review"
    if re.search(r"\b(recorded|flagged) (in|on|as) (a|the) (field|flag|marker)|"
                 r"\b(online|cyber|method) (flag|marker|indicator|field)", folded):
        return "recorded_field"
    return None


def _suppression_marks(notes: str) -> list[str]:
    marks = []
    for m in _NOTE_SUPPRESSED.finditer(notes):
        mark = m.group("mark") or m.group("mark2")
        if mark and mark not in marks:
            marks.append(mark)
    return marks


def table_context(doc: Document, t: Table) -> TableContext:
    """The context of one table (see the module docstring)."""
    above = title_lines(doc, t)
    below = note_lines(doc, t)
    notes = "\n".join(below)
    near = doc.text[max(0, t.start - 1200):t.end + 600]
    data_to = next((parse_date(m.group("date")) for m in _DATA_TO.finditer(notes)), None)
    cuts = {**note_cuts(_mark_notes(doc), t), **note_cuts(notes, t)}  # notes below win
    codes = {m.group(1) for line in above[-2:] if _CODE_WORD.search(line)
             for m in _CODE.finditer(line)}
    return TableContext(
        title="\n".join(above), notes=notes, gender=title_gender(above),
        period=title_period(above), code=codes.pop() if len(codes) == 1 else None,
        method=method_from(near), footnotes=cuts, data_to=data_to,
        # a reply that says dashes or blanks are nil says it for all its tables
        blank_is_nil=bool(_NIL_NOTE.search(doc.text)),
        suppression_marks=_suppression_marks(notes))
