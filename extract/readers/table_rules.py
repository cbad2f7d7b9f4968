"""The rules reader's TableMapping: what a table counts and what each header line holds.

Heuristics only decide the mapping (axes by vote of their labels, the subject from the
table's own words and its context, totals from the annotated grid); ``expand`` then reads the
cells. A model produces the same ``TableMapping`` type, so the two are compared on it.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from extract.document import Document, Table, TableCell
from extract.readers import labels as L
from extract.readers.expand import col_labels, data_rows, row_labels
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


def _ratio_cells(t: Table) -> list[HeaderCell]:
    """`ignore` entries for the ratio columns (see ``ratio_cols``)."""
    return [HeaderCell(cell=f"r{t.header_rows}c{c + 1}", role="ignore") for c in ratio_cols(t)]


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
    outcome = _title_outcome(t.title)
    if outcome:  # "Charges" over a table by code and year: outcomes, not offences
        return "outcomes", outcome
    if "code" in kinds:
        return "offences", None
    if L.mentions(_corner(t) or t.title.split("\n")[-1], *_SUSPECT_WORDS) or \
            L.mentions(ctx.refs, *_SUSPECT_WORDS):
        return "suspects", None
    return "offences", None


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


# A Home Office code named inside an offence's label: `Sexual communication (HO 71/17)`.
_LABEL_CODE = re.compile(r"(?:\b(?:HO|HOC|code|class)\s*|\(\s*)(\d{1,3}[A-Z]?/\d{1,2})(?![\w/])",
                         re.IGNORECASE)


def coded_row_cells(t: Table, ax: Axes) -> list[HeaderCell]:
    """`ignore` entries for the other rows of a table of offences by name where exactly one
    row names its Home Office code: that row is the offence asked about; the others are
    shown for comparison and are not its counts."""
    if len(ax.row_axes) != 1 or ax.row_axes[0] != "other" or \
            not set(ax.col_axes) & {"period", "total"}:
        return []
    rows = _data_rows(t)
    coded = [r for r in rows if _LABEL_CODE.search(_txt(ax.row_labels[r][0]))]
    if len(coded) != 1 or len(rows) < 2:
        return []
    return [HeaderCell(cell=f"r{r + 1}c1", role="ignore") for r in rows if r != coded[0]]


def _offence_axes_ok(t: Table, ax: Axes, skip: set[int] | None = None) -> bool:
    """An offence table needs periods or codes on an axis, and no line of other labels
    splitting its counts (crime types, areas): offences are keyed by period and code only,
    so such a split cannot be recorded. ``skip``: rows the mapping ignores."""
    if not (set(ax.row_axes) | set(ax.col_axes)) & {"period", "code"}:
        return False
    for line, axis in enumerate(ax.row_axes):
        names = {L.clean(_txt(ax.row_labels[r][line])) for r in _data_rows(t)
                 if r not in (skip or set())}
        if axis == "other" and len(names - {""}) >= 2 and not _describes_codes(t, ax, line):
            return False
    for line, axis in enumerate(ax.col_axes):
        names = {L.clean(_txt(ax.col_labels[c][line])) for c in _value_cols(t)}
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


_MONTH = re.compile(r"^\s*([A-Za-z]{3,9})\.?\s*[*^†‡§¶#¹²³⁴⁵⁶⁷⁸⁹]*\s*$")


def _month(text: str) -> int | None:
    """1-12 for a month named alone (`January`, `Sept`), else None."""
    m = _MONTH.match(text)
    word = m.group(1).lower() if m else ""
    for i, full in enumerate(calendar.month_name[1:], start=1):
        if len(word) >= 3 and (full.lower().startswith(word) or (word == "sept" and i == 9)):
            return i
    return None


def _in_scope(month: int, scope: Period) -> Period | None:
    """The month of that name inside the scope period (the one year it can fall in)."""
    found = []
    for yr in range(scope.start.year, scope.end.year + 1):
        last = calendar.monthrange(yr, month)[1]
        p = Period(start=date(yr, month, 1), end=date(yr, month, last))
        if scope.start <= p.start and p.end <= scope.end:
            found.append(p)
    return found[0] if len(found) == 1 else None


def month_cells(t: Table, ax: Axes, scope: Period | None) -> list[HeaderCell]:
    """Entries for a header line of bare month names, month spans or quarters (`January`,
    `Q1 (Jan-Mar)` under `Crimes recorded in 2024`): each its part of the table's scope
    period; the axis becomes `period`. Nothing when a month could fall in two years of it."""
    if scope is None:
        return []
    out: list[HeaderCell] = []
    lines = [(ax.col_axes, h, [ax.col_labels[c][h] for c in _value_cols(t)])
             for h in range(len(ax.col_axes))]
    lines += [(ax.row_axes, k, [ax.row_labels[r][k] for r in _data_rows(t)])
              for k in range(len(ax.row_axes))]
    for axis_list, i, labels in lines:
        cells = [c for c in {(c.row, c.col): c for c in labels if c is not None}.values()
                 if L.clean(c.text)]
        # bare months, month spans or quarters (`Q1 (Jan-Mar)`) of the scope period
        periods = [sub_period(c.text, scope) for c in cells]
        if axis_list[i] != "other" or len(cells) < 2 or any(p is None for p in periods):
            continue
        axis_list[i] = "period"
        out += [HeaderCell(cell=f"r{c.row + 1}c{c.col + 1}", role="period", period=p)
                for c, p in zip(cells, periods, strict=True) if p is not None]
    return out


_QUARTER = re.compile(r"^\s*Q(?:uarter)?\s*([1-4])\b", re.IGNORECASE)
_MONTH_SPAN = re.compile(r"\b([A-Za-z]{3,9})\.?\s*(?:-|–|to)\s*([A-Za-z]{3,9})\b")


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + d.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


def sub_period(label: str, parent: Period) -> Period | None:
    """The part of a parent period a label names: `Q2` (its second quarter, counted from
    the parent's start: July-September of a financial year), `Apr-Jun`, or a month."""
    span = _MONTH_SPAN.search(label)
    if span and _month(span.group(1)) and _month(span.group(2)):
        first = _in_scope(cast(int, _month(span.group(1))), parent)
        last = _in_scope(cast(int, _month(span.group(2))), parent)
        if first and last and first.start <= last.end:
            return Period(start=first.start, end=last.end)
    q = _QUARTER.match(label)
    if q:
        start = _add_months(parent.start.replace(day=1), 3 * (int(q.group(1)) - 1))
        end = _add_months(start, 3) - timedelta(days=1)
        return Period(start=start, end=end) if end <= parent.end else None
    m = _month(label)
    return _in_scope(m, parent) if m else None


def sub_period_cells(t: Table, ax: Axes, footnotes: dict[str, date]) -> list[HeaderCell]:
    """Entries for an inner header column of quarters or months under an outer column of
    periods (`2020/21` over `Q1 (Apr-Jun)` ... `Q4 (Jan-Mar)`): each the part of its row's
    outer period it names; the inner axis becomes `period`."""
    out: list[HeaderCell] = []
    for k in range(1, len(ax.row_axes)):
        if ax.row_axes[k] != "other" or "period" not in ax.row_axes[:k]:
            continue
        outer = ax.row_axes[:k].index("period")
        found = []
        for r in _data_rows(t):
            cell, parent_cell = ax.row_labels[r][k], ax.row_labels[r][outer]
            parent = L.period_of(parent_cell.text, footnotes) if parent_cell else None
            part = sub_period(cell.text, parent) if cell and parent else None
            if cell is not None and part is not None:
                found.append(HeaderCell(cell=f"r{cell.row + 1}c{cell.col + 1}", role="period",
                                        period=part))
            elif cell is not None and L.clean(cell.text):
                found = []
                break
        if len(found) >= 2:
            ax.row_axes[k] = "period"
            out += found
    return out


_OUTCOME_WORDS = ("outcome", "outcomes", "disposal", "disposals", "result", "results")


def outcome_rows(t: Table, ax: Axes) -> bool:
    """Whether a table of named rows by period counts outcomes: its corner or its caption
    says so (`Outcomes`), its one row-label line is names the vocabulary may not know (`No
    Action`, `Dismissed`: outcomes outside it are `other`)."""
    if ax.row_axes != ["other"] or not set(ax.col_axes) <= {"period", "total", "other"} or \
            "period" not in ax.col_axes:
        return False
    caption = next((ln for ln in _own_words(t)[1:] if ln.strip()), "")
    return L.mentions(_corner(t), *_OUTCOME_WORDS) or \
        (len(caption.split()) <= 4 and L.mentions(caption, *_OUTCOME_WORDS))


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
    ax = axes(t, ctx.footnotes)
    short_years = short_year_cells(t, ax)
    short_years += sub_period_cells(t, ax, ctx.footnotes)  # parts of an outer period first
    short_years += month_cells(t, ax, ctx.table.period or ctx.period)
    composite = composite_cells(t)
    row_roles = [_ROLE_OF[a] for a in ax.row_axes]
    if composite:
        row_roles[-1] = "age"
    kind, outcome = subject(t, ax, ctx)
    if kind == "offences" and outcome_rows(t, ax):  # `Outcomes` over `No Action`, `Dismissed`
        kind, row_roles = "outcomes", ["outcome"]
    if composite and kind not in ("victims", "suspects"):
        kind = _victims_or_suspects(t, ax, ctx)
    coded = coded_row_cells(t, ax) if kind == "offences" else []
    skip = {int(h.cell[1:].split("c")[0]) - 1 for h in coded}
    unreadable = (t.header_cols == 0 and t.source != "keyword") or numbered_answers(t) or \
        (kind == "offences" and (not _offence_axes_ok(t, ax, skip) or _subset(t.title)))
    return TableMapping(
        table=t.id or "T?", counts="none" if unreadable else kind,
        header_rows=t.header_rows, header_cols=t.header_cols,
        col_roles=[_ROLE_OF[a] for a in ax.col_axes], row_roles=row_roles,
        cells=composite + short_years + _cut_cells(t, ax, ctx) + other_subject_cells(t, kind) +
        coded + _ratio_cells(t),
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


_SUBJECT_WORDS: dict[str, tuple[str, ...]] = {
    "offences": _OFFENCE_WORDS, "victims": _VICTIM_WORDS, "suspects": _SUSPECT_WORDS}


def _row_subject(text: str) -> tuple[str, str | None] | None:
    """(subject, gender) a row label names (`Victims - female`, `Offences recorded`)."""
    found = [k for k, words in _SUBJECT_WORDS.items() if L.mentions(text, *words)]
    if len(found) != 1:
        return None
    rest = re.sub(r"\b(?:" + "|".join(_SUBJECT_WORDS[found[0]]) + r")\b", " ", text,
                  flags=re.IGNORECASE)
    rest = " ".join(re.sub(r"[^\w\s]", " ", rest).split())
    return found[0], (L.gender(rest) if rest else None)


def by_row_subject(t: Table, m: TableMapping) -> list[TableMapping]:
    """A table whose rows count different things (`Offences recorded` over `Victims -
    female`, `Victims - male`) as one mapping per subject, the other rows ignored; a gender
    a row names is its own. The mapping alone when its rows share one subject."""
    if m.header_cols != 1 or m.counts not in ("none", "offences", "victims", "suspects") or \
            "period" not in m.col_roles:
        return [m]
    rows = data_rows(t, m)
    subjects = {r: _row_subject(_txt(t.cell(r, 0))) for r in rows}
    kinds = {v[0] for v in subjects.values() if v is not None}
    if None in subjects.values() or len(kinds) < 2:
        return [m]
    out = []
    for kind in sorted(kinds):
        cells = [HeaderCell(cell=f"r{r + 1}c1", role="ignore") for r in rows
                 if subjects[r] is not None and cast(tuple[str, str], subjects[r])[0] != kind]
        genders = [HeaderCell(cell=f"r{r + 1}c1", role="gender",
                              value=cast(tuple[str, str], subjects[r])[1] or "all")
                   for r in rows if subjects[r] is not None and
                   cast(tuple[str, str], subjects[r])[0] == kind]
        people = kind != "offences"
        out.append(m.model_copy(update={
            "counts": kind, "row_roles": ["gender" if people else "label"],
            "cells": [*m.cells, *cells, *(genders if people else [])]}))
    return out


def by_column_people(t: Table, m: TableMapping) -> list[TableMapping]:
    """A table by period whose count columns count different subjects (`Offences`,
    `Victims`, `Suspects`, `Female victims`) as one mapping per subject, the other columns
    ignored; a gender a column names is its own. The mapping alone otherwise."""
    if t.header_rows < 1 or m.header_cols < 1 or "period" not in m.row_roles or \
            m.counts not in ("none", "offences", "victims", "suspects"):
        return [m]
    h = t.header_rows - 1
    cols = [c for c in range(m.header_cols, t.n_cols) if c + 1 not in m.total_cols and
            c not in ratio_cols(t)]
    subjects = {c: _row_subject(_txt(t.cell(h, c))) for c in cols}
    kinds = {v[0] for v in subjects.values() if v is not None}
    if None in subjects.values() or len(kinds) < 2:
        return [m]
    own = [x for x in m.cells if not (x.role == "ignore" and x.cell.startswith(f"r{h + 1}c"))]
    out = []
    for kind in sorted(kinds):
        chosen = [c for c in cols if cast(tuple[str, str], subjects[c])[0] == kind]
        cells = [HeaderCell(cell=f"r{h + 1}c{c + 1}", role="ignore") for c in cols
                 if c not in chosen]
        people = kind != "offences"
        genders = [HeaderCell(cell=f"r{h + 1}c{c + 1}", role="gender",
                              value=cast(tuple[str, str], subjects[c])[1] or "all")
                   for c in chosen] if people else []
        roles = list(m.col_roles)
        roles[h] = "gender" if people else "label"
        out.append(m.model_copy(update={"counts": kind, "col_roles": roles,
                                        "cells": [*own, *cells, *genders]}))
    return out


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


__all__ = ["GridContext", "by_column_people", "by_column_subject", "by_row_subject",
           "fill_unscoped", "map_table", "method_from", "offence_total_cell", "one_language",
           "title_platform"]
