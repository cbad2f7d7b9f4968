"""PDF tables printed without ruled lines keep their columns, so the text-table reader finds
them; prose keeps single spaces."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from extract.grouping import ReplyInput
from extract.pipeline import RunConfig, process_reply

ROWS = [["Age", "2019", "2020", "Total"], ["Under 13", "4", "6", "10"],
        ["13-15", "12", "9", "21"], ["Not recorded", "1", "-", "1"], ["Total", "17", "15", "32"]]


def _letter(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((56, 60), "Question 2: victims by age between 1 January 2019 and "
                               "31 December 2020.", fontsize=10)
    y = 90.0
    for row in ROWS:
        for j, text in enumerate(row):
            page.insert_text((56 if j == 0 else 150 + j * 70, y), text, fontsize=10)
        y += 16
    page.insert_text((56, y + 20), "The figures are correct as at the date of extraction.",
                     fontsize=10)
    doc.save(path)
    return path


def test_unruled_pdf_table_is_read_cell_for_cell(tmp_path: Path) -> None:
    pdf = _letter(tmp_path / "letter.pdf")
    record, doc = process_reply(ReplyInput("letter", [pdf]), RunConfig())
    assert "Under 13\t4\t6\t10" in doc.text
    assert "correct as at the date of extraction" in doc.text
    got = {(c.age, c.period.start.year, c.count) for c in record.victims}
    assert got == {("0-12", 2019, 4), ("0-12", 2020, 6), ("13-15", 2019, 12),
                   ("13-15", 2020, 9), ("unknown", 2019, 1), ("unknown", 2020, 0)}
    for cell in record.victims:
        ev = cell.evidence[0]
        assert doc.text[ev.start:ev.end] == ev.quote and ev.locator and "page 1" in ev.locator
