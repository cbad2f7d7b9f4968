"""Interpret a table: which axis is which, what it counts, and its cells as record values.

Totals are used to check the cells and to prove blanks and dashes are nil; they are not
stored, except an offence table's grand total (the whole-period offence count).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from extract.document import Document, Table, TableCell
from extract.readers import labels as L
from extract.readers.labels import Axis
from extract.tables import is_numeric
from schemas import Cell, Evidence, Flag, OffenceCount, OutcomeRow, Period, PlatformRow
from schemas.vocab import canonical_outcome, canonical_platforms, fold

_SUPPRESSED = re.compile(
    r"^\s*(\*+|x|<\s*\d+|1\s*-\s*4|(fewer|less|under) than (five|5|ten|10)|under (five|5)|"
    r"suppressed|redacted|\[?redacted\]?|~)\s*$", re.IGNORECASE)
_BLANK = re.compile(r"^\s*(-|–|—|)\s*$")
_NIL = re.compile(r"^\s*(nil(\s+return)?|none|zero|no\s+offences?)\s*$", re.IGNORECASE)
_PLATFORM_WORDS = ("method", "methods", "platform", "platforms", "programme", "program", "app",
                   "apps", "application", "applications", "website", "websites", "communication",
                   "social media", "messaging", "medium", "means", "keyword", "keywords", "site")
_SUSPECT_WORDS = ("suspect", "suspects", "offender", "offenders", "perpetrator", "perpetrators",
                  "defendant", "defendants", "accused", "suspect/offender", "arrested person")
_VICTIM_WORDS = ("victim", "victims", "child", "children", "complainant", "aggrieved")


@dataclass
class Value:
    """A cell's meaning: a count, suppressed, a blank/dash (unknown until totals prove it)."""

    count: int | None
    suppressed: bool = False
    blank: bool = False


def read_value(text: str) -> Value | None:
    """Parse a count cell; None for text that is not a count."""
    t = text.strip().strip("^†‡")
    if _SUPPRESSED.match(t):
        return Value(None, suppressed=True)
    if _BLANK.match(t):
        return Value(None, blank=True)
    if _NIL.match(t):
        return Value(0)
    m = re.fullmatch(r"(\d[\d,]*)\*?", t)
    if m:
        return Value(int(m.group(1).replace(",", "")))
    return None


@dataclass
class Axes:
    """What each header row (over columns) and header column (over rows) holds."""

    row_axes: list[Axis]  # one per header column
    col_axes: list[Axis]  # one per header row
    row_labels: list[list[TableCell | None]]  # [data row][header col]
    col_labels: list[list[TableCell | None]]  # [column][header row]


@dataclass
class GridContext:
    """What the reader knows around a table: its scope period, footnotes, method, subject hints."""

    period: Period | None
    footnotes: dict[str, date]
    method: str | None
    context: str
    refs: str = ""  # what the reply says where it points at this table ("d. Age of suspect ...")


