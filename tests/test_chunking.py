"""Chunking: headings split, budget packs, tables are never split, offsets are exact."""

from __future__ import annotations

from extract.chunking import chunk, section_starts
from extract.document import Document, Table, TableCell


def _doc(text: str, tables: list[tuple[int, int]] = ()) -> Document:  # type: ignore[assignment]
    ts = [Table(id=f"T{i + 1}", rows=[[TableCell(text[s:e], s, e, 0, 0)]], start=s, end=e,
                source="tab") for i, (s, e) in enumerate(tables)]
    return Document(doc_id="d", text=text, tables=ts)


def test_heading_kinds_start_sections() -> None:
    text = ("intro\nQuestion 3\nbody\nQ4 more\n1a. sub\nTABLE 2\nx\nREQUEST\nR\n"
            "Reason for decision\nwhy\n- 2. next\n12-15 is not a heading\n")
    doc = _doc(text)
    heads = [text[s:].split("\n")[0] for s in section_starts(doc)[1:]]
    assert heads == ["Question 3", "Q4 more", "1a. sub", "TABLE 2", "REQUEST",
                     "Reason for decision", "- 2. next"]


def test_chunks_tile_the_text_and_respect_budget() -> None:
    text = "".join(f"Question {i}\n" + "word " * 60 + "\n" for i in range(1, 30))
    doc = _doc(text)
    chunks = chunk(doc, budget_tokens=200)
    assert "".join(c.text for c in chunks) == text
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)
    assert all(len(c.text) / 4 <= 200 for c in chunks) and len(chunks) > 5
    assert all(c.text.startswith("Question") for c in chunks)


def test_table_is_never_split_and_big_table_warns() -> None:
    table = "".join(f"row {i}\t{i}\n" for i in range(400))
    text = "Question 1\nintro line\n" + table + "Question 2\nafter\n"
    start = text.index("row 0")
    doc = _doc(text, [(start, start + len(table) - 1)])
    chunks = chunk(doc, budget_tokens=100)
    holding = [c for c in chunks if "T1" in c.table_ids]
    assert len(holding) == 1
    assert holding[0].start <= start and holding[0].end >= start + len(table) - 1
    assert any("T1" in w and "over the budget of 100" in w for w in doc.warnings)
    assert "".join(c.text for c in chunks) == text


def test_heading_inside_a_table_does_not_split_it() -> None:
    text = "Intro\nQuestion\tCount\nQ1\t5\nQ2\t6\nend\n"
    s = text.index("Question")
    e = text.index("\nend")
    doc = _doc(text, [(s, e)])
    assert all(not (s < b < e) for b in section_starts(doc))


def test_long_section_is_split_at_lines() -> None:
    text = "Question 1\n" + "".join(f"line {i} " + "x" * 50 + "\n" for i in range(100))
    chunks = chunk(_doc(text), budget_tokens=100)
    assert len(chunks) > 5 and all(c.text.endswith("\n") for c in chunks)
