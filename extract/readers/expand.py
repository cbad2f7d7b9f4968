"""Expand a TableMapping over its grid: the one place table cells become record values.

Both the rules reader (``table_rules.map_table``) and the model produce a ``TableMapping``;
this module reads every data cell with it (coordinates from the scope and the header cells,
read per line role with the shared label parsers; cell overrides win), proves blanks nil
from the table's totals (or from a ``blank_is_nil`` note), flags totals that do not add up,
and keeps an offence table's grand total as the whole-period offence count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extract.document import Document, Table, TableCell
from extract.readers import labels as L
from schemas import Cell, Evidence, Flag, OffenceCount, OutcomeRow, Period, PlatformRow
from schemas.mapping import HeaderCell, Role, TableMapping
from schemas.vocab import canonical_platforms

_SUPPRESSED = re.compile(
    r"^\s*(\*+|x|<\s*\d+|1\s*-\s*4|(fewer|less|under) than (five|5|ten|10)|under (five|5)|"
    r"suppressed|redacted|\[?redacted\]?|~)\s*$", re.IGNORECASE)
_BLANK = re.compile(r"^\s*(-|–|—|)\s*$")
_NIL = re.compile(r"^\s*(nil(\s+return)?|none|zero|no\s+offences?)\s*$", re.IGNORECASE)
# Counts written as words (contract Decision 6) in lists such as "Facebook – seven".
NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
# Footnote marks a cell may carry after its number ("15†", "<5^"); `*` alone is suppression.
_MARKS = "^†‡§¶#¹²³⁴⁵⁶⁷⁸⁹"


@dataclass
class Value:
    """A cell's meaning: a count, suppressed, a blank/dash (unknown until totals prove it)."""

    count: int | None
    suppressed: bool = False
    blank: bool = False


def read_value(text: str, marks: list[str] | None = None) -> Value | None:
    """Parse a count cell; None for text that is not a count.

    ``marks`` are extra suppression marks a table's notes define (``x``, ``[c]``).
    """
    t = text.strip().rstrip(_MARKS).strip()
    if marks and t in marks:
        return Value(None, suppressed=True)
    if _SUPPRESSED.match(t):
        return Value(None, suppressed=True)
    if _BLANK.match(t):
        return Value(None, blank=True)
    if _NIL.match(t):
        return Value(0)
    m = re.fullmatch(r"(\d[\d,]*)\s*\*?", t)
    if m:
        return Value(int(m.group(1).replace(",", "")))
    word = NUMBER_WORDS.get(t.lower())
    return Value(word) if word is not None else None


