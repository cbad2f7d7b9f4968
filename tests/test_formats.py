"""The same grids come back cell for cell from every rendered format (PDF, DOCX, XLSX, HTML,
EML with attachments, ZIP), including the seed replies' tables as find_tables reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.document import Document
from extract.load import load_files
from extract.normalise import normalise
from extract.tables import find_tables
from tests.fixtures.render import Grid, Item, render_all

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "replies"
FORMATS = ["pdf", "docx", "xlsx", "html", "eml", "zip"]

OWN: list[Item] = [
    "Freedom of Information Request - Reference No: 123/24",
    "Question 2: victims by age and gender.",
    [["", "11 and under", "12-15", "16 and over"], ["Female", "", "22", "*"],
     ["Male", "3", "", "1"], ["Sum:", "3", "22", "1"]],
    "Question 4: method of communication.",
    [["Method of communication", "Total"], ["Snapchat", "24"], ["", "6"], ["Kik", "3"],
     ["Grand Total", "33"]],
]


def _grids(doc: Document) -> list[Grid]:
    return [[[c.text for c in row] for row in t.rows] for t in doc.tables]


def _seed_items(stem: str) -> tuple[list[Item], list[Grid]]:
    path = SEEDS / f"{stem}.txt"
    doc = normalise(stem, load_files([path]))
    items: list[Item] = [f"Reply {stem}"]
    grids = []
    for t in find_tables(doc):
        grid = [[c.text for c in row] for row in t.rows]
        grids.append(grid)
        items += [t.title.splitlines()[-1] if t.title else "Table", grid]
    return items, grids


def _expected(fmt: str, grids: list[Grid]) -> list[Grid]:
    # The e-mail carries the XLSX and the PDF as attachments; the zip the DOCX and the HTML.
    return grids * 2 if fmt in ("eml", "zip") else grids


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, list[Grid]]]:
    folder = tmp_path_factory.mktemp("rendered")
    out = {"own": (render_all(OWN, folder / "own", "own"),
                   [i for i in OWN if not isinstance(i, str)])}
    for stem in ("000_15da7be9d501b9f9", "004_adb5c984613db103"):
        items, grids = _seed_items(stem)
        out[stem] = (render_all(items, folder / stem, stem), grids)
    return out


def test_seed_grids_are_the_gold_tables(rendered: dict) -> None:
    """Guard: the seeds' grids are the tables the gold records were read from."""
    grids_000 = rendered["000_15da7be9d501b9f9"][1]
    assert grids_000[0][1] == ["Female", "", "22", "", "2"]
    assert grids_000[0][2] == ["Male", "*", "*", "", ""]
    assert len(rendered["004_adb5c984613db103"][1]) == 6


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("reply", ["own", "000_15da7be9d501b9f9", "004_adb5c984613db103"])
def test_same_grids_from_every_format(rendered: dict, reply: str, fmt: str) -> None:
    paths, grids = rendered[reply]
    loaded = load_files([paths[fmt]])
    assert loaded.errors == []
    doc = normalise(reply, loaded)
    assert _grids(doc) == _expected(fmt, grids)
    for t in doc.tables:
        for row in t.rows:
            for c in row:
                assert doc.text[c.start:c.end] == c.text
                assert (c.start == c.end) == (c.text == "")


def test_pdf_tables_keep_page_locators_and_leave_page_text(rendered: dict) -> None:
    paths, _ = rendered["own"]
    doc = normalise("own", load_files([paths["pdf"]]))
    t = doc.tables[0]
    assert doc.locate(t.rows[1][2].start) == ("own.pdf", "page 1")
    assert doc.text.count("Snapchat") == 1  # once, in the table, not also as page text
    assert "Question 2: victims by age and gender." in doc.text


def test_eml_parts_are_named_after_their_attachments(rendered: dict) -> None:
    paths, _ = rendered["own"]
    doc = normalise("own", load_files([paths["eml"]]))
    assert [p.name for p in doc.parts] == ["own.eml", "own.eml/own.xlsx", "own.eml/own.pdf"]
    assert "[part: own.eml/own.xlsx]" in doc.text
    assert "Subject: FOI reply" in doc.text
    xlsx_table = doc.tables[0]
    assert xlsx_table.part == "own.eml/own.xlsx"
    assert doc.locate(xlsx_table.start) == ("own.eml/own.xlsx", "sheet Table 1")


def test_html_drops_script_and_nav(rendered: dict) -> None:
    paths, _ = rendered["own"]
    doc = normalise("own", load_files([paths["html"]]))
    assert "tracking" not in doc.text and "Home" not in doc.text
    assert doc.text.startswith("Freedom of Information Request")