@dataclass
class GridResult:
    offences: list[OffenceCount] = field(default_factory=list)
    victims: list[Cell] = field(default_factory=list)
    suspects: list[Cell] = field(default_factory=list)
    platforms: list[PlatformRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _data_rows(t: Table) -> list[int]:
    return [i for i in range(t.header_rows, len(t.rows)) if i not in t.total_rows]


def _value_cols(t: Table) -> list[int]:
    return [c for c in range(t.header_cols, t.n_cols) if c not in t.total_cols]


def _col_labels(t: Table) -> list[list[TableCell | None]]:
    """Header cells over each column; a spanning header fills the blank cells to its right."""
    out: list[list[TableCell | None]] = [[] for _ in range(t.n_cols)]
    for h in range(t.header_rows):
        last: TableCell | None = None
        for c in range(t.n_cols):
            cell = t.cell(h, c)
            if cell is not None and not cell.blank:
                last = cell
            elif c < t.header_cols or h == t.header_rows - 1:
                last = None
            out[c].append(cell if cell is not None and not cell.blank else last)
    return out


def _row_labels(t: Table) -> list[list[TableCell | None]]:
    """Header cells of each row; outer header columns fill down (merged cells)."""
    out: list[list[TableCell | None]] = []
    last: list[TableCell | None] = [None] * t.header_cols
    for r in range(len(t.rows)):
        labels: list[TableCell | None] = []
        for c in range(t.header_cols):
            cell = t.cell(r, c)
            filled = cell if cell is not None and not cell.blank else None
            if filled is None and c < t.header_cols - 1:
                filled = last[c]
            last[c] = filled
            labels.append(filled)
        out.append(labels)
    return out


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
    col_labels, row_labels = _col_labels(t), _row_labels(t)
    cols, rows = _value_cols(t), _data_rows(t)
    col_axes = [_vote([_txt(col_labels[c][h]) for c in cols], footnotes)
                for h in range(t.header_rows)]
    row_axes = [_vote([_txt(row_labels[r][c]) for r in rows], footnotes)
                for c in range(t.header_cols)]
    return Axes(row_axes, col_axes, row_labels, col_labels)


def _txt(cell: TableCell | None) -> str:
    return cell.text if cell is not None else ""


def _corner(t: Table) -> str:
    cells = [t.cell(h, c) for h in range(t.header_rows) for c in range(t.header_cols)]
    cells += [t.cell(h, c) for h in range(t.header_rows) for c in range(t.header_cols, t.n_cols)]
    return " ".join(c.text for c in cells if c is not None and not is_numeric(c.text))


def subject(t: Table, ax: Axes, ctx: GridContext) -> tuple[str, str | None]:
    """What the table counts: (kind, outcome type for period-only outcome tables)."""
    kinds = set(ax.row_axes) | set(ax.col_axes)
    if "platform" in kinds or (L.mentions(_corner(t), *_PLATFORM_WORDS) and "other" in kinds):
        return "platforms", None
    if "outcome" in kinds:
        return "outcomes", None
    if kinds & {"gender", "age"}:
        return _victims_or_suspects(t, ax, ctx), None
    if "code" in kinds:
        return "offences", None
    outcome = _title_outcome(t.title)
    if outcome:
        return "outcomes", outcome
    if L.mentions(_corner(t) or t.title.split("\n")[-1], *_SUSPECT_WORDS) or \
            L.mentions(ctx.refs, *_SUSPECT_WORDS):
        return "suspects", None
    return "offences", None


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


def _victims_or_suspects(t: Table, ax: Axes, ctx: GridContext) -> str:
    """Whose ages a table gives: the table's own words first, then its bands, then what the
    reply says about it elsewhere; victims when nothing says."""
    own = f"{_corner(t)}\n{t.title}"
    if L.mentions(own, *_SUSPECT_WORDS):
        return "suspects"
    if L.mentions(own, *_VICTIM_WORDS):
        return "victims"
    if _adult_bands(ax) or L.mentions(ctx.refs, *_SUSPECT_WORDS):
        return "suspects"
    return "victims"


def _title_outcome(title: str) -> str | None:
    """`... and Outcome was 'Charge'` -> charged."""
    last = title.split("\n")[-1]
    m = re.search(r"outcome\s+(?:was|of|is|type)?\s*['\"‘“]?([A-Za-z /-]{3,40}?)['\"’”]?\s*[:.]?$",
                  last, re.IGNORECASE)
    if m:
        return canonical_outcome(m.group(1))
    m = re.search(r"\b(charged|cautioned|arrested|arrests)\b", last, re.IGNORECASE)
    return canonical_outcome(m.group(1)) if m else None


Grid = dict[tuple[int, int], Value]


def _values(t: Table) -> Grid:
    """Parsed values of every data and total cell (text cells are left out)."""
    out: Grid = {}
    for r in range(t.header_rows, len(t.rows)):
        for c in range(t.header_cols, t.n_cols):
            cell = t.cell(r, c)
            v = read_value(cell.text) if cell is not None else Value(None, blank=True)
            if v is not None:
                out[(r, c)] = v
    return out


def _line_check(cells: list[Value], total: Value | None) -> tuple[bool, str | None]:
    """(blanks proven nil, problem) for one row or column against its total."""
    if total is None or total.count is None:
        return False, None
    known = sum(v.count for v in cells if v.count is not None)
    remainder = total.count - known
    blanks = any(v.blank for v in cells)
    suppressed = any(v.suppressed for v in cells)
    if remainder == 0:
        return True, None
    if remainder < 0:
        return False, f"cells add up to {known}, more than the total {total.count}"
    if not blanks and not suppressed:
        return False, f"cells add up to {known}, the total says {total.count}"
    return False, None


def check_totals(t: Table, grid: Grid) -> tuple[set[tuple[int, int]], list[str]]:
    """Blank/dash cells that a row or column total proves nil, and total mismatches."""
    proven: set[tuple[int, int]] = set()
    problems: list[str] = []
    rows, cols = _data_rows(t), _value_cols(t)
    lines = [([(r, c) for c in cols], [(r, tc) for tc in t.total_cols], f"row {r + 1}")
             for r in rows]
    lines += [([(r, c) for r in rows], [(tr, c) for tr in t.total_rows], f"column {c + 1}")
              for c in cols]
    for coords, totals, name in lines:
        for tot in totals:
            ok, problem = _line_check([grid.get(k, Value(None, blank=True)) for k in coords],
                                      grid.get(tot))
            if ok:
                proven.update(k for k in coords if grid.get(k, Value(None, True)).blank)
            if problem:
                problems.append(f"{t.id} {name}: {problem}")
    return proven, problems


@dataclass
class Coord:
    """Everything the headers say about one data cell."""

    period: Period | None = None
    gender: str = "all"
    age: str = "all"
    label: TableCell | None = None
    code: str | None = None
    outcome: str | None = None
    labels: list[TableCell] = field(default_factory=list)


def _apply(coord: Coord, axis: Axis, cell: TableCell | None, ctx: GridContext) -> None:
    if cell is None:
        if axis in ("platform", "other"):
            coord.label = coord.label or None
        return
    coord.labels.append(cell)
    text = cell.text
    if axis == "period":
        coord.period = L.period_of(text, ctx.footnotes) or coord.period
    elif axis == "gender":
        coord.gender = L.gender(text) or ("unknown" if L.age_band(text) == "unknown" else "other")
    elif axis == "age":
        coord.age = L.age_band(text) or coord.age
    elif axis == "code":
        coord.code = L.offence_code(text)
    elif axis == "outcome":
        coord.outcome = canonical_outcome(text) or "other"
    elif axis in ("platform", "other"):
        coord.label = cell


def _coord(t: Table, ax: Axes, r: int, c: int, ctx: GridContext) -> Coord:
    coord = Coord(period=ctx.period)
    for h, axis in enumerate(ax.col_axes):
        _apply(coord, axis, ax.col_labels[c][h], ctx)
    for hc, axis in enumerate(ax.row_axes):
        _apply(coord, axis, ax.row_labels[r][hc], ctx)
    return coord


def _part(cell: TableCell, a: int, b: int) -> TableCell:
    seg = cell.text[a:b]
    lead = len(seg) - len(seg.lstrip(" -–,/"))
    text = seg.strip(" -–,/")
    return TableCell(text, cell.start + a + lead, cell.start + a + lead + len(text),
                     cell.row, cell.col)


def _split_cell(cell: TableCell) -> tuple[TableCell, TableCell] | None:
    """`13 to 15 Girls`, `Under 10 Unknown`, `Male 0-12` -> (age part, gender part), each
    with its own span: the label is cut at the word boundary where one side is an age band
    and the other a gender."""
    cuts = [m.start() for m in re.finditer(r"(?<=\S)\s+(?=\S)", cell.text)]
    for cut in cuts:
        left, right = _part(cell, 0, cut), _part(cell, cut, len(cell.text))
        if L.age_band(left.text) and L.gender(right.text):
            return left, right
        if L.gender(left.text) and L.age_band(right.text):
            return right, left
    return None


def split_composite_labels(t: Table) -> Table:
    """Row labels that hold both an age band and a gender become two header columns."""
    if t.header_cols == 0:
        return t
    inner = t.header_cols - 1
    parts = [_split_cell(r[inner]) if inner < len(r) else None for r in t.rows]
    if sum(p is not None for p in parts) < max(2, len(t.rows) // 2):
        return t
    rows = []
    for r, p in zip(t.rows, parts, strict=True):
        a, g = p if p else (r[inner], TableCell("", r[inner].start, r[inner].start, 0, 0))
        cells = [*r[:inner], a, g, *r[inner + 1:]]
        rows.append([TableCell(c.text, c.start, c.end, r[0].row, j)
                     for j, c in enumerate(cells)])
    return Table(t.id, rows, t.start, t.end, t.source, part=t.part, header_rows=t.header_rows,
                 header_cols=t.header_cols + 1, total_rows=set(t.total_rows),
                 total_cols={c + 1 for c in t.total_cols}, title=t.title)


def read_grid(doc: Document, t: Table, ctx: GridContext) -> GridResult:
    """All record values a table gives, with evidence and flags."""
    result = GridResult()
    t = split_composite_labels(t)
    if t.header_cols == 0 and t.source != "keyword":
        return result
    ax = axes(t, ctx.footnotes)
    kind, title_outcome = subject(t, ax, ctx)
    grid = _values(t)
    proven, problems = check_totals(t, grid)
    result.flags += [Flag(code="totals_mismatch", message=p) for p in problems]
    if kind == "offences" and not _offence_axes_ok(ax):
        return result
    unproven = 0
    for r in _data_rows(t):
        for c in _value_cols(t):
            v = grid.get((r, c))
            if v is None:
                continue
            if v.blank:
                if (r, c) not in proven:
                    unproven += 1
                    continue
                v = Value(0)
            coord = _coord(t, ax, r, c, ctx)
            if kind == "platforms" and ax.row_axes and ax.row_labels[r][-1] is None:
                coord.label = None
            coord.outcome = coord.outcome or title_outcome
            _emit(doc, t, kind, coord, v, t.rows[r][c], ctx, result)
    if unproven:
        result.flags.append(Flag(code="unproven_blank", message=(
            f"{t.id}: {unproven} blank or dash cell(s) not recorded: no total proves them nil")))
    _grand_total(doc, t, ax, kind, grid, ctx, result)
    return result


def _offence_axes_ok(ax: Axes) -> bool:
    """An offence table needs periods or codes on an axis, or a single unlabelled line."""
    kinds = set(ax.row_axes) | set(ax.col_axes)
    return bool(kinds & {"period", "code"})


def _count_fields(v: Value) -> dict[str, Any]:
    return {"count": None, "suppressed": True} if v.suppressed else {"count": v.count}


def _emit(doc: Document, t: Table, kind: str, coord: Coord, v: Value, cell: TableCell,
          ctx: GridContext, out: GridResult) -> None:
    if coord.period is None:
        out.flags.append(Flag(code="no_period", message=f"{t.id}: a count with no period",
                              evidence=doc.cell_evidence(t, cell)))
        return
    ev: list[Evidence] = doc.cell_evidence(t, cell, *coord.labels)
    base = {"period": coord.period, "evidence": ev, "readers": ["rules"], **_count_fields(v)}
    if kind == "offences":
        out.offences.append(OffenceCount.model_validate({**base, "code": coord.code}))
    elif kind in ("victims", "suspects"):
        getattr(out, kind).append(Cell.model_validate(
            {**base, "gender": coord.gender, "age": coord.age}))
    elif kind == "platforms":
        label = coord.label.text if coord.label else ""
        out.platforms.append(PlatformRow.model_validate(
            {**base, "label": L.clean(label), "method": ctx.method,
             "platforms": canonical_platforms(label)}))
    elif kind == "outcomes" and coord.outcome:
        out.outcomes.append(OutcomeRow.model_validate({**base, "outcome": coord.outcome}))


def _grand_total(doc: Document, t: Table, ax: Axes, kind: str, grid: Grid, ctx: GridContext,
                 out: GridResult) -> None:
    """An offence table's grand total is the whole-period offence count."""
    if kind != "offences" or not t.total_rows:
        return
    cols = sorted(t.total_cols) or (_value_cols(t) if len(_value_cols(t)) == 1 else [])
    periods = [c.period for c in out.offences if c.period is not None]
    whole = Period(start=min(p.start for p in periods), end=max(p.end for p in periods)) \
        if periods else ctx.period
    for r in sorted(t.total_rows)[-1:]:
        for c in cols[-1:]:
            v = grid.get((r, c))
            if whole is None or v is None or v.count is None:
                continue
            ev = doc.cell_evidence(t, t.rows[r][c], t.rows[r][0])
            out.offences.append(OffenceCount(period=whole, code=None, count=v.count,
                                             evidence=ev, readers=["rules"]))


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
