"""E-mails as people send them: HTML-only tables behind a stub, threads, corrections."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from extract.document import QUOTED_MEDIA
from extract.grouping import ReplyInput
from extract.limits import Limits
from extract.load import load_files
from extract.load.mail import is_stub
from extract.pipeline import prepare
from extract.readers.rules import read_rules
from schemas import Record

TABLE = ("<p>Offences recorded, by year:</p><table><tr><th>Year</th><th>Total</th></tr>"
         "<tr><td>2022</td><td>9</td></tr><tr><td>2023</td><td>14</td></tr></table>")


def _eml(tmp_path: Path, plain: str, html: str | None = None, name: str = "m.eml") -> Path:
    msg = EmailMessage()
    msg["Subject"] = "FOI 123/24 response"
    msg["From"] = "foi@essex.pnn.police.uk"
    msg.set_content(plain)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    path = tmp_path / name
    path.write_bytes(bytes(msg))
    return path


def _record(path: Path) -> Record:
    doc = prepare(ReplyInput(path.stem, [path]), Limits())
    return read_rules(doc)


def test_a_stub_plain_part_gives_way_to_the_html_tables(tmp_path: Path) -> None:
    path = _eml(tmp_path, "This message contains tables. Please view it in HTML.", TABLE)
    record = _record(path)
    assert sorted(o.count for o in record.offences) == [9, 14]


def test_a_full_plain_part_is_still_read(tmp_path: Path) -> None:
    loaded = load_files([_eml(tmp_path, "In 2023 we recorded 14 offences.", "<p>other</p>")])
    text = "\n".join(b.text for b in loaded.parts[0].blocks)
    assert "14 offences" in text and "other" not in text


def test_stub_detection() -> None:
    assert is_stub("")
    assert is_stub("Your e-mail client cannot display this message; view it in a browser.")
    assert not is_stub("In 2023 we recorded 14 offences. " * 3)


def test_quoted_request_and_earlier_reply_are_kept_apart(tmp_path: Path) -> None:
    plain = ("Dear requester,\nIn 2023, 12 offences were recorded.\n\n"
             "-----Original Message-----\nFrom: FOI Unit\nSent: 01 March 2024\n"
             "In 2023, 15 offences were recorded. Section 40(2) applies.\n")
    loaded = load_files([_eml(tmp_path, plain)])
    assert [p.media for p in loaded.parts] == ["message/rfc822", QUOTED_MEDIA]
    record = _record(tmp_path / "m.eml")
    assert [o.count for o in record.offences] == [12]
    assert record.exemptions == []


def test_lines_marked_as_quoted_are_not_the_answer(tmp_path: Path) -> None:
    plain = ("> How many offences were recorded in 2023?\n> 15 offences\n"
             "In 2023, 12 offences were recorded.")
    record = _record(_eml(tmp_path, plain))
    assert [o.count for o in record.offences] == [12]


def test_a_correction_is_read_for_the_new_figure_only(tmp_path: Path) -> None:
    plain = ("This e-mail corrects our earlier response. The figure of 15 offences recorded in "
             "2023 given previously was wrong and should have been 12 offences recorded.\n")
    record = _record(_eml(tmp_path, plain))
    assert [o.count for o in record.offences] == [12]
    plain = "In 2023, 12 offences were recorded, rather than 15 offences as previously stated."
    assert [o.count for o in _record(_eml(tmp_path, plain, name="n.eml")).offences] == [12]
