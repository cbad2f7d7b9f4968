"""A workbook with the letter on one sheet and one table per sheet keeps what each table counts."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import openpyxl

from extract.document import Document, Table, TableCell
from extract.grouping import ReplyInput
from extract.limits import Limits
from extract.load.sheets import is_text_sheet
from extract.pipeline import prepare
from extract.tables import find_tables
from extract.tables.context import label_caption


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    letter = wb.active
    assert letter is not None
    letter.title = "Reply"
    for line in ["Our reference 99/26", "Table A",
                 "Number of thefts of bicycles reported per month:",
                 "Table B", "Number of those thefts where the outcome was 'Charge':",
                 "*to 30 June 2024"]:
        letter.append([line])
    for name, rows in (("Table A", [["Year", "Total"], [2023, 40], [2024, 12]]),
                       ("Table B", [["Year", "Total"], [2023, 4], [2024, 1]]),
                       ("Sheet3", [["Year", "Total"], [2022, 9]])):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def test_letter_sheet_is_text_and_tables_take_their_captions(tmp_path: Path) -> None:
    doc = prepare(ReplyInput("d", [_workbook(tmp_path / "r.xlsx")]), Limits())
    assert "Our reference 99/26" in doc.text
    assert len(doc.tables) == 3  # the letter sheet is not a table
    a, b, c = doc.tables
    assert a.title.endswith("thefts of bicycles reported per month:")
    assert b.title.split("\n")[-1].endswith("outcome was 'Charge':")  # the note is not the title
    assert "Table" not in c.title  # a default sheet name is no heading


def test_is_text_sheet() -> None:
    words = "this is a sentence of the letter"
    assert is_text_sheet([[words], [""], [words], ["See Table 1"]])
    assert not is_text_sheet([["Year"], ["2023"], ["2024"], ["Total"]])  # a column of numbers
    assert not is_text_sheet([[words, "4"], [words, "5"], [words, "6"]])  # two filled columns
    assert not is_text_sheet([[words]])  # one line is a title, not a letter


def _table(start: int, end: int) -> Table:
    cells = [[TableCell("Year", start, start + 4, 0, 0), TableCell("Total", start + 5, end, 0, 1)]]
    return Table(id="T1", rows=cells, start=start, end=end, source="sheet", title="Table 2")


def test_label_caption_needs_the_same_label_outside_the_table() -> None:
    text = "Table 1\nCount of cars\nTable 2\nCount of vans\n*to May\nTable 2\nYear\tTotal\n"
    t = _table(text.rindex("Year"), len(text) - 1)
    assert label_caption(Document("d", text), "Table 2", t, [t]) == ["Count of vans"]
    assert label_caption(Document("d", text), "Table 3", t, [t]) == []  # no such heading
    assert label_caption(Document("d", text), "Count of vans", t, [t]) == []  # not a label


def test_pointer_lines_are_not_captions() -> None:
    text = "Table 2\nSee Table 2\nTable 2\nYear\tTotal\n"
    t = _table(text.rindex("Year"), len(text) - 1)
    sheet = [x for x in find_tables(Document("d", text, tables=[t])) if x.source == "sheet"]
    assert sheet[0].title == "Table 2"
