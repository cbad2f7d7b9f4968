"""A PDF letter with ruled tables (so that pymupdf ``find_tables`` can see them)."""

from __future__ import annotations

import random
import textwrap

import pymupdf

from bench import tables
from bench.layouts import GridBlock, compose
from bench.scenario import Scenario

PAGE = pymupdf.paper_rect("a4")
LEFT, RIGHT, TOP, BOTTOM = 56.0, PAGE.width - 56.0, 60.0, PAGE.height - 60.0
LINE = 13.0


class _Writer:
    """Flows paragraphs and tables down A4 pages."""

    def __init__(self) -> None:
        self.doc = pymupdf.open()
        self.page = self.doc.new_page(width=PAGE.width, height=PAGE.height)
        self.y = TOP

    def _room(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.page = self.doc.new_page(width=PAGE.width, height=PAGE.height)
            self.y = TOP

    def paragraph(self, text: str, size: float = 10) -> None:
        for raw in text.split("\n"):
            for line in textwrap.wrap(raw, width=int((RIGHT - LEFT) / (size * 0.5))) or [""]:
                self._room(LINE)
                self.page.insert_text((LEFT, self.y + size), line, fontsize=size,
                                      fontname="helv")
                self.y += LINE
        self.y += LINE / 2

    def table(self, rows: list[list[str]]) -> None:
        width = RIGHT - LEFT
        need = max(pymupdf.get_text_length(r[0], fontname="cour", fontsize=8) for r in rows)
        first = min(width * 0.6, max(60.0, need + 8))
        size = 8.0 if need + 8 <= first else max(4.0, 8.0 * (first - 8) / need)
        rest = (width - first) / max(1, len(rows[0]) - 1)
        height = 15.0
        for row in rows:
            self._room(height)
            x = LEFT
            for j, text in enumerate(row):
                w = first if j == 0 else rest
                self.page.draw_rect(pymupdf.Rect(x, self.y, x + w, self.y + height),
                                    color=(0, 0, 0), width=0.6)
                # Courier: find_tables() drops spaces and splits "2015-16" in base-14
                # proportional fonts (pymupdf 2.0), which would test the PDF library,
                # not the reader.
                self.page.insert_text((x + 3, self.y + 11), text, fontname="cour",
                                      fontsize=size if j == 0 else _fit(text, w))
                x += w
            self.y += height
        self.y += LINE


def _fit(text: str, width: float) -> float:
    """A font size at which the text stays inside its cell (real letters wrap or shrink)."""
    need = pymupdf.get_text_length(text, fontname="cour", fontsize=8)
    return 8.0 if need + 6 <= width else max(3.0, 8.0 * (width - 6) / need)


def render_pdf(rng: random.Random, sc: Scenario) -> bytes:
    """A letter as a PDF: paragraphs, captions and ruled tables."""
    w = _Writer()
    for block in compose(rng, sc):
        if isinstance(block, GridBlock):
            w.paragraph(block.caption)
            w.table(tables.matrix(block.grid))
            for note in block.notes:
                w.paragraph(note, size=8)
        else:
            w.paragraph(block)
    w.doc.set_metadata({"title": f"FOI {sc.reference or ''}".strip(), "creator": "FOI",
                        "producer": "bench", "creationDate": "D:20200101000000",
                        "modDate": "D:20200101000000"})
    return w.doc.tobytes(garbage=3, deflate=True, no_new_id=True)
