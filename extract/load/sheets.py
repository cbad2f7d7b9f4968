"""Spreadsheets and CSV: every sheet becomes one table block located as "sheet NAME".

Merged cells keep their value in the top-left cell and the rest blank (that is how xlsx, xls
and ods store them). Trailing empty rows and columns are trimmed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from extract.document import Block, Part
from extract.errors import LoadError
from extract.load.base import LoadContext
from extract.load.merged import Merge, carry
from extract.load.text import decode_text


def cell_str(value: Any) -> str:
    """A cell value as the text a reader would see (12.0 -> "12", dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def trim(rows: Iterable[Iterable[Any]], max_cells: int) -> tuple[list[list[str]], bool]:
    """Rows as strings, trailing blank rows/columns removed; cut at max_cells (and say so)."""
    out: list[list[str]] = []
    cells, cut = 0, False
    for row in rows:
        cells_row = [cell_str(v) for v in row]
        while cells_row and not cells_row[-1].strip():
            cells_row.pop()
        cells += max(1, len(cells_row))
        if cells > max_cells:
            cut = True
            break
        out.append(cells_row)
    while out and not out[-1]:
        out.pop()
    width = max((len(r) for r in out), default=0)
    return [r + [""] * (width - len(r)) for r in out], cut


_DEFAULT_NAME = re.compile(r"^\s*(?:sheet|feuil|tabelle|hoja|blad)\s*\d*\s*$", re.IGNORECASE)


def is_text_sheet(grid: list[list[str]]) -> bool:
    """Whether a sheet holds a letter, not a table: every row has at most one filled cell
    and most filled cells are sentences (a one-column list of numbers stays a table)."""
    filled = [[v for v in row if v.strip()] for row in grid]
    if any(len(row) > 1 for row in filled):
        return False
    cells = [row[0] for row in filled if row]
    wordy = sum(len(v.split()) >= 4 for v in cells)
    return len(cells) >= 3 and wordy * 2 >= len(cells)


def sheet_blocks(title: str, rows: Iterable[Iterable[Any]], ctx: LoadContext,
                  warnings: list[str], merges: list[Merge] | None = None) -> list[Block]:
    """A sheet as blocks: its name as a heading line (what the sheet holds, "Table 5", is
    often said only there), then its table; a sheet holding a letter becomes text. Merged
    labels are carried over the slots they span (``merges``)."""
    grid, cut = trim(rows, ctx.limits.max_table_cells)
    if merges:
        grid = carry(grid, merges)
    if cut:
        warnings.append(f"sheet {title}: over {ctx.limits.max_table_cells:,} cells; cut short")
    if not grid:
        return []
    loc = f"sheet {title}"
    if is_text_sheet(grid):
        lines = [v.strip() for row in grid for v in row if v.strip()]
        return [Block(kind="text", text="\n".join(lines) + "\n", locator=loc)]
    heading = [] if _DEFAULT_NAME.match(title) else [
        Block(kind="text", text=f"{title.strip()}\n", locator=loc)]
    return [*heading, Block(kind="table", rows=grid, source="sheet", locator=loc)]


# Read-only mode gives no merged ranges; a workbook this small is read whole instead.
_FULL_READ_BYTES = 2 * 1024 * 1024


def _merges(ws: Any) -> list[Merge]:
    """A sheet's merged ranges as (top, left, rows, cols), 0-based; none in read-only mode."""
    ranges = getattr(getattr(ws, "merged_cells", None), "ranges", ())
    return [(r.min_row - 1, r.min_col - 1, r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
            for r in ranges]


def load_xlsx(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """An .xlsx/.xlsm workbook (cached formula values); a small one is read whole so that
    its merged cells are known, a large one in read-only mode."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(BytesIO(data), read_only=len(data) > _FULL_READ_BYTES,
                                    data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise LoadError(f"not a readable Excel workbook ({exc})") from exc
    warnings: list[str] = []
    blocks: list[Block] = []
    try:
        for ws in wb.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a stale <dimension> would hide cells
            blocks += sheet_blocks(ws.title, ws.iter_rows(values_only=True), ctx, warnings,
                                    _merges(ws))
    finally:
        wb.close()
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return [Part(name=name, media=media, blocks=blocks, warnings=warnings)]


def load_xls(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """A legacy .xls workbook through xlrd."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except (xlrd.XLRDError, ValueError, AssertionError, IndexError, KeyError) as exc:
        raise LoadError(f"not a readable .xls workbook ({exc})") from exc
    warnings: list[str] = []
    blocks: list[Block] = []
    for sheet in book.sheets():
        rows = ([_xls_value(sheet.cell(r, c), book.datemode) for c in range(sheet.ncols)]
                for r in range(sheet.nrows))
        blocks += sheet_blocks(sheet.name, rows, ctx, warnings)
    return [Part(name=name, media="application/vnd.ms-excel", blocks=blocks,
                 warnings=warnings)]


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def load_csv(name: str, data: bytes, ctx: LoadContext) -> list[Part]:
    """A CSV/TSV file as one table, its dialect sniffed from the first lines."""
    text, warnings = decode_text(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in sample and "," not in sample else csv.excel
    try:
        rows = list(csv.reader(text.splitlines(), dialect))
    except csv.Error as exc:
        raise LoadError(f"unreadable CSV ({exc})") from exc
    grid, cut = trim(rows, ctx.limits.max_table_cells)
    if cut:
        warnings.append(f"over {ctx.limits.max_table_cells:,} cells; cut short")
    blocks = [Block(kind="table", rows=grid, source="csv")] if grid else []
    return [Part(name=name, media="text/csv", blocks=blocks, warnings=warnings)]
