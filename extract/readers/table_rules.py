"""The rules reader's TableMapping: what a table counts and what each header line holds.

Heuristics only decide the mapping (axes by vote of their labels, the subject from the
table's own words and its context, totals from the annotated grid); ``expand`` then reads the
cells. A model produces the same ``TableMapping`` type, so the two are compared on it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import cast

from extract.document import Document, Table, TableCell
from extract.readers import labels as L
from extract.readers.expand import cell_rc, col_labels, row_labels
from extract.readers.labels import Axis
from extract.tables import is_numeric
from extract.tables.context import TableContext, method_from
from schemas import Period
from schemas.mapping import Counts, HeaderCell, Role, TableMapping, TableScope
from schemas.vocab import is_known_platform, named_platforms

_PLATFORM_WORDS = ("method", "methods", "platform", "platforms", "programme", "program", "app",
                   "apps", "application", "applications", "website", "websites", "communication",
                   "social media", "messaging", "medium", "means", "keyword", "keywords", "site")
_SUSPECT_WORDS = ("suspect", "suspects", "offender", "offenders", "perpetrator", "perpetrators",
                  "defendant", "defendants", "accused", "suspect/offender", "arrested person")
_VICTIM_WORDS = ("victim", "victims", "child", "children", "complainant", "aggrieved")
_ROLE_OF: dict[Axis, Role] = {"period": "period", "gender": "gender", "age": "age",
                              "platform": "platform", "code": "code", "outcome": "outcome",
                              "total": "total", "other": "label"}


@dataclass
class GridContext:
    """What the reader knows around a table: the period in scope where it sits, the marks
    that cut periods short, the platform method, subject hints, and the table's own context
    (title, notes and the values they give the whole table)."""

    period: Period | None
    footnotes: dict[str, date]
    method: str | None
    context: str
    refs: str = ""  # what the reply says where it points at this table ("d. Age of suspect ...")
    table: TableContext = field(default_factory=TableContext)


@dataclass
class Axes:
    """What each header row (over columns) and header column (over rows) holds."""

    row_axes: list[Axis]  # one per header column
    col_axes: list[Axis]  # one per header row
    row_labels: list[list[TableCell | None]]  # [row][header col]
    col_labels: list[list[TableCell | None]]  # [column][header row]


def _data_rows(t: Table) -> list[int]:
    return [i for i in range(t.header_rows, len(t.rows)) if i not in t.total_rows]


_RATIO_HEAD = re.compile(r"%|\b(?:per\s*cent|percent(?:age)?s?|proportion|rate|change|"
                         r"difference|share)\b", re.IGNORECASE)
_RATIO_CELL = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*%\s*$|^\s*[-+]?\d+\.\d+\s*$")


def ratio_cols(t: Table) -> set[int]:
    """Columns of percentages, rates or changes (`%`, `% change`, cells `24%` or `-10.0`)
    beside the counts: not counts of anything, and not a split of the counts."""
    if t.header_rows == 0:
        return set()
    out = set()
    for c in range(t.header_cols, t.n_cols):
        head = _txt(t.cell(t.header_rows - 1, c))
        body = [_txt(t.cell(r, c)) for r in range(t.header_rows, len(t.rows))]
        filled = [x for x in body if x.strip() and x.strip() not in ("-", "–")]
        if _RATIO_HEAD.search(head) or (filled and all(_RATIO_CELL.match(x) for x in filled)):
            out.add(c)
    return out if len(out) < t.n_cols - t.header_cols else set()


def _value_cols(t: Table) -> list[int]:
    ratios = ratio_cols(t)
    return [c for c in range(t.header_cols, t.n_cols) if c not in t.total_cols | ratios]


def _txt(cell: TableCell | None) -> str:
    return cell.text if cell is not None else ""


def _vote(texts: list[str], footnotes: dict[str, date]) -> Axis:
    """The axis most labels agree on; `unknown`-like labels count for gender and age."""
    votes: Counter[str] = Counter()
    n = 0
    for text in texts:
        kind = L.classify(text, footnotes)
        if kind == "total" or not L.clean(text):
            continue
        n += 1
        votes[kind] += 1
        if kind == "gender" and L.age_band(text) == "unknown":
            votes["age"] += 1
    if not votes:
        return "other"
    best, count = max(votes.items(), key=lambda kv: (kv[1], kv[0] != "other"))
    return cast(Axis, best) if count * 2 >= n else "other"


def axes(t: Table, footnotes: dict[str, date]) -> Axes:
    """Classify each header row and header column of a table."""
    cl, rl = col_labels(t, t.header_rows, t.header_cols), row_labels(t, t.header_cols)
    cols, rows = _value_cols(t), _data_rows(t)
    col_axes = [_vote([_txt(cl[c][h]) for c in cols], footnotes) for h in range(t.header_rows)]
    row_axes = [_vote([_txt(rl[r][c]) for r in rows], footnotes) for c in range(t.header_cols)]
    return Axes(row_axes, col_axes, rl, cl)


def _corner(t: Table) -> str:
    """The words of the header rows (corner cell and column heads), numbers left out."""
    cells = [t.cell(h, c) for h in range(t.header_rows) for c in range(t.n_cols)]
    return " ".join(c.text for c in cells if c is not None and not is_numeric(c.text))


def subject(t: Table, ax: Axes, ctx: GridContext) -> tuple[Counts, str | None]:
    """What the table counts: (kind, outcome type for period-only outcome tables)."""
    kinds = set(ax.row_axes) | set(ax.col_axes)
    if "platform" in kinds or (L.mentions(_corner(t), *_PLATFORM_WORDS) and "other" in kinds
                               and (_short_heads(t) or _names_a_platform(t, ax))):
        return "platforms", None
    if "outcome" in kinds:
        return "outcomes", None
    if kinds & {"gender", "age"}:
        return _victims_or_suspects(t, ax, ctx), None
    if "other" in ax.row_axes and "period" in kinds and _outcome_caption(t):
        return "outcomes", None  # "Outcomes" over rows of outcomes the vocabulary lacks
    outcome = _title_outcome(t.title)
    if outcome:  # "Charges" over a table by code and year: outcomes, not offences
        return "outcomes", outcome
    if "code" in kinds:
        return "offences", None
    if L.mentions(_corner(t) or t.title.split("\n")[-1], *_SUSPECT_WORDS) or \
            L.mentions(ctx.refs, *_SUSPECT_WORDS):
        return "suspects", None
    return "offences", None


def _outcome_caption(t: Table) -> bool:
    """Whether the table's corner cell or its caption (a short line) says it counts
    outcomes (`Outcomes`, `Outcome of investigation`, `Disposals`)."""
    corner = _txt(t.cell(0, 0)) if t.header_rows and t.header_cols else ""
    caption = t.title.split("\n")[-1]
    return any(0 < len(text.split()) <= 5 and
               L.mentions(text, "outcome", "outcomes", "disposal", "disposals")
               for text in (corner, caption))


def _short_heads(t: Table) -> bool:
    """Whether the header cells are short names (`Method of communication`), not a sentence
    that happens to use a platform word (`Crime types where terms ... app were included`)."""
    heads = [c.text for h in range(t.header_rows) for c in t.rows[h] if not c.blank]
    return bool(heads) and all(len(h.split()) <= 6 for h in heads)


def _names_a_platform(t: Table, ax: Axes) -> bool:
    """Whether any label of the table is a known platform: words such as `app` in a header
    are not enough for a table of crime types."""
    cells = [c for labels in ax.row_labels[t.header_rows:] for c in labels if c is not None]
    cells += [c for labels in ax.col_labels[t.header_cols:] for c in labels if c is not None]
    return any(is_known_platform(L.clean(c.text)) for c in cells)


def _adult_bands(ax: Axes) -> bool:
    """Two or more age bands starting at 18 or over: suspects' ages, not children's."""
    cells = [c for labels in ax.row_labels for c in labels if c is not None]
    cells += [c for labels in ax.col_labels for c in labels if c is not None]
    lows = set()
    for c in cells:
        band = L.age_band(c.text) or ""
        m = re.match(r"(\d+)", band)
        if m and int(m.group(1)) >= 18:
            lows.add(band)
    return len(lows) >= 2


# A line that ends by stating its own count (`The number of offenders ... is 58.`, `...
# Total Count 32`) is a figure of its own above the table, not the table's caption.
_STATED_COUNT = re.compile(r"(?:\b(?:is|was|were|are|total|count)|[:=\-–—])\s*\d[\d,]*\s*\.?\s*$",
                           re.IGNORECASE)


def _own_words(t: Table) -> list[str]:
    """The table's own words, nearest first: its header cells, then its caption lines from
    the bottom up, leaving out lines that state a count of their own."""
    caption = [ln for ln in reversed(t.title.split("\n")) if not _STATED_COUNT.search(ln)]
    return [_corner(t), *caption]


def _victims_or_suspects(t: Table, ax: Axes, ctx: GridContext) -> Counts:
    """Whose ages a table gives: the table's own words first (the nearest that names either
    decides: `Victim Age` in the header beats a suspect sentence above), then its bands,
    then what the reply says about it elsewhere; victims when nothing says."""
    for words in _own_words(t):
        if L.mentions(words, *_SUSPECT_WORDS):
            return "suspects"
        if L.mentions(words, *_VICTIM_WORDS):
            return "victims"
    if _adult_bands(ax) or L.mentions(ctx.refs, *_SUSPECT_WORDS):
        return "suspects"
    return "victims"


def _title_outcome(title: str) -> str | None:
    """a title ending `... where the outcome was 'Caution'` -> caution."""
    last = title.split("\n")[-1]
    m = re.search(r"outcome\s+(?:was|of|is|type)?\s*['\"‘“]?([A-Za-z /-]{3,40}?)['\"’”]?\s*[:.]?$",
                  last, re.IGNORECASE)
    if m:
        return L.outcome(m.group(1))
    m = re.search(r"\b(charged|cautioned|arrested|arrests)\b", last, re.IGNORECASE)
    if m:
        return L.outcome(m.group(1))
    short = re.sub(r"^\W*\d{0,2}[.)]?\s*", "", last)  # "2. Charge/summons", "Charges* Year"
    found = L.outcome(short) if 0 < len(short.split()) <= 4 else None
    return found if found != "other" else None


# --- composite labels: "13 to 15 Girls" ----------------------------------------------------


def _parts(text: str) -> tuple[str, str] | None:
    """(age band, gender) of a label naming both, cut at a word boundary, or None."""
    for m in re.finditer(r"(?<=\S)\s+(?=\S)", text):
        left = text[:m.start()].strip(" -–,/")
        right = text[m.end():].strip(" -–,/")
        if L.age_band(left) and L.gender(right):
            return cast(str, L.age_band(left)), cast(str, L.gender(right))
        if L.gender(left) and L.age_band(right):
            return cast(str, L.age_band(right)), cast(str, L.gender(left))
    return None


def composite_cells(t: Table) -> list[HeaderCell]:
    """Overrides for row labels holding both an age band and a gender (`Under 10 Unknown`),
    when at least half the rows (and two or more) are such labels."""
    if t.header_cols == 0:
        return []
    inner = t.header_cols - 1
    found = []
    for r, row in enumerate(t.rows):
        parts = _parts(row[inner].text) if inner < len(row) else None
        if parts:
            found.append(HeaderCell(cell=f"r{r + 1}c{inner + 1}", role="age", value=parts[0],
                                    gender=cast(str, parts[1]), age=parts[0]))  # type: ignore[arg-type]
    return found if len(found) >= max(2, len(t.rows) // 2) else []


# --- the mapping ---------------------------------------------------------------------------


def _offence_axes_ok(t: Table, ax: Axes, skip: frozenset[int] = frozenset(),
                     skip_cols: frozenset[int] = frozenset()) -> bool:
    """An offence table needs periods or codes on an axis, and no line of other labels
    splitting its counts (crime types, areas): offences are keyed by period and code only,
    so such a split cannot be recorded. Rows in ``skip`` (comparison offences) are not read."""
    if not (set(ax.row_axes) | set(ax.col_axes)) & {"period", "code"}:
        return False
    for line, axis in enumerate(ax.row_axes):
        names = {L.clean(_txt(ax.row_labels[r][line])) for r in _data_rows(t) if r not in skip}
        if axis == "other" and len(names - {""}) >= 2 and not _describes_codes(t, ax, line):
            return False
    for line, axis in enumerate(ax.col_axes):
        names = {L.clean(_txt(ax.col_labels[c][line])) for c in _value_cols(t)
                 if c not in skip_cols}
        if axis == "other" and len(names - {""}) >= 2:
            return False
    return True


_SUBSET = re.compile(r"^\W{0,3}(?:of\s+(?:the\s+above|these|those|which|them)|"
                     r"(?:a\s+)?subset\s+of)\b", re.IGNORECASE)


def _subset(title: str) -> bool:
    """Whether the caption says the table counts part of the figures above it (`Of the
    above, with a location of dwelling`): offences keyed by period alone would then clash
    with the whole count, and the split has no place in the record."""
    return any(_SUBSET.match(line) for line in title.split("\n")[-2:])


_STATED_CODE = re.compile(
    r"(?:\b(?:HOC?|Home\s+Office(?:\s+(?:offence\s+)?code)?|code|class)\s*:?\s*|\()"
    r"(0?\d{1,3}[A-Z]?/0?\d{1,2}|0?\d{2,3}[A-Z])\b", re.IGNORECASE)


def comparison_rows(t: Table, ax: Axes) -> frozenset[int]:
    """Rows of an offence table by period whose offence the reply gives only for comparison:
    when exactly one row label states a Home Office code (`Sexual communication with a
    child (HO 71/17)`) and the others state none (`Meeting a child ... (s.15)`), the coded
    row is the offence asked about and the others are set aside."""
    if "period" not in ax.col_axes or "code" in ax.row_axes or "other" not in ax.row_axes:
        return frozenset()
    line = ax.row_axes.index("other")
    rows = _data_rows(t)
    coded = [r for r in rows if _STATED_CODE.search(_txt(ax.row_labels[r][line]))]
    return frozenset(r for r in rows if r not in coded) if len(coded) == 1 < len(rows) \
        else frozenset()


# A row or note that gives an offence only as context: not part of what was asked.
_CONTEXT_ONLY = re.compile(
    r"\b(?:(?:shown|given|included|provided)\s+(?:only\s+)?(?:for|as)\s+(?:context|comparison|"
    r"information|reference)|for\s+(?:context|comparison)\s+only|not\s+(?:part\s+of|within|"
    r"covered\s+by|included\s+in)\s+(?:your|the)\s+request|not\s+requested)\b", re.IGNORECASE)


# Non-crime incidents (NCHI) are by definition not offences: a table of them is no offence
# count. Only the caption's last line decides (the request above may name crimes too).
_NON_CRIME = re.compile(r"\bnon[- ]crime\b|\bNCHIs?\b", re.IGNORECASE)


def context_rows(t: Table, ax: Axes, notes: str) -> frozenset[int]:
    """Rows of an offence table that the reply gives only for context: the row's label says
    so (`Rape of a child under 16 (shown for context)`), or a note names the row's code and
    says so (`Code 19C is not part of your request`). Never every row."""
    said = [ln for ln in notes.split("\n") if _CONTEXT_ONLY.search(ln)]
    rows = _data_rows(t)
    out = set()
    for r in rows:
        labels = [L.clean(_txt(c)) for c in ax.row_labels[r] if c is not None]
        if any(_CONTEXT_ONLY.search(x) for x in labels):
            out.add(r)
        codes = [x for x, axis in zip(labels, ax.row_axes, strict=False) if axis == "code" and x]
        codes += [m.group(1) for x in labels for m in _STATED_CODE.finditer(x)]
        if any(re.search(rf"(?<![\w/]){re.escape(c)}(?![\w/])", ln) for c in codes
               for ln in said) or _own_word_said(t, ax, r, said):
            out.add(r)
    return frozenset(out) if len(out) < len(rows) else frozenset()


# Words every offence label may share: they name no one row.
_COMMON_LABEL_WORDS = frozenset("offence offences crime crimes child children sexual sexually "
                                "total other under with against person persons".split())


def _own_word_said(t: Table, ax: Axes, r: int, said: list[str]) -> bool:
    """Whether a context-only note names a word that only row r's label has (`Images offences
    are shown for comparison only` beside `Indecent images of children (86/2)`)."""
    def words(row: int) -> set[str]:
        text = " ".join(_txt(c) for c in ax.row_labels[row] if c is not None)
        return {w for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in _COMMON_LABEL_WORDS}
    others = set().union(*(words(o) for o in _data_rows(t) if o != r))
    own = words(r) - others
    return any(w in re.findall(r"[a-z]{5,}", ln.lower()) for w in own for ln in said)


def _describes_codes(t: Table, ax: Axes, line: int) -> bool:
    """Whether header column ``line`` only names the codes beside it (`88/1 | Meeting a
    female under 16 ...`): one description per code and one code per description, so it
    splits nothing."""
    if "code" not in ax.row_axes:
        return False
    code = ax.row_axes.index("code")
    pairs = {(L.clean(_txt(ax.row_labels[r][code])), L.clean(_txt(ax.row_labels[r][line])))
             for r in _data_rows(t)}
    codes, names = [p[0] for p in pairs], [p[1] for p in pairs]
    return len(set(codes)) == len(codes) and len(set(names)) == len(names)


def title_platform(t: Table, m: TableMapping) -> str | None:
    """The one platform the line over a table limits it to: an offence table by period
    (`offences ... where TikTok was recorded`), or a platform table with no platform header
    (`Crime reports mentioning Facebook`, years down); None for tables split by code or by
    platform, or naming several."""
    roles = m.row_roles + m.col_roles
    if m.counts == "platforms":
        if "platform" in roles or "label" in roles:
            return None
    elif m.counts != "offences" or "code" in roles:
        return None
    named = named_platforms(t.title.split("\n")[-1])
    return named[0] if len(named) == 1 else None


def _scope(ctx: GridContext, ax: Axes, outcome: str | None) -> TableScope:
    """Values for the whole table: the table's own context first, then where it sits."""
    tc = ctx.table
    period = tc.period or ctx.period
    if period is not None and tc.data_to is not None:
        period = cut_period(period, tc.data_to)
    splits_gender = "gender" in ax.row_axes or "gender" in ax.col_axes
    # a code the title names is not the table's key: an offence count is keyed by code only
    # where the table splits by code (the gold convention), so it stays out of the scope
    return TableScope(period=period, outcome=outcome, method=ctx.method,  # type: ignore[arg-type]
                      gender=None if splits_gender else tc.gender)  # type: ignore[arg-type]


def cut_period(p: Period, end: date) -> Period:
    """A period ended early by a `data up to` note, when the date falls inside it."""
    return Period(start=p.start, end=end) if p.start <= end < p.end else p


# Years that end on 31 March or 5 April, months counted to their last day or the next
# first: period conventions differ by days; a period cut short loses weeks or months.
_SLACK_DAYS = 7


def _one_labelled_year(p: Period) -> bool:
    """Whether a period is exactly one calendar or financial year."""
    return (p.start.month, p.start.day) in ((1, 1), (4, 1)) and \
        p.end == date(p.start.year + 1, p.start.month, 1) - timedelta(days=1)


def _cut_cells(t: Table, ax: Axes, ctx: GridContext) -> list[HeaderCell]:
    """Period header cells ended early, as explicit entries: by a `data up to` note, or by
    the end of the period the reply answers for (a `2024` column of a reply for 1 January
    2022 to 30 June 2024 counts to 30 June)."""
    scope = ctx.period
    if scope is not None and _one_labelled_year(scope):
        scope = None  # one year named somewhere is not where the answered period ends
    end = ctx.table.data_to or (scope.end if scope is not None else None)
    if end is None:
        return []
    out = []
    seen: set[tuple[int, int]] = set()
    for axis_list, labels in ((ax.col_axes, ax.col_labels), (ax.row_axes, ax.row_labels)):
        for line, axis in enumerate(axis_list):
            if axis != "period":
                continue
            for cells in labels:
                cell = cells[line] if line < len(cells) else None
                p = L.period_of(cell.text, ctx.footnotes) if cell is not None else None
                if cell is None or p is None or (cell.row, cell.col) in seen:
                    continue
                seen.add((cell.row, cell.col))
                if ctx.table.data_to is None and scope is not None and \
                        (p.start < scope.start or (p.end - scope.end).days <= _SLACK_DAYS):
                    continue  # reaching before the answered period, or off by a convention
                cut = cut_period(p, end)
                if cut != p:
                    out.append(HeaderCell(cell=f"r{cell.row + 1}c{cell.col + 1}", role="period",
                                          period=cut))
    return out


_OFFENCE_WORDS = ("offence", "offences", "crime", "crimes", "occurrence", "occurrences",
                  "incident", "incidents", "reports")
_PEOPLE_WORDS = (*_VICTIM_WORDS, *_SUSPECT_WORDS, "people", "persons", "individuals")


def other_subject_cells(t: Table, kind: Counts) -> list[HeaderCell]:
    """`ignore` entries for value columns whose innermost header counts another subject
    than the table (`Count of Occurrences` beside `Count of Victims` in a victims table);
    never every column, since then the header words, not the columns, are mistaken."""
    if t.header_rows == 0 or kind not in ("victims", "suspects", "offences"):
        return []
    other = _OFFENCE_WORDS if kind != "offences" else _PEOPLE_WORDS
    own = _PEOPLE_WORDS if kind != "offences" else _OFFENCE_WORDS
    h = t.header_rows - 1
    cols = _value_cols(t)
    out = []
    for c in cols:
        text = _txt(t.cell(h, c))
        if L.mentions(text, *other) and not L.mentions(text, *own):
            out.append(HeaderCell(cell=f"r{h + 1}c{c + 1}", role="ignore"))
    return out if len(out) < len(cols) else []


def ratio_cells(t: Table) -> list[HeaderCell]:
    """`ignore` entries for columns (see ``ratio_cols``) and rows (`% change`) of shares,
    rates or changes: their numbers are not counts, though they may be written as whole
    numbers beside the counts they divide."""
    out = [HeaderCell(cell=f"r{t.header_rows}c{c + 1}", role="ignore")
           for c in sorted(ratio_cols(t))]
    k = t.header_cols - 1
    if k >= 0:
        out += [HeaderCell(cell=f"r{r + 1}c{k + 1}", role="ignore")
                for r in range(t.header_rows, len(t.rows))
                if _RATIO_HEAD.search(_txt(t.cell(r, k)))]
    return out


def offence_total_cell(t: Table, m: TableMapping) -> TableCell | None:
    """The total of the one offence column a victims or suspects table not split by period
    sets aside (`Count of Occurrences`, `Sum:` row): the whole-period offence count; the
    rows above it are split by keys an offence count does not have."""
    if m.counts not in ("victims", "suspects") or not m.total_rows or \
            "period" in m.row_roles + m.col_roles:
        return None
    h = m.header_rows - 1
    cols = [int(c.cell.split("c")[1]) - 1 for c in m.cells if c.role == "ignore" and
            c.cell.startswith(f"r{h + 1}c")]
    cols = [c for c in cols if L.mentions(_txt(t.cell(h, c)), *_OFFENCE_WORDS)]
    return t.cell(max(m.total_rows) - 1, cols[0]) if len(cols) == 1 else None


def _subtotal_rows(t: Table) -> set[int]:
    """Rows whose label says they total a group of rows (`2020/21 total`, `Total 2022`)."""
    return {r for r in range(t.header_rows, len(t.rows))
            if any(L.is_subtotal(c.text) for c in t.rows[r][:t.header_cols])}


def _outer_period(labels: list[TableCell | None], roles: list[Axis], line: int,
                  footnotes: dict[str, date]) -> Period | None:
    """The period an outer header line gives a row or column (a year over its quarters)."""
    for j in reversed(range(line)):
        cell = labels[j] if j < len(labels) else None
        if roles[j] == "period" and cell is not None:
            return L.period_of(cell.text, footnotes)
    return None


def _other_axis_period(labels: list[list[TableCell | None]], roles: list[Axis],
                       footnotes: dict[str, date]) -> Period | None:
    """A period the other axis names (the year of a row, for quarter columns)."""
    for line, role in enumerate(roles):
        if role != "period":
            continue
        for cells in labels:
            cell = cells[line] if line < len(cells) else None
            p = L.period_of(cell.text, footnotes) if cell is not None else None
            if p is not None:
                return p
    return None


def within_lines(t: Table, ax: Axes, ctx: GridContext, scope: Period | None) -> None:
    """Header lines of quarters or months (`Q1 (Apr-Jun)`, `January`) inside the year an
    outer line, the other axis or the table's scope states become `period` lines (expand
    reads each label inside that year). Two such labels at least, and most of the line's."""
    sides = ((ax.row_axes, ax.row_labels, _data_rows(t), ax.col_labels, ax.col_axes),
             (ax.col_axes, ax.col_labels, _value_cols(t), ax.row_labels, ax.row_axes))
    for roles, labels, items, other, other_roles in sides:
        across = _other_axis_period(other, other_roles, ctx.footnotes)
        for line, axis in enumerate(roles):
            if axis != "other":
                continue
            names = {L.clean(_txt(labels[i][line])) for i in items} - {""}
            inside = set()
            for i in items:
                cell = labels[i][line]
                outer = _outer_period(labels[i], roles, line, ctx.footnotes) or across or scope
                if cell is not None and L.period_within(cell.text, outer) is not None:
                    inside.add(L.clean(cell.text))
            if len(inside) >= 2 and len(inside) * 2 >= len(names):
                roles[line] = "period"


# A financial year written with two-digit years (`22/23`, `FY 23-24`): alone it reads as a
# code (`22/23`) or an age band (`22-23`); in a line of them each ends where the next starts.
_SHORT_FY = re.compile(r"^\s*(FY\s*)?(\d{2})\s*[/-]\s*(\d{2})\s*[*^†‡§¶#¹²³⁴⁵⁶⁷⁸⁹]*\s*$",
                       re.IGNORECASE)


def _short_fy(text: str) -> tuple[int, bool] | None:
    """(first year, `FY` written) of a two-digit financial year label, or None."""
    m = _SHORT_FY.match(text)
    if not m or (int(m.group(2)) + 1) % 100 != int(m.group(3)):
        return None
    yy = int(m.group(2))
    return (2000 + yy if yy < 50 else 1900 + yy), bool(m.group(1))


def _fy_line(cells: list[TableCell]) -> list[HeaderCell] | None:
    """Period entries for a header line of two-digit financial years: every label one, and
    either two or more running on year by year or each marked `FY`."""
    found = [(c, _short_fy(c.text)) for c in cells]
    if not found or any(f is None for _, f in found):
        return None
    years = [f[0] for _, f in found if f is not None]
    run = len(years) >= 2 and all(b - a == 1 for a, b in zip(years, years[1:], strict=False))
    if not run and not all(f[1] for _, f in found if f is not None):
        return None
    return [HeaderCell(cell=f"r{c.row + 1}c{c.col + 1}", role="period",
                       period=Period(start=date(y, 4, 1), end=date(y + 1, 3, 31)))
            for c, y in zip([c for c, _ in found], years, strict=True)]


def short_year_cells(t: Table, ax: Axes) -> list[HeaderCell]:
    """Entries for header lines of two-digit financial years, whose axis becomes `period`."""
    out: list[HeaderCell] = []
    lines = [(ax.col_axes, h, [ax.col_labels[c][h] for c in _value_cols(t)])
             for h in range(len(ax.col_axes))]
    lines += [(ax.row_axes, k, [ax.row_labels[r][k] for r in _data_rows(t)])
              for k in range(len(ax.row_axes))]
    for axis_list, i, labels in lines:
        cells = list({(c.row, c.col): c for c in labels if c is not None}.values())
        entries = _fy_line([c for c in cells if L.clean(c.text)])
        if entries:
            axis_list[i] = "period"
            out += entries
    return out


def numbered_answers(t: Table) -> bool:
    """Whether a list's labels are only the numbers of the questions it answers, one after
    another (`4: None`, `5: None`): answers, not counts keyed by age or code."""
    labels = [r[-2].text for r in t.rows if len(r) >= 2]
    if t.source != "keyword" or not labels or \
            not all(x.isdigit() and len(x) <= 2 for x in labels):
        return False
    nums = [int(x) for x in labels]
    return all(b == a + 1 for a, b in zip(nums, nums[1:], strict=False))


def map_table(doc: Document, t: Table, ctx: GridContext) -> TableMapping:
    """The rules reader's mapping of one annotated table (``counts == "none"``: not read)."""
    t = replace(t, total_rows=t.total_rows | _subtotal_rows(t))
    ax = axes(t, ctx.footnotes)
    within_lines(t, ax, ctx, _scope(ctx, ax, None).period)
    short_years = short_year_cells(t, ax)
    composite = composite_cells(t)
    row_roles = [_ROLE_OF[a] for a in ax.row_axes]
    if composite:
        row_roles[-1] = "age"
    kind, outcome = subject(t, ax, ctx)
    if kind == "outcomes" and outcome is None and "outcome" not in ax.row_axes + ax.col_axes:
        row_roles[row_roles.index("label")] = "outcome"  # labels read as outcomes, else other
    if composite and kind not in ("victims", "suspects"):
        kind = _victims_or_suspects(t, ax, ctx)
    ratios = ratio_cells(t)
    at = [cell_rc(h.cell) for h in ratios]
    ratio_rows = frozenset(r for r, _ in at if r >= t.header_rows)
    ratio_cols = frozenset(c for r, c in at if r < t.header_rows)
    skip = comparison_rows(t, ax) | context_rows(t, ax, ctx.table.notes) \
        if kind == "offences" else frozenset()
    unreadable = (t.header_cols == 0 and t.source != "keyword") or numbered_answers(t) or \
        (kind == "offences" and (not _offence_axes_ok(t, ax, skip | ratio_rows, ratio_cols)
                                 or _subset(t.title) or _NON_CRIME.search(t.title.split("\n")[-1])))
    set_aside = [HeaderCell(cell=f"r{r + 1}c{t.header_cols}", role="ignore") for r in sorted(skip)]
    return TableMapping(
        table=t.id or "T?", counts="none" if unreadable else kind,
        header_rows=t.header_rows, header_cols=t.header_cols,
        col_roles=[_ROLE_OF[a] for a in ax.col_axes], row_roles=row_roles,
        cells=composite + short_years + _cut_cells(t, ax, ctx) + other_subject_cells(t, kind) +
        set_aside + ratios,
        total_rows=sorted(r + 1 for r in t.total_rows),
        total_cols=sorted(c + 1 for c in t.total_cols),
        scope=_scope(ctx, ax, outcome), blank_is_nil=ctx.table.blank_is_nil,
        suppression_marks=ctx.table.suppression_marks,
    )


def _column_subject(text: str) -> str | None:
    """What a count column's head says it counts: `offences` (`Crimes`), an outcome type
    (`Charged`; `other` for an outcome outside the vocabulary: `Positive Outcomes`)."""
    found = L.outcome(text)
    if found:
        return found
    if L.mentions(text, "outcome", "outcomes", "disposal", "disposals"):
        return "other"
    return "offences" if L.mentions(text, *_OFFENCE_WORDS) else None


def by_column_subject(t: Table, m: TableMapping) -> list[TableMapping]:
    """A table by period whose count columns count different things (`Crimes` beside
    `Positive Outcomes`) as one mapping per subject, the other columns ignored; the mapping
    alone when its columns share one subject."""
    if t.header_rows != 1 or m.counts not in ("none", "offences") or \
            "period" not in m.row_roles or "code" in m.row_roles:
        return [m]
    cols = _value_cols(t)
    subjects = {c: _column_subject(_txt(t.cell(0, c))) for c in cols}
    offence_cols = [c for c in cols if subjects[c] == "offences"]
    if None in subjects.values() or not offence_cols or len(offence_cols) == len(cols):
        return [m]
    ignore = [HeaderCell(cell=f"r1c{c + 1}", role="ignore") for c in cols]
    outcome_cells = [HeaderCell(cell=f"r1c{c + 1}", role="outcome", value=subjects[c])
                     for c in cols if c not in offence_cols]
    offences = m.model_copy(update={"counts": "offences", "col_roles": ["label"], "cells": [
        *m.cells, *(h for h in ignore if int(h.cell[3:]) - 1 not in offence_cols)]})
    outcomes = m.model_copy(update={"counts": "outcomes", "col_roles": ["outcome"], "cells": [
        *m.cells, *outcome_cells, *(h for h in ignore if int(h.cell[3:]) - 1 in offence_cols)]})
    return [offences, outcomes]


_ROW_FILLER = frozenset(("number", "no", "count", "of", "recorded", "reported", "identified",
                         "linked", "all", "total"))
_SUBJECTS: tuple[tuple[Counts, tuple[str, ...]], ...] = (
    ("suspects", _SUSPECT_WORDS), ("victims", _VICTIM_WORDS), ("offences", _OFFENCE_WORDS))


@dataclass
class RowSubject:
    """What one row label counts: the subject, and the gender and age it names."""

    kind: Counts
    gender: str | None = None
    age: str | None = None


def row_subject(label: str) -> RowSubject | None:
    """The subject a row label names with the keys it adds (`Victims - female` -> victims,
    female; `Offences recorded` -> offences), or None: no subject word, or other words
    that split it in a way the record has no key for (`Offences online`)."""
    words = re.findall(r"\w[\w/+-]*", L.clean(label).lower())  # `13-15` stays one word
    kind = next((k for k, subject_words in _SUBJECTS
                 if any(w in subject_words for w in words)), None)
    if kind is None:
        return None
    rest = [w for w in words if w not in (*_SUSPECT_WORDS, *_VICTIM_WORDS, *_OFFENCE_WORDS)]
    for cand in (" ".join(rest), " ".join(w for w in rest if w not in _ROW_FILLER)):
        if not cand:
            return RowSubject(kind)
        if kind == "offences":
            continue
        parts = _parts(cand)
        if parts:
            return RowSubject(kind, parts[1], parts[0])
        if L.gender(cand) or L.age_band(cand):
            return RowSubject(kind, L.gender(cand), L.age_band(cand))
    return None


def _subject_cells(kind: Counts, cells: list[tuple[str, RowSubject]]) -> list[HeaderCell]:
    """Entries for one subject's mapping: its rows keyed by their gender and age, every
    other row ignored."""
    out = []
    for cid, rs in cells:
        if rs.kind != kind:
            out.append(HeaderCell(cell=cid, role="ignore"))
        elif kind != "offences":  # the label's own gender, `all` when it names none
            out.append(HeaderCell(cell=cid, role="gender", value=rs.gender or "all",
                                  age=rs.age))
    return out


def by_row_subject(t: Table, m: TableMapping) -> list[TableMapping]:
    """A table whose rows count different subjects (`Offences recorded`, `Victims - female`,
    `Victims - male`) with periods across, as one mapping per subject with the other rows
    ignored; the mapping alone unless every row names its subject and there are two
    subjects (or the table was not read otherwise)."""
    if m.header_cols < 1 or m.row_roles[-1:] != ["label"] or "period" not in m.col_roles:
        return [m]
    inner = m.header_cols - 1
    rows = [r for r in range(m.header_rows, len(t.rows)) if r + 1 not in m.total_rows]
    found = [(f"r{r + 1}c{inner + 1}", row_subject(_txt(t.cell(r, inner)))) for r in rows]
    named = [(cid, rs) for cid, rs in found if rs is not None]
    kinds = {rs.kind for _, rs in named}
    if not rows or len(named) < len(found) or (len(kinds) < 2 and m.counts != "none"):
        return [m]
    out = []
    for kind in sorted(kinds):
        role: Role = "label" if kind == "offences" else "gender"
        out.append(m.model_copy(update={
            "counts": kind, "row_roles": [*m.row_roles[:-1], role],
            "cells": [*m.cells, *_subject_cells(kind, named)]}))
    return out


def by_column_people(t: Table, m: TableMapping) -> list[TableMapping]:
    """A table by period whose count columns count different subjects (`Offences` beside
    `Victims`, `Female victims`) as one mapping per subject, the other columns ignored;
    the mapping alone unless every column names its subject and there are two."""
    if m.header_rows < 1 or m.col_roles[-1] not in ("label", "gender", "age") or \
            "period" not in m.row_roles:
        return [m]
    h = m.header_rows - 1
    cols = [c for c in range(m.header_cols, t.n_cols) if c + 1 not in m.total_cols]
    found = [(f"r{h + 1}c{c + 1}", row_subject(_txt(t.cell(h, c)))) for c in cols]
    named = [(cid, rs) for cid, rs in found if rs is not None]
    kinds = {rs.kind for _, rs in named}
    if not cols or len(named) < len(found) or len(kinds) < 2:
        return [m]
    # the subject split replaces any column the mapping set aside as another subject's
    base = [x for x in m.cells if not (x.role == "ignore" and x.cell.startswith(f"r{h + 1}c"))]
    return [m.model_copy(update={
        "counts": kind, "col_roles": [*m.col_roles[:-1], "label" if kind == "offences"
                                      else "gender"],
        "cells": [*base, *_subject_cells(kind, named)]}) for kind in sorted(kinds)]


def by_offence_column(t: Table, m: TableMapping) -> list[TableMapping]:
    """A platform table by period with a column of offence counts beside the platforms
    (`Month | Offences | Snapchat | Instagram`) as two mappings: the offence column read as
    offences, the platform columns as platforms. The mapping alone otherwise."""
    if t.header_rows != 1 or m.counts != "platforms" or "period" not in m.row_roles:
        return [m]
    cols = _value_cols(t)
    heads = {c: _txt(t.cell(0, c)) for c in cols}
    offence_cols = [c for c in cols if L.mentions(heads[c], *_OFFENCE_WORDS)
                    and not is_known_platform(heads[c])]
    if len(offence_cols) != 1 or len(cols) < 3:
        return [m]
    ignore = {c: HeaderCell(cell=f"r1c{c + 1}", role="ignore") for c in cols}
    offences = m.model_copy(update={"counts": "offences", "col_roles": ["label"], "cells": [
        *m.cells, *(h for c, h in ignore.items() if c not in offence_cols)]})
    platforms = m.model_copy(update={"cells": [*m.cells, ignore[offence_cols[0]]]})
    return [offences, platforms]


def by_subject(t: Table, m: TableMapping) -> list[TableMapping]:
    """One mapping per subject a table counts: split by its columns' heads (`Crimes` beside
    `Positive Outcomes`, `Offences` beside `Victims`) or by its rows' labels (`Offences
    recorded` over `Victims - male`)."""
    for split in (by_column_subject, by_column_people, by_offence_column):
        parts = split(t, m)
        if len(parts) > 1:
            return parts
    return by_row_subject(t, m)


def _counts_signature(t: Table, m: TableMapping) -> tuple[str, ...]:
    """The table's count cells in order (its shape and numbers, not its words)."""
    body = [c.text for r in t.rows[m.header_rows:] for c in r[m.header_cols:]]
    return (f"{len(t.rows)}x{t.n_cols}", *body)


def _resolved(m: TableMapping) -> int:
    """How much of a mapping the labels resolved: header lines with a known role."""
    roles = [*m.col_roles, *m.row_roles]
    return (m.counts != "none") * 10 + sum(r not in ("label", "ignore") for r in roles)


Mapped = tuple[Table, TableMapping, GridContext]


def one_language(mapped: list[Mapped]) -> list[Mapped]:
    """Drop a table that repeats another's numbers cell for cell in another language (a
    bilingual letter's Welsh and English copies): of the two, the one whose labels the
    parsers resolve is kept. Tables said to count different genders are never merged."""
    keep: dict[tuple[str, ...], int] = {}
    out: list[Mapped | None] = []
    for item in mapped:
        t, m, ctx = item
        sig = _counts_signature(t, m)
        numbers = sum(bool(re.search(r"\d", x)) for x in sig[1:])
        key = (*sig, ctx.table.gender or "")
        seen = keep.get(key)
        if numbers < 3 or seen is None:
            keep.setdefault(key, len(out))
            out.append(item)
            continue
        prev = out[seen]
        assert prev is not None
        if _resolved(m) > _resolved(prev[1]):
            out[seen] = None
            keep[key] = len(out)
            out.append(item)
    return [x for x in out if x is not None]


def _header_periods(t: Table, m: TableMapping, ctx: GridContext) -> list[Period]:
    """The periods a table's period headers name (explicit entries win over the text)."""
    out = []
    lines = [(h, labels) for h, role in enumerate(m.col_roles) if role == "period"
             for labels in [col_labels(t, m.header_rows, m.header_cols)]]
    cells = [cs[h] for h, labels in lines for cs in labels if h < len(cs)]
    rl = row_labels(t, m.header_cols)
    cells += [cs[k] for k, role in enumerate(m.row_roles) if role == "period"
              for cs in rl[m.header_rows:] if k < len(cs)]
    for cell in cells:
        if cell is None:
            continue
        h = m.cell_override(cell.row + 1, cell.col + 1)
        p = h.period if h is not None and h.period is not None else \
            L.period_of(cell.text, ctx.footnotes)
        if p is not None:
            out.append(p)
    return out


def fill_unscoped(mapped: list[Mapped]) -> None:
    """A table with no period anywhere (none in its headers, its caption or the text around
    the tables) gets the whole period the reply's other tables cover, split by period: the
    reply answers for that one period (the union, as for a whole-period total)."""
    spans = [p for t, m, ctx in mapped for p in _header_periods(t, m, ctx)]
    if not spans:
        return
    whole = Period(start=min(p.start for p in spans), end=max(p.end for p in spans))
    for _, m, _ in mapped:
        if m.scope.period is None and "period" not in m.col_roles + m.row_roles and \
                m.counts != "none":
            m.scope.period = whole


__all__ = ["GridContext", "by_column_people", "by_column_subject", "by_row_subject", "by_subject",
           "fill_unscoped", "map_table", "method_from", "offence_total_cell", "one_language",
           "title_platform"]
