"""Render the bundled example replies as PDF, DOCX, XLSX and EML, so the examples show the
formats real replies arrive in (issue 13 item 9).

    python examples/render.py            # writes examples/{pdf,docx,xlsx,eml}/<reply>.<ext>
    foi-extract run examples/pdf --out out-pdf

Each reply's text is split with the project's own table finder: text outside tables becomes
paragraphs, each table a grid. PDFs draw their tables with grid lines, DOCX files hold real
Word tables, XLSX files put the letter on a "Letter" sheet and each table on its own sheet,
and an e-mail carries the letter as its body with the workbook attached. Each format gets
its own folder because files that share a stem in one folder are read as one reply.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout: tests.fixtures.render

from extract.document import Document  # noqa: E402
from extract.grouping import ReplyInput  # noqa: E402
from extract.limits import Limits  # noqa: E402
from extract.pipeline import prepare  # noqa: E402
from tests.fixtures.render import Item, render_docx, render_eml, render_pdf  # noqa: E402

FORMATS = ("pdf", "docx", "xlsx", "eml")


def items_of(doc: Document) -> list[Item]:
    """The reply as paragraphs (non-empty lines outside tables) and table grids, in order."""
    items: list[Item] = []
    at = 0
    for table in sorted(doc.tables, key=lambda t: t.start):
        items += _lines(doc.text[at:table.start])
        items.append([[cell.text for cell in row] for row in table.rows])
        at = max(at, table.end)
    return items + _lines(doc.text[at:])


def _lines(text: str) -> list[Item]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def render_workbook(items: list[Item], path: Path) -> Path:
    """The letter's paragraphs on sheet "Letter" (one a row), each table on its own sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    letter = wb.active
    letter.title = "Letter"
    n = 0
    for item in items:
        if isinstance(item, str):
            letter.append([item])
            continue
        n += 1
        sheet = wb.create_sheet(f"Table {n}")
        for row in item:
            sheet.append([int(v) if v.isdigit() and not v.startswith("0") else v for v in row])
    wb.save(path)
    return path


def render_reply(source: Path, out: Path) -> list[Path]:
    """The four renderings of one example reply."""
    doc = prepare(ReplyInput(doc_id=source.stem, paths=[source]), Limits())
    items = items_of(doc)
    folders = {fmt: out / fmt for fmt in FORMATS}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    stem = source.stem
    written = [render_pdf(items, folders["pdf"] / f"{stem}.pdf"),
               render_docx(items, folders["docx"] / f"{stem}.docx"),
               render_workbook(items, folders["xlsx"] / f"{stem}.xlsx")]
    body_only = [i for i in items if isinstance(i, str)]
    tables = [i for i in items if not isinstance(i, str)]
    attach = [written[2]] if tables else []
    written.append(render_eml(body_only + (tables if not attach else []),
                              folders["eml"] / f"{stem}.eml", attach))
    return written


def main(argv: list[str]) -> int:
    """Render every examples/replies/*.txt (or the files given) into examples/."""
    sources = [Path(a) for a in argv] or sorted((HERE / "replies").glob("*.txt"))
    for source in sources:
        for path in render_reply(source, HERE):
            print(path.relative_to(HERE.parent) if path.is_relative_to(HERE.parent) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
