"""The rules reader's TableMapping: what a table counts and what each header line holds.

Heuristics only decide the mapping (axes by vote of their labels, the subject from the
table's own words and its context, totals from the annotated grid); ``expand`` then reads the
cells. A model produces the same ``TableMapping`` type, so the two are compared on it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from extract.document import Document, Table, TableCell
from extract.readers import labels as L
from extract.readers.expand import col_labels, row_labels
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


def _value_cols(t: Table) -> list[int]:
    return [c for c in range(t.header_cols, t.n_cols) if c not in t.total_cols]


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


def _victims_or_suspects(t: Table, ax: Axes, ctx: GridContext) -> Counts:
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


def _offence_axes_ok(t: Table, ax: Axes) -> bool:
    """An offence table needs periods or codes on an axis, and no line of other labels
    splitting its counts (crime types, areas): offences are keyed by period and code only,
    so such a split cannot be recorded."""
    if not (set(ax.row_axes) | set(ax.col_axes)) & {"period", "code"}:
        return False
    for line, axis in enumerate(ax.row_axes):
        names = {L.clean(_txt(ax.row_labels[r][line])) for r in _data_rows(t)}
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


def _cut_cells(t: Table, ax: Axes, ctx: GridContext) -> list[HeaderCell]:
    """Period header cells a `data up to` note ends early, as explicit entries."""
    end = ctx.table.data_to
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


def map_table(doc: Document, t: Table, ctx: GridContext) -> TableMapping:
    """The rules reader's mapping of one annotated table (``counts == "none"``: not read)."""
    ax = axes(t, ctx.footnotes)
    composite = composite_cells(t)
    row_roles = [_ROLE_OF[a] for a in ax.row_axes]
    if composite:
        row_roles[-1] = "age"
    kind, outcome = subject(t, ax, ctx)
    if composite and kind not in ("victims", "suspects"):
        kind = _victims_or_suspects(t, ax, ctx)
    unreadable = (t.header_cols == 0 and t.source != "keyword") or \
        (kind == "offences" and (not _offence_axes_ok(t, ax) or _subset(t.title)))
    return TableMapping(
        table=t.id or "T?", counts="none" if unreadable else kind,
        header_rows=t.header_rows, header_cols=t.header_cols,
        col_roles=[_ROLE_OF[a] for a in ax.col_axes], row_roles=row_roles,
        cells=composite + _cut_cells(t, ax, ctx) + other_subject_cells(t, kind),
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


__all__ = ["GridContext", "by_column_subject", "map_table", "method_from", "offence_total_cell",
           "one_language", "title_platform"]
