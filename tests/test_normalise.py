"""Normalisation: character fixes only for plain text, parts joined with markers, table cells
pointing at their text, boilerplate spans, locators, hash and truncation."""

from __future__ import annotations

from pathlib import Path

from extract.document import Block, LoadResult, Part
from extract.limits import Limits
from extract.load import load_files
from extract.normalise import clean_chars, normalise

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "replies"


def test_character_fixes() -> None:
    raw = ("a\r\nb\rc\u00a0d\u2009e \u2013 \u2014 \u2010\u2011\u2212 \u2018x\u2019 \u201cy\u201d "
           "\ufb01le \u00adsoft\u200bzero\tTab e\u0301")
    assert clean_chars(raw) == "a\nb\nc d e \u2013 \u2014 --- 'x' \"y\" file softzero\tTab \u00e9"


def test_plain_text_reply_keeps_its_text() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        doc = normalise(path.stem, load_files([path]))
        assert doc.text == clean_chars(path.read_text(encoding="utf-8"))
        assert doc.parts[0].start == 0 and doc.parts[0].end == len(doc.text)
        assert doc.locate(5) == (path.name, None)


def test_seed_boilerplate_lines_are_marked_not_removed() -> None:
    path = SEEDS / "000_15da7be9d501b9f9.txt"
    doc = normalise(path.stem, load_files([path]))
    quotes = [doc.text[s:e] for s, e in doc.boilerplate]
    assert quotes[0] == "Leave this site"
    assert len(quotes) == 7 and all("Question" not in q for q in quotes)
    assert doc.text.startswith("Leave this site\n")


def _loaded() -> LoadResult:
    letter = Part("letter.pdf", "application/pdf", [
        Block("text", text="Dear requester\u00a0,", locator="page 1"),
        Block("table", rows=[["Year", "Total"], ["2013", "1\t2"], ["", "a\nb"]], source="pdf",
              locator="page 1"),
        Block("text", text="Yours", locator="page 2"),
    ])
    sheet = Part("letter.pdf/data.xlsx", "application/x", [
        Block("table", rows=[["Age", "Count"], ["12-15", "22"]], source="sheet",
              locator="sheet Data")])
    return LoadResult(parts=[letter, sheet], warnings=["w1"], errors=["e1"])


def test_parts_tables_and_locators() -> None:
    doc = normalise("r", _loaded())
    assert doc.text == ("Dear requester ,\nYear\tTotal\n2013\t1 2\n\ta b\nYours\n\n"
                        "[part: letter.pdf/data.xlsx]\nAge\tCount\n12-15\t22\n")
    assert [t.id for t in doc.tables] == ["T1", "T2"]
    t1, t2 = doc.tables
    assert t1.source == "pdf" and t1.part == "letter.pdf" and t1.title == "Dear requester ,"
    assert t2.part == "letter.pdf/data.xlsx" and t2.source == "sheet"
    for t in doc.tables:
        assert doc.text[t.start:t.end].split("\n")[0] == "\t".join(c.text for c in t.rows[0])
        for row in t.rows:
            for c in row:
                assert doc.text[c.start:c.end] == c.text
    blank = t1.rows[2][0]
    assert blank.blank and blank.start == blank.end
    assert doc.locate(doc.text.index("Yours")) == ("letter.pdf", "page 2")
    assert doc.locate(t1.rows[1][1].start) == ("letter.pdf", "page 1")
    assert doc.locate(t2.rows[1][1].start) == ("letter.pdf/data.xlsx", "sheet Data")
    assert doc.warnings == ["w1"] and doc.errors == ["e1"]


def test_input_hash_tracks_file_bytes(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("one")
    h1 = normalise("a", load_files([a])).input_hash
    a.write_text("two")
    h2 = normalise("a", load_files([a])).input_hash
    assert len(h1) == 64 and h1 != h2


def test_truncation_warns_and_drops_cut_tables() -> None:
    doc = normalise("r", _loaded(), Limits(max_text_chars=30))
    assert len(doc.text) == 30
    assert [t.id for t in doc.tables] == []
    assert any("cut to the first 30" in w for w in doc.warnings)
    assert all(p.end <= 30 for p in doc.parts)
