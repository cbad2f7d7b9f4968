"""Render a scenario into reply files: text layouts, an HTML page, a PDF letter, an e-mail.

A reply is composed as a list of blocks (paragraphs and grids); each layout decides how a
grid is written (pipe dump, tab table, markdown, HTML, sentences, keyword lines, PDF table,
spreadsheet).
"""

from __future__ import annotations

import html
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from bench import grounds, letter, tables
from bench.scenario import Grid, Scenario


@dataclass
class GridBlock:
    """A grid with the caption above it and the notes below it."""

    grid: Grid
    caption: str
    notes: list[str] = field(default_factory=list)


Block = str | GridBlock


def compose(rng: random.Random, sc: Scenario, web: bool = False) -> list[Block]:
    """The reply's blocks in reading order."""
    blocks: list[Block] = [*letter.heading(rng, sc, web), *letter.request(rng, sc)]
    if sc.kind in {"refused", "not_held", "ncnd"}:
        return blocks + grounds.no_data(rng, sc) + letter.sign_off(rng, sc)
    blocks += letter.intro(rng, sc) + letter.as_at(rng, sc)
    if sc.kind == "attached":
        blocks += grounds.attached(rng, sc)
    for n, grid in enumerate(sc.grids, 1):
        blocks += _grid_blocks(rng, sc, grid, n)
    tail = [letter.suppression_note(rng, sc), letter.youngest(rng, sc), grounds.grounds(rng, sc),
            letter.caveats(rng)]
    rng.shuffle(tail)
    for part in tail:
        blocks += part
    return blocks + letter.sign_off(rng, sc)


def _grid_blocks(rng: random.Random, sc: Scenario, grid: Grid, n: int) -> list[Block]:
    if tables.is_standalone(grid):
        return [tables.standalone(rng, grid, sc)]
    notes = letter.method_note(rng, grid) if grid.kind == "platforms" else []
    before = notes if rng.random() < 0.5 else []
    after = [f for f in grid.footnotes] + [x for x in notes if x not in before]
    return [*before, GridBlock(grid, tables.caption(rng, grid, n, sc), after)]


def _text(blocks: list[Block], grid_text: Callable[[GridBlock], str], sep: str) -> str:
    out = []
    for b in blocks:
        if isinstance(b, GridBlock):
            out.append("\n".join([b.caption, grid_text(b), *b.notes]))
        else:
            out.append(b)
    return sep.join(out)


def render_text(rng: random.Random, sc: Scenario) -> bytes:
    """The plain-text layouts (pipe, tab, markdown, keyword, prose, attached, refusal)."""
    web = sc.layout == "pipe" or (sc.layout in {"prose", "keyword"} and rng.random() < 0.3)
    blocks = compose(rng, sc, web=web)
    writers: dict[str, Callable[[GridBlock], str]] = {
        "pipe": lambda b: tables.pipe(b.grid),
        "tab": lambda b: tables.tab(b.grid, rng),
        "markdown": lambda b: tables.markdown(b.grid),
        "keyword": lambda b: "\n".join(tables.keyword_lines(rng, b.grid, sc)),
        "prose": lambda b: " ".join(tables.sentences(rng, b.grid, sc)),
    }
    writer = writers.get(sc.layout, lambda b: tables.markdown(b.grid))
    sep = "\n" if sc.layout == "pipe" else "\n\n"
    return _text(blocks, writer, sep).encode("utf-8")


def _html_blocks(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if isinstance(b, GridBlock):
            out.append(f"<h3>{html.escape(b.caption)}</h3>")
            out.append(tables.html_table(b.grid))
            out += [f"<p><small>{html.escape(n)}</small></p>" for n in b.notes]
        else:
            out.append("<p>" + "<br>".join(html.escape(x) for x in b.split("\n")) + "</p>")
    return "\n".join(out)


def render_html(rng: random.Random, sc: Scenario) -> bytes:
    """A web page with <table>s and some navigation chrome."""
    body = _html_blocks(compose(rng, sc, web=rng.random() < 0.5))
    page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Disclosure log"
            "</title><style>td{padding:2px}</style></head><body>\n<nav><a href=\"/\">Home</a> "
            "| <a href=\"/foi\">Disclosure log</a></nav>\n<main>\n" + body +
            "\n</main><footer>© Police</footer></body></html>\n")
    return page.encode("utf-8")


FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so that the same seed gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with now
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z",
                              data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data)
    return out.getvalue()


def render_xlsx(sc: Scenario, grids: list[GridBlock]) -> bytes:
    """A workbook: one table per sheet, or all tables down one sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "FOI"
    wb.properties.created = wb.properties.modified = datetime(2020, 1, 1)
    ws = wb.active
    ws.title = "FOI data"
    r = 1
    for b in grids:
        ws.cell(r, 1, b.caption)
        for i, row in enumerate(tables.matrix(b.grid), r + 1):
            for j, text in enumerate(row, 1):
                if text != "":
                    ws.cell(i, j, int(text) if text.isdigit() else text)
        r += len(tables.matrix(b.grid)) + 1
        for note in b.notes:
            ws.cell(r, 1, note)
            r += 1
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def render_eml(rng: random.Random, sc: Scenario) -> bytes:
    """A covering e-mail with the figures in an attached .xlsx."""
    blocks = compose(rng, sc)
    grids = [b for b in blocks if isinstance(b, GridBlock)]
    text = [b for b in blocks if isinstance(b, str)]
    text.insert(min(len(text), 4), rng.choice([
        "Please find the figures in the attached spreadsheet.",
        "The requested data is set out in the attached Excel workbook."]))
    msg = EmailMessage()
    msg["From"] = "foi@police.example"
    msg["To"] = "requester@example.org"
    msg["Subject"] = f"FOI request {sc.reference or ''}".strip()
    when = sc.response_date or sc.periods[-1].end
    msg["Date"] = format_datetime(datetime(when.year, when.month, when.day, 9, 30,
                                           tzinfo=UTC))
    msg["Message-ID"] = f"<{sc.doc_id}@police.example>"
    msg.set_content("\n\n".join(text))
    name = f"{(sc.reference or 'FOI').replace('/', '_').replace(' ', '_')}.xlsx"
    msg.add_attachment(render_xlsx(sc, grids), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       filename=name)
    msg.set_boundary(f"=={sc.doc_id}==")
    return msg.as_bytes()


__all__ = ["Block", "GridBlock", "compose", "render_eml", "render_html", "render_text",
           "render_xlsx"]
