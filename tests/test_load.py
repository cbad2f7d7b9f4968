"""Loaders: bad input gives a per-reply error or warning with a clear message, never an
exception; odd formats (colspan/rowspan, merged cells, encodings, nesting) come out right."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pymupdf
import pytest

from extract.limits import Limits
from extract.load import load_files
from extract.normalise import normalise


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _pdf_bytes(pages: int = 1, text: str = "Total Count 52", **save: object) -> bytes:
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page().insert_text((72, 72), f"{text} page {i + 1}")
    data = doc.tobytes(**save)
    doc.close()
    return data


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_empty_file(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "a.txt", b"")])
    assert r.errors == ["a.txt: empty file"] and r.parts == []


def test_binary_junk_named_pdf(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "junk.pdf", bytes(range(256)) * 40)])
    assert len(r.errors) == 1 and r.errors[0].startswith("junk.pdf: not a readable PDF")


def test_encrypted_pdf(tmp_path: Path) -> None:
    data = _pdf_bytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    r = load_files([_write(tmp_path, "locked.pdf", data)])
    assert r.errors == ["locked.pdf: encrypted PDF (a password is needed)"]


def test_truncated_zip(tmp_path: Path) -> None:
    data = _zip_bytes({"a.txt": b"hello " * 500, "b.txt": b"world " * 500})
    r = load_files([_write(tmp_path, "cut.zip", data[: len(data) // 2])])
    assert len(r.errors) == 1 and r.errors[0].startswith("cut.zip: corrupt or truncated zip")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    data = _zip_bytes({"zeros.txt": b"0" * 5_000_000})
    assert len(data) < 50_000
    r = load_files([_write(tmp_path, "bomb.zip", data)], Limits(max_unzipped_bytes=1_000_000))
    assert r.parts == []
    assert r.errors and "over the limit of 1,000,000 (zip bomb?)" in r.errors[0]


def test_nested_zip_bomb_shares_one_budget(tmp_path: Path) -> None:
    inner = _zip_bytes({"z.txt": b"0" * 700_000})
    data = _zip_bytes({"one.zip": inner, "two.zip": inner})
    r = load_files([_write(tmp_path, "n.zip", data)], Limits(max_unzipped_bytes=1_000_000))
    assert len(r.parts) == 1
    assert any("zip bomb?" in e for e in r.errors)


def test_zip_nesting_depth_cap(tmp_path: Path) -> None:
    data = _zip_bytes({"deep.txt": b"deep text"})
    for i in range(4):
        data = _zip_bytes({f"level{i}.zip": data})
    r = load_files([_write(tmp_path, "top.zip", data)], Limits(max_nesting=2))
    assert r.parts == []
    assert any("nested more than 2 levels deep" in e for e in r.errors)


def test_thousand_page_pdf_is_capped_with_a_warning(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "big.pdf", _pdf_bytes(pages=1000))])
    assert r.errors == []
    assert "big.pdf: 1000 pages; only the first 300 were read" in r.warnings
    doc = normalise("big", r)
    assert "page 300\n" in doc.text + "\n" and "page 301" not in doc.text
    assert doc.locate(doc.text.index("page 300")) == ("big.pdf", "page 300")


def test_pdf_worker_timeout_is_an_error(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "slow.pdf", _pdf_bytes(pages=300))],
                   Limits(reply_timeout_s=0.01))
    assert r.errors == ["slow.pdf: PDF parsing took longer than 0.01 s; stopped"]


def test_scanned_page_is_reported(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 20, 20), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(50, 50, 300, 300), pixmap=pix)
    r = load_files([_write(tmp_path, "scan.pdf", doc.tobytes())])
    # A blank picture: OCR (when installed) finds nothing, and the page is still reported.
    assert r.warnings[0] in ("scan.pdf: page 1: scanned, OCR found no text",
                             "scan.pdf: page 1: scanned, no text (tesseract is not installed: "
                             "no OCR)")


def test_cp1252_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    data = "Snapchat \u2013 7 offences, caf\u00e9 \u201cquoted\u201d".encode("cp1252")
    r = load_files([_write(tmp_path, "win.txt", data)])
    assert r.warnings == ["win.txt: not valid UTF-8; decoded as Windows-1252"]
    assert normalise("win", r).text == 'Snapchat \u2013 7 offences, caf\u00e9 "quoted"'


@pytest.mark.parametrize("bom,enc", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                     (b"\xfe\xff", "utf-16-be")])
def test_byte_order_marks(tmp_path: Path, bom: bytes, enc: str) -> None:
    r = load_files([_write(tmp_path, "b.txt", bom + "Total Count 52\n".encode(enc))])
    assert r.errors == [] and normalise("b", r).text == "Total Count 52\n"


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "junk.txt", bytes(range(32)) * 100)])
    assert r.errors == ["junk.txt: binary content, not text"]


def test_unknown_extension(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "reply.xyz", b"just some words")])
    assert r.errors == ["reply.xyz: unsupported file type (.xyz; content not recognised)"]


def test_unknown_extension_sniffed_as_pdf(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "reply.dat", _pdf_bytes())])
    assert r.errors == [] and "Total Count 52" in r.parts[0].blocks[0].text


def test_pdf_content_under_wrong_extension_warns(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "reply.html", _pdf_bytes())])
    assert r.warnings == ["reply.html: content is PDF, not .html; read as such"]


def test_over_file_size_limit(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "a.txt", b"x" * 2000)], Limits(max_file_bytes=1000))
    assert r.errors == ["a.txt: file is 2,000 bytes, over the limit of 1,000"]


def test_batch_with_one_bad_file_loads_the_others(tmp_path: Path) -> None:
    paths = [_write(tmp_path, "letter.txt", b"Question 1\nTotal Count 52"),
             _write(tmp_path, "junk.pdf", b"\x00\x01 not a pdf" * 50),
             tmp_path / "missing.csv",
             _write(tmp_path, "data.csv", b"Year,Total\n2013,12\n2014,6\n")]
    r = load_files(paths)
    assert [p.name for p in r.parts] == ["letter.txt", "data.csv"]
    assert [e.split(":")[0] for e in r.errors] == ["junk.pdf", "missing.csv"]
    assert r.parts[1].blocks[0].rows == [["Year", "Total"], ["2013", "12"], ["2014", "6"]]


def test_html_colspan_rowspan(tmp_path: Path) -> None:
    page = b"""<html><body><p>Table 2</p><table>
      <tr><th rowspan="2">Victim Age</th><th colspan="3">Year</th><th rowspan="2">Total</th></tr>
      <tr><th>2013</th><th>2014</th><th>2015</th></tr>
      <tr><td>Under 10</td><td>-</td><td>1</td><td><b>-</b></td><td>1</td></tr>
    </table><p>After</p></body></html>"""
    r = load_files([_write(tmp_path, "t.html", page)])
    table = [b for b in r.parts[0].blocks if b.kind == "table"][0]
    # merged labels are carried across and down (issue 14)
    assert table.rows == [["Victim Age", "Year", "Year", "Year", "Total"],
                          ["Victim Age", "2013", "2014", "2015", "Total"],
                          ["Under 10", "-", "1", "-", "1"]]
    assert [b.text for b in r.parts[0].blocks if b.kind == "text"] == ["Table 2", "After"]


def test_xlsx_merged_cells_and_every_sheet(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Victims"
    ws.append(["Age", "Year", None])
    ws.append([None, 2013, 2014])
    ws.append(["Under 10", 1.0, "-"])
    ws.merge_cells("B1:C1")
    wb.create_sheet("Notes").append(["Data as at 07 September 2021"])
    wb.save(tmp_path / "w.xlsx")
    r = load_files([tmp_path / "w.xlsx"])
    blocks = r.parts[0].blocks
    # each sheet's name is a heading line above its table; a one-line sheet stays a table
    assert [(b.kind, b.locator) for b in blocks] == [
        ("text", "sheet Victims"), ("table", "sheet Victims"),
        ("text", "sheet Notes"), ("table", "sheet Notes")]
    blocks = [b for b in blocks if b.kind == "table"]
    # a small workbook is read whole, so the merged "Year" label spans both its columns
    assert blocks[0].rows == [["Age", "Year", "Year"], ["", "2013", "2014"],
                              ["Under 10", "1", "-"]]


def test_xlsx_merged_count_is_not_copied(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Area", "Female", "Male"])
    ws.append(["North", 7, None])
    ws.append(["South", 1, 2])
    ws.append(["Rapes by area", None, None])
    ws.merge_cells("B2:C2")  # one count over two columns stays one count
    ws.merge_cells("A4:C4")  # a row-wide note is not a label
    wb.save(tmp_path / "w.xlsx")
    rows = [b for b in load_files([tmp_path / "w.xlsx"]).parts[0].blocks
            if b.kind == "table"][0].rows
    assert rows[1] == ["North", "7", ""] and rows[3] == ["Rapes by area", "", ""]


def test_ods_sheet(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Data")
    for values in (["Year", "Total"], ["2013", "12"]):
        row = TableRow()
        for v in values:
            cell = TableCell()
            cell.addElement(P(text=v))
            row.addElement(cell)
        table.addElement(row)
    pad = TableRow(numberrowsrepeated=1000000)
    pad.addElement(TableCell(numbercolumnsrepeated=1024))
    table.addElement(pad)
    merged = TableRow()
    first = TableCell(numbercolumnsspanned=2)
    first.addElement(P(text="Note"))
    merged.addElement(first)
    merged.addElement(CoveredTableCell())
    table.addElement(merged)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "s.ods"))
    r = load_files([tmp_path / "s.ods"])
    heading, table = r.parts[0].blocks  # the sheet's name heads its table
    assert heading.text.strip() == "Data"
    rows = table.rows
    assert rows[:2] == [["Year", "Total"], ["2013", "12"]]
    assert rows[-1] == ["Note", ""] and len(rows) == 10_003  # padding capped, not a million


def test_eml_with_html_body_and_nested_zip(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["Subject"] = "FOI 2572/15"
    msg.set_content("plain body")
    msg.add_alternative("<p>html body</p>", subtype="html")
    msg.add_attachment(_zip_bytes({"inner/table.csv": b"Year,Total\n2013,12\n"}),
                       maintype="application", subtype="zip", filename="data.zip")
    msg.add_attachment(b"\x89PNG\r\n", maintype="image", subtype="png", filename="logo.png")
    r = load_files([_write(tmp_path, "m.eml", bytes(msg))])
    assert [p.name for p in r.parts] == ["m.eml", "m.eml/data.zip/inner/table.csv"]
    assert r.warnings == ["m.eml/logo.png: image, not read (no OCR)"]
    body = "\n".join(b.text for b in r.parts[0].blocks)
    assert "plain body" in body and "html body" not in body


def test_msg_junk_is_a_clear_error(tmp_path: Path) -> None:
    r = load_files([_write(tmp_path, "m.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)])
    assert len(r.errors) == 1 and r.errors[0].startswith("m.msg: not a readable Outlook")


def test_docx_merged_cells(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("TABLE 1")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Year"
    t.cell(0, 2).text = "Total"
    for c, v in enumerate(["2013", "6", "7"]):
        t.cell(1, c).text = v
    d.add_paragraph("after")
    d.save(str(tmp_path / "d.docx"))
    blocks = load_files([tmp_path / "d.docx"]).parts[0].blocks
    assert [b.kind for b in blocks] == ["text", "table", "text"]
    assert blocks[1].rows == [["Year", "Year", "Total"], ["2013", "6", "7"]]