@dataclass
class GridResult:
    """Record values one table (or several, merged) gives, with flags."""

    offences: list[OffenceCount] = field(default_factory=list)
    victims: list[Cell] = field(default_factory=list)
    suspects: list[Cell] = field(default_factory=list)
    platforms: list[PlatformRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def extend(self, other: GridResult) -> None:
        """Append every list of ``other`` to this result."""
        for name in ("offences", "victims", "suspects", "platforms", "outcomes", "flags"):
            getattr(self, name).extend(getattr(other, name))


Grid = dict[tuple[int, int], Value]


# --- which rows and columns are which (0-based inside this module) --------------------------


def data_rows(t: Table, m: TableMapping) -> list[int]:
    """0-based rows holding counts: below the header, not totals."""
    totals = {r - 1 for r in m.total_rows}
    return [i for i in range(m.header_rows, len(t.rows)) if i not in totals]


def value_cols(t: Table, m: TableMapping) -> list[int]:
    """0-based columns holding counts: right of the header columns, not totals, and not
    under a header cell the mapping marks `ignore` (a column counting another subject)."""
    totals = {c - 1 for c in m.total_cols}
    ignored = {int(h.cell.split("c")[1]) - 1 for h in m.cells if h.role == "ignore"
               and int(h.cell[1:].split("c")[0]) <= m.header_rows}
    return [c for c in range(m.header_cols, t.n_cols) if c not in totals | ignored]


def _filled(cell: TableCell | None) -> TableCell | None:
    return cell if cell is not None and not cell.blank else None


def col_labels(t: Table, header_rows: int, header_cols: int) -> list[list[TableCell | None]]:
    """Header cells over each column, one per header row. A blank cell in an outer header row
    takes the nearest filled cell to its left (a merged cell spanning years or genders); the
    innermost header row is not filled, since a blank there is a column with no label."""
    out: list[list[TableCell | None]] = [[] for _ in range(t.n_cols)]
    for h in range(header_rows):
        last: TableCell | None = None
        for c in range(t.n_cols):
            cell = _filled(t.cell(h, c))
            if cell is not None:
                last = cell
            elif c < header_cols or h == header_rows - 1:
                last = None
            out[c].append(cell or last)
    return out


def row_labels(t: Table, header_cols: int) -> list[list[TableCell | None]]:
    """Header cells of each row, one per header column; outer header columns fill down (a
    row group named once at its top)."""
    out: list[list[TableCell | None]] = []
    last: list[TableCell | None] = [None] * header_cols
    for r in range(len(t.rows)):
        labels: list[TableCell | None] = []
        for c in range(header_cols):
            cell = _filled(t.cell(r, c))
            if cell is None and c < header_cols - 1:
                cell = last[c]
            last[c] = cell
            labels.append(cell)
        out.append(labels)
    return out


# --- totals ---------------------------------------------------------------------------------


def values(t: Table, m: TableMapping) -> Grid:
    """Parsed values of every data and total cell (text cells are left out)."""
    out: Grid = {}
    for r in range(m.header_rows, len(t.rows)):
        for c in range(m.header_cols, t.n_cols):
            cell = t.cell(r, c)
            v = read_value(cell.text, m.suppression_marks) if cell is not None \
                else Value(None, blank=True)
            if v is not None:
                out[(r, c)] = v
    return out


def _line_check(cells: list[Value], total: Value | None) -> tuple[bool, str | None]:
    """(blanks proven nil, problem) for one row or column against its total."""
    if total is None or total.count is None:
        return False, None
    known = sum(v.count for v in cells if v.count is not None)
    remainder = total.count - known
    if remainder == 0:
        return True, None
    if remainder < 0:
        return False, f"cells add up to {known}, more than the total {total.count}"
    if not any(v.blank or v.suppressed for v in cells):
        return False, f"cells add up to {known}, the total says {total.count}"
    return False, None


def check_totals(t: Table, m: TableMapping, grid: Grid
                 ) -> tuple[set[tuple[int, int]], list[str]]:
    """Blank/dash cells that a row or column total proves nil, and total mismatches."""
    proven: set[tuple[int, int]] = set()
    problems: list[str] = []
    rows, cols = data_rows(t, m), value_cols(t, m)
    lines = [([(r, c) for c in cols], [(r, tc - 1) for tc in m.total_cols], f"row {r + 1}")
             for r in rows]
    lines += [([(r, c) for r in rows], [(tr - 1, c) for tr in m.total_rows], f"column {c + 1}")
              for c in cols]
    blank = Value(None, blank=True)
    for coords, totals, name in lines:
        for tot in totals:
            ok, problem = _line_check([grid.get(k, blank) for k in coords], grid.get(tot))
            if ok:
                proven.update(k for k in coords if grid.get(k, blank).blank)
            if problem:
                problems.append(f"{t.id} {name}: {problem}")
    return proven, problems


# --- coordinates of one cell ----------------------------------------------------------------


@dataclass
class Coord:
    """Everything the scope and the headers say about one data cell."""

    period: Period | None = None
    gender: str = "all"
    age: str = "all"
    label: TableCell | None = None
    code: str | None = None
    outcome: str | None = None
    labels: list[TableCell] = field(default_factory=list)


def _scope_coord(m: TableMapping) -> Coord:
    s = m.scope
    # A code that holds for the whole table is not a key: the contract gives an offence
    # count a code only where the reply splits its counts by code (a code header).
    return Coord(period=s.period, gender=s.gender or "all", age=s.age or "all", code=None,
                 outcome=s.outcome)


def _read_role(coord: Coord, role: Role, cell: TableCell, footnotes: dict[str, date]) -> None:
    """Set what a header cell says, reading its text by its line's role."""
    text = cell.text
    if role == "period":
        coord.period = L.period_of(text, footnotes) or coord.period
    elif role == "gender":
        coord.gender = L.gender(text) or ("unknown" if L.age_band(text) == "unknown" else "other")
    elif role == "age":
        coord.age = L.age_band(text) or coord.age
    elif role == "code":
        coord.code = L.offence_code(text) or coord.code
    elif role == "outcome":
        coord.outcome = L.outcome(text) or "other"
    elif role in ("platform", "label"):
        coord.label = cell


def _read_override(coord: Coord, h: HeaderCell, cell: TableCell | None) -> None:
    """Set what an explicit header entry says (its value wins over the cell text)."""
    if h.role == "period" and h.period is not None:
        coord.period = h.period
    elif h.role == "gender" and h.value:
        coord.gender = L.gender(h.value) or h.value
    elif h.role == "age" and h.value:
        coord.age = L.age_band(h.value) or h.value
    elif h.role == "code" and h.value:
        coord.code = L.normalise_code(h.value) or h.value
    elif h.role == "outcome" and h.value:
        coord.outcome = L.outcome(h.value) or h.value
    elif h.role in ("platform", "label"):
        coord.label = (TableCell(h.value, cell.start, cell.end, cell.row, cell.col)
                       if h.value and cell is not None else cell)
    if h.gender:
        coord.gender = h.gender
    if h.age:
        coord.age = L.age_band(h.age) or h.age


def _apply(coord: Coord, m: TableMapping, role: Role, cell: TableCell | None,
           footnotes: dict[str, date]) -> None:
    if cell is None:
        if role in ("platform", "label"):
            coord.label = None  # a row with no label of its own is not named by its column
        return
    coord.labels.append(cell)
    override = m.cell_override(cell.row + 1, cell.col + 1)
    if override is not None:
        _read_override(coord, override, cell)
    elif role not in ("total", "ignore"):
        _read_role(coord, role, cell, footnotes)


@dataclass
class Headers:
    """The header cells over every column and beside every row of one table."""

    cols: list[list[TableCell | None]]
    rows: list[list[TableCell | None]]


def headers(t: Table, m: TableMapping) -> Headers:
    """Header cells per column and per row, merged cells carried (see col/row_labels)."""
    return Headers(col_labels(t, m.header_rows, m.header_cols), row_labels(t, m.header_cols))


def coord_of(t: Table, m: TableMapping, hd: Headers, r: int, c: int,
             footnotes: dict[str, date]) -> Coord:
    """The coordinates of data cell (r, c), 0-based: scope, then column and row headers."""
    coord = _scope_coord(m)
    for h in range(m.header_rows):
        role = m.col_roles[h] if h < len(m.col_roles) else "ignore"
        _apply(coord, m, role, hd.cols[c][h] if c < len(hd.cols) else None, footnotes)
    for k in range(m.header_cols):
        role = m.row_roles[k] if k < len(m.row_roles) else "ignore"
        _apply(coord, m, role, hd.rows[r][k], footnotes)
    return coord


# --- expansion ------------------------------------------------------------------------------


def expand(doc: Document, t: Table, m: TableMapping, footnotes: dict[str, date],
           platform: str | None = None) -> GridResult:
    """All record values a table gives under a mapping, with evidence and flags.
    ``platform``: the one platform the table is limited to (its title says so)."""
    result = GridResult()
    if m.counts == "none" or not t.rows:
        return result
    grid = values(t, m)
    proven, problems = check_totals(t, m, grid)
    result.flags += [Flag(code="totals_mismatch", message=p) for p in problems]
    hd = headers(t, m)
    unproven = 0
    for r in data_rows(t, m):
        for c in value_cols(t, m):
            v = grid.get((r, c))
            if v is None:
                continue
            if v.blank:
                if (r, c) not in proven and not m.blank_is_nil:
                    unproven += 1
                    continue
                v = Value(0)
            coord = coord_of(t, m, hd, r, c, footnotes)
            _emit(doc, t, m, coord, v, t.rows[r][c], result, platform)
    if unproven:
        result.flags.append(Flag(code="unproven_blank", message=(
            f"{t.id}: {unproven} blank or dash cell(s) not recorded: no total proves them nil")))
    _drop_lost_headers(t, m, result)
    _grand_total(doc, t, m, grid, result)
    return result


def _drop_lost_headers(t: Table, m: TableMapping, result: GridResult) -> None:
    """Victim or suspect cells whose coordinates repeat across most of one table: a header
    that would tell them apart (a gender over a group of age columns) was lost, so none of
    the repeated cells can be keyed; they are dropped and flagged for review."""
    if m.counts not in ("victims", "suspects"):
        return
    cells: list[Cell] = getattr(result, m.counts)
    keys = [(c.period.start, c.period.end, c.gender, c.age) for c in cells]
    repeated = {k for k in keys if keys.count(k) > 1}
    # one repeat can be two labels meaning the same ("Unknown", "Not recorded"); a lost
    # dimension repeats most of the table
    if len(repeated) < 2 or sum(k in repeated for k in keys) * 2 < len(keys):
        return
    setattr(result, m.counts, [c for c, k in zip(cells, keys, strict=True) if k not in repeated])
    result.flags.append(Flag(code="ambiguous_cells", message=(
        f"{t.id}: {sum(k in repeated for k in keys)} {m.counts} cell(s) share their period, "
        "gender and age with another cell of the table (a lost header?); not recorded")))


def _count_fields(v: Value) -> dict[str, Any]:
    return {"count": None, "suppressed": True} if v.suppressed else {"count": v.count}


def _emit(doc: Document, t: Table, m: TableMapping, coord: Coord, v: Value, cell: TableCell,
          out: GridResult, platform: str | None = None) -> None:
    if coord.period is None:
        out.flags.append(Flag(code="no_period", message=f"{t.id}: a count with no period",
                              evidence=doc.cell_evidence(t, cell)))
        return
    ev: list[Evidence] = doc.cell_evidence(t, cell, *coord.labels)
    base = {"period": coord.period, "evidence": ev, "readers": ["rules"], **_count_fields(v)}
    if m.counts == "offences":
        out.offences.append(OffenceCount.model_validate({**base, "code": coord.code}))
        if platform:  # offences limited to one platform are its counts too
            out.platforms.append(PlatformRow.model_validate(
                {**base, "label": platform, "method": m.scope.method, "platforms": [platform]}))
    elif m.counts in ("victims", "suspects"):
        getattr(out, m.counts).append(Cell.model_validate(
            {**base, "gender": coord.gender, "age": coord.age}))
    elif m.counts == "platforms":
        # a row with no name of its own stays a fact with an empty label (contract); a
        # table whose title names one platform is that platform's
        label = coord.label.text if coord.label else (platform or "")
        out.platforms.append(PlatformRow.model_validate(
            {**base, "label": L.clean(label), "method": m.scope.method,
             "platforms": canonical_platforms(L.clean(label))}))
    elif m.counts == "outcomes" and coord.outcome:
        out.outcomes.append(OutcomeRow.model_validate({**base, "outcome": coord.outcome}))


def _grand_total(doc: Document, t: Table, m: TableMapping, grid: Grid, out: GridResult) -> None:
    """An offence table's grand total is the whole-period offence count (contract Decision
    5): its period is the union of the periods the table's cells cover."""
    if m.counts != "offences" or not m.total_rows:
        return
    vcols = value_cols(t, m)
    cols = sorted(c - 1 for c in m.total_cols) or (vcols if len(vcols) == 1 else [])
    periods = [o.period for o in out.offences if o.period is not None]
    whole = Period(start=min(p.start for p in periods), end=max(p.end for p in periods)) \
        if periods else m.scope.period
    for r in sorted(tr - 1 for tr in m.total_rows)[-1:]:
        for c in cols[-1:]:
            v = grid.get((r, c))
            if whole is None or v is None or v.count is None:
                continue
            ev = doc.cell_evidence(t, t.rows[r][c], t.rows[r][0])
            out.offences.append(OffenceCount(period=whole, code=None, count=v.count,
                                             evidence=ev, readers=["rules"]))
