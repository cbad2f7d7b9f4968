"""Table finding details beyond the seeds: page-break continuations, stacked sheet tables."""

from __future__ import annotations

from extract.document import Document, Table, TableCell
from extract.tables import find_tables


def _grid(text: str, rows: list[list[str]], source: str, tid: str) -> tuple[str, Table]:
    """Append rows as tab-separated lines to text; return the new text and the table."""
    cells, start = [], len(text)
    for r, row in enumerate(rows):
        line = []
        for c, value in enumerate(row):
            pos = len(text) + sum(len(v) + 1 for v in row[:c])
            line.append(TableCell(value, pos, pos + len(value), r, c))
        text += "\t".join(row) + "\n"
        cells.append(line)
    return text, Table(tid, cells, start, len(text) - 1, source)


def test_a_table_cut_by_a_page_break_is_joined() -> None:
    text, a = _grid("Question 4\n", [["Platform", "2019", "2020"], ["Snapchat", "4", "5"]],
                    "pdf", "T1")
    text += "Page 2 of 3\n"
    text, b = _grid(text, [["Kik", "1", "0"], ["Grand Total", "5", "5"]], "pdf", "T2")
    doc = Document("d", text, tables=[a, b])
    (table,) = find_tables(doc)
    assert [r[0].text for r in table.rows] == ["Platform", "Snapchat", "Kik", "Grand Total"]
    assert table.total_rows == {3}
    assert all(text[c.start:c.end] == c.text for row in table.rows for c in row)


def test_two_tables_with_their_own_headers_stay_apart() -> None:
    text, a = _grid("", [["Age", "2019"], ["12", "4"]], "pdf", "T1")
    text, b = _grid(text, [["Platform", "2019"], ["Kik", "1"]], "pdf", "T2")
    assert len(find_tables(Document("d", text, tables=[a, b]))) == 2


def test_header_of_bare_ages_under_a_header_word() -> None:
    doc = Document("d", "Gender\t12\t13\nGirls\t19\t21\nBoys\t0\t<5\n")
    (table,) = find_tables(doc)
    assert table.header_rows == 1 and table.header_cols == 1


def test_dates_and_references_are_not_keyword_lines() -> None:
    doc = Document("d", "Our Ref: 20179197\n2020-08-21\nRESPONSE\n")
    assert find_tables(doc) == []
