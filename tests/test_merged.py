"""Merged cells in loaders: labels carried across and down, counts and title rows not."""

from __future__ import annotations

from io import BytesIO

import docx

from extract.load.base import LoadContext
from extract.load.merged import carry
from extract.load.web import load_html
from extract.load.word import load_docx


def test_carry_copies_labels_but_not_counts_or_title_rows() -> None:
    grid = [["Victims by age", "", ""], ["", "Female", ""], ["Age", "12", "13"],
            ["Total", "7", ""]]
    out = carry(grid, [(0, 0, 1, 3), (1, 1, 1, 2), (3, 1, 1, 2)])
    assert out[0] == ["Victims by age", "", ""]  # a row-wide span is a title
    assert out[1] == ["", "Female", "Female"]
    assert out[3] == ["Total", "7", ""]  # one count, not two


def test_html_colspan_and_rowspan_are_carried() -> None:
    html = (b"<table><tr><th></th><th colspan=2>Female</th><th colspan=2>Male</th></tr>"
            b"<tr><th></th><th>12</th><th>13</th><th>12</th><th>13</th></tr>"
            b"<tr><td rowspan=2>2019</td><td>1</td><td>2</td><td>3</td><td>4</td></tr>"
            b"<tr><td>5</td><td>6</td><td>7</td><td>8</td></tr></table>")
    (part,) = load_html("t.html", html, LoadContext())
    (table,) = [b for b in part.blocks if b.kind == "table"]
    assert table.rows[0] == ["", "Female", "Female", "Male", "Male"]
    assert [r[0] for r in table.rows] == ["", "", "2019", "2019"]


def test_word_merged_cells_are_carried() -> None:
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 1).merge(t.cell(0, 2)).text = "Female"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "2019"
    for r, c, v in [(1, 1, "3"), (1, 2, "4"), (2, 1, "5"), (2, 2, "6")]:
        t.cell(r, c).text = v
    buf = BytesIO()
    d.save(buf)
    (part,) = load_docx("t.docx", buf.getvalue(), LoadContext())
    (table,) = [b for b in part.blocks if b.kind == "table"]
    assert table.rows[0][1:] == ["Female", "Female"]
    assert [r[0] for r in table.rows[1:]] == ["2019", "2019"]
