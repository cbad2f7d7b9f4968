"""Scanned PDF pages: OCR words laid out as text and tables, the ocr flag, and no tesseract."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from eval.facts import flatten
from extract.grouping import ReplyInput
from extract.limits import Limits
from extract.load import load_files, ocr
from extract.load import pdf as pdf_mod
from extract.pipeline import RunConfig, process_reply
from schemas import Record
from tests.fixtures.render import image_only_pdf, render_pdf, reply_items

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "replies"
H = 10.0  # word height in points


def _w(x: float, y: float, text: str) -> ocr.Word:
    return (x, y, x + 6.0 * len(text), y + H, text)


def test_columns_from_x_positions_keep_blank_cells() -> None:
    words = [_w(50, 100, "Age"), _w(200, 100, "Female"), _w(300, 100, "Male"),
             _w(50, 120, "12-15"), _w(300, 120, "4"),  # Female blank
             _w(50, 140, "16+"), _w(200, 140, "3"), _w(300, 140, "1")]
    assert ocr.laid_out(words).split("\n") == ["Age\tFemale\tMale", "12-15\t\t4", "16+\t3\t1"]


def test_ruled_edges_are_cell_breaks_and_a_bar_before_a_word_is_i() -> None:
    words = [_w(50, 100, "|"), _w(58, 100, "can"), _w(82, 100, "advise"),
             _w(50, 130, "Year"), _w(80, 130, "|"), _w(90, 130, "Total"),
             _w(50, 150, "2019"), _w(80, 150, "|"), _w(90, 150, "7")]
    lines = ocr.laid_out(words).split("\n")
    assert lines[0] == "I can advise"
    assert lines[1:] == ["Year\tTotal", "2019\t7"]


def test_a_row_with_a_blank_label_stays_in_its_table_and_dots_are_dashes() -> None:
    words = [_w(50, 100, "Snapchat"), _w(200, 100, "24"),
             _w(200, 120, "6"),
             _w(50, 140, "Kik"), _w(200, 140, "."),
             _w(50, 170, "A"), _w(62, 170, "sentence"), _w(120, 170, "after.")]
    assert ocr.laid_out(words).split("\n") == ["Snapchat\t24", "\t6", "Kik\t-",
                                               "A sentence after."]


def test_prose_with_one_wide_gap_is_not_a_table() -> None:
    words = [_w(50, 100, "For"), _w(80, 100, "2013"), _w(200, 100, "(to"), _w(230, 100, "date):"),
             _w(50, 120, "See"), _w(80, 120, "Table"), _w(120, 120, "1")]
    assert ocr.laid_out(words).split("\n") == ["For 2013\t(to date):", "See Table 1"]


@pytest.fixture(scope="module")
def scanned_seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("scan")
    stem = "000_15da7be9d501b9f9"
    text_pdf = render_pdf(reply_items(SEEDS / f"{stem}.txt"), folder / f"{stem}.pdf")
    return text_pdf, image_only_pdf(text_pdf, folder / f"{stem}_scan.pdf")


def _facts(path: Path) -> tuple[list[tuple[object, ...]], Record]:
    record, _ = process_reply(ReplyInput(doc_id=path.stem, paths=[path]), RunConfig())
    return [(f.kind, f.key, f.value) for f in flatten(record)], record


@pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")
def test_scanned_seed_reads_as_its_text_pdf(scanned_seed: tuple[Path, Path]) -> None:
    text_pdf, scan = scanned_seed
    want, _ = _facts(text_pdf)
    got, record = _facts(scan)
    assert len(want) > 20
    assert len(set(want) & set(got)) >= 0.95 * len(want)
    flags = [f for f in record.flags if f.code == "ocr"]
    assert flags and "mean word confidence" in flags[0].message
    assert any("(OCR)" in (ev.locator or "") for v in record.victims for ev in v.evidence)


def test_without_tesseract_a_scanned_page_is_a_warning_logged_once(
        scanned_seed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    _, scan = scanned_seed
    monkeypatch.setattr(ocr, "available", lambda: False)
    blocks, warnings = pdf_mod.parse_pdf(scan.read_bytes(), Limits())  # this process
    assert blocks == [] and warnings[0] == f"page 1: {pdf_mod._NO_OCR}"
    # The worker's answer, as the parent sees it: warned on stderr once per run.
    monkeypatch.setattr(pdf_mod, "parse_pdf_isolated", lambda data, limits: ([], warnings))
    monkeypatch.setattr(pdf_mod, "_warned_no_ocr", False)
    with caplog.at_level(logging.WARNING):
        first = load_files([scan])
        load_files([scan])
    assert any("no OCR" in w for w in first.warnings)
    assert sum("tesseract is not installed" in r.message for r in caplog.records) == 1
