"""TableMapping: what a table means, as one small typed value.

Both the rules reader (by heuristics) and the model (from a mapping request) produce a
``TableMapping`` for a table; one piece of code then expands it over the grid, so every
count comes from its own cell with the cell's span as evidence. The mapping is
proportional to the table's headers, never to its body: a 60-row platform table and a
6-row one with the same headers have mappings of the same size.

Cells are named by id ``r{row}c{col}``, 1-based within the table (``r1c1`` is the top-left
cell), the form the model sees. Rows and columns are 1-based numbers too.

How a data cell (r, c) is read (the expansion rules, implemented once in code):
1. Start from the table's ``scope`` (values true of the whole table: its period, a gender
   named in the title, a code, the method).
2. For every header row h (h <= header_rows) take the header cell over column c (in every
   header row but the last, a blank header cell takes the value of the nearest filled cell
   to its left in that row: merged cells; a blank in the last header row is a column with
   no label); for every header column k (k <= header_cols) the header cell left of row r
   (in every header column but the last, a blank takes the nearest filled cell above: row
   groups). Loaders already carry merged labels across and down where they know the span.
3. Each such header cell is read by its line's role (``col_roles[h-1]``, ``row_roles[k-1]``)
   with the shared label parsers, unless ``cells`` holds an entry for that cell id, which
   wins (role and value as given): that is how a model corrects one label ("2015*" -> a
   partial period). An entry with role ``ignore`` in a header row drops its column: a
   column counting another subject ("Offences" beside "Victims"); in a header column it
   drops its row (a row "Offences recorded" in a table read for its victim rows). A label
   holding two keys ("Girls 13-15") sets ``gender`` and ``age`` on the same entry. An
   entry may name a blank header cell: a label a dump ran into its neighbour (`22/23 23/24`
   over two columns) gives each column its own key that way.
4. A label on a `period` line that names no period of its own (a quarter `Q1 (Apr-Jun)`,
   `Quarter 2`, a month `January`) is read inside the period the cell's other lines or the
   scope give (the financial year over a group of quarter rows; the year of the table).
5. Rows in ``total_rows`` and columns in ``total_cols`` are totals: they check the cells
   and prove blanks nil; they are never counts, except the whole-period offence total. A
   total line inside a group (`2020/21 total` under the rows of 2020/21: its outer header
   label is not a total word) checks only its group and is never the whole-period total.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.record import Gender, Method, Period

Counts = Literal["victims", "suspects", "offences", "platforms", "outcomes", "none"]
Role = Literal["period", "gender", "age", "platform", "outcome", "code", "total", "label",
               "ignore"]

_CELL_ID = re.compile(r"^r[1-9]\d*c[1-9]\d*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HeaderCell(_Model):
    """One header cell whose meaning the line role alone would get wrong or miss."""

    cell: str = Field(description="cell id, r{row}c{col}, 1-based")
    role: Role
    value: str | None = Field(
        default=None,
        description="the normalised value: gender word, age band (`12-15`, `16+`, `unknown`), "
                    "outcome type, code (`71/17`), platform label; null: read the cell text")
    period: Period | None = Field(default=None, description="for role `period`")
    gender: Gender | None = Field(default=None, description="a gender the label also names")
    age: str | None = Field(default=None, description="an age band the label also names")

    @field_validator("cell")
    @classmethod
    def _cell_id(cls, v: str) -> str:
        if not _CELL_ID.match(v):
            raise ValueError(f"cell id must look like r3c2, got {v!r}")
        return v


class TableScope(_Model):
    """Values that hold for every count in the table (from its title, heading or notes)."""

    period: Period | None = None
    gender: Gender | None = None
    age: str | None = None
    code: str | None = None
    method: Method | None = None
    outcome: str | None = None


class TableMapping(_Model):
    """What one table counts and how its headers map to record keys."""

    table: str = Field(description="table id, e.g. T1")
    counts: Counts
    header_rows: int = Field(ge=0)
    header_cols: int = Field(ge=0)
    col_roles: list[Role] = Field(default_factory=list,
                                  description="role of each header row, top to bottom")
    row_roles: list[Role] = Field(default_factory=list,
                                  description="role of each header column, left to right")
    cells: list[HeaderCell] = Field(default_factory=list)
    total_rows: list[int] = Field(default_factory=list)
    total_cols: list[int] = Field(default_factory=list)
    scope: TableScope = Field(default_factory=TableScope)
    blank_is_nil: bool = Field(default=False,
                               description="the reply says blank cells or dashes are nil")
    suppression_marks: list[str] = Field(default_factory=list,
                                         description="marks standing for a withheld small "
                                                     "number, e.g. `*`, `<5`")

    def cell_override(self, row: int, col: int) -> HeaderCell | None:
        """The explicit entry for a 1-based cell, if any."""
        want = f"r{row}c{col}"
        return next((h for h in self.cells if h.cell == want), None)
