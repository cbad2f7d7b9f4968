"""The model's table mappings are expanded by the rules reader's own table step: a table
split by column subject, a platform the title names applied."""

from __future__ import annotations

from datetime import date

from extract.document import Document, Table
from extract.readers.expand import expand
from extract.readers.llm import grid_expander
from extract.tables import find_tables
from schemas.mapping import HeaderCell, TableMapping, TableScope
from schemas.record import Period

FB = ("Crime reports mentioning Facebook\nYear\tReports\n2010\t33\n2011\t48\n")


def _doc(text: str) -> tuple[Document, Table]:
    doc = Document("t", text)
    doc.tables = find_tables(doc)
    return doc, doc.tables[0]


def _by_year(t: Table, counts: str) -> TableMapping:
    """A mapping as a model gives it: rows are years, no platform header."""
    cells = [HeaderCell(cell=f"r{r + 1}c1", role="period",
                        period=Period(start=date(int(row[0].text), 1, 1),
                                      end=date(int(row[0].text), 12, 31)))
             for r, row in enumerate(t.rows) if row[0].text.isdigit()]
    return TableMapping(table=t.id, counts=counts, header_rows=1, header_cols=1,  # type: ignore[arg-type]
                        col_roles=["ignore"], row_roles=["period"], cells=cells,
                        scope=TableScope(method="keyword_search"))


def test_a_platform_table_without_a_platform_header_takes_its_title_platform() -> None:
    doc, t = _doc(FB)
    got = grid_expander(doc)(doc, _by_year(t, "platforms"))
    rows = sorted((p.period.start.year, p.platforms, p.count) for p in got["platforms"])
    assert rows == [(2010, ["Facebook"], 33), (2011, ["Facebook"], 48)]
    assert all(p.readers == ["llm"] for p in got["platforms"])


def test_a_platform_count_with_no_platform_named_keeps_an_empty_label() -> None:
    doc, t = _doc(FB.replace("Facebook", "social media"))
    got = expand(doc, t, _by_year(t, "platforms"), {})
    assert sorted((p.label, p.platforms, p.count) for p in got.platforms) == [
        ("", [], 33), ("", [], 48)]  # the contract: platforms empty when the row has no name


def test_columns_of_different_subjects_split_for_the_model_too() -> None:
    text = "Year\tCrimes\tCharged\n2021\t991\t40\n2022\t1256\t50\n"
    doc, t = _doc(text)
    got = grid_expander(doc)(doc, _by_year(t, "offences"))
    assert sorted(o.count for o in got["offences"]) == [991, 1256]
    assert sorted((o.outcome, o.count) for o in got["outcomes_by_type"]) == [
        ("charged", 40), ("charged", 50)]
