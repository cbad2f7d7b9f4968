"""Issue 13 item 6: a reply that gives two values for one fact gets a ``conflict`` flag
naming both, and the review page shows such replies first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from extract.document import Document
from extract.grouping import ReplyInput
from extract.merge import conflict_flags
from extract.pipeline import RunConfig, process_reply
from extract.review import read_page_data
from extract.runner import run_batch
from schemas import Evidence, OffenceCount, Period, Record
from tests.test_runner_support import EXAMPLES, fake_process, replies_in

FY = Period(start=date(2024, 4, 1), end=date(2025, 3, 31))


def _offence(count: int, at: int) -> OffenceCount:
    return OffenceCount(period=FY, count=count, code="71/17",
                        evidence=[Evidence(start=at, end=at + 2, quote=str(count))])


def test_two_values_for_one_key_name_both() -> None:
    record = Record(doc_id="d", outcome="full",
                    offences=[_offence(52, 0), _offence(61, 10), _offence(52, 20)])
    flags = conflict_flags(record)
    assert len(flags) == 1 and flags[0].code == "conflict"
    assert "52" in flags[0].message and "61" in flags[0].message
    assert "2024-04-01 to 2025-03-31" in flags[0].message
    assert len(flags[0].evidence) == 3


def test_the_same_value_twice_is_no_conflict() -> None:
    record = Record(doc_id="d", outcome="full", offences=[_offence(52, 0), _offence(52, 9)])
    assert conflict_flags(record) == []


def test_a_reply_contradicting_itself_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("In 2024/25 there were 61 offences recorded.\n\nYear\tOffences\n"
                    "2024/25\t52\n", encoding="utf-8")
    record, _ = process_reply(ReplyInput("r", [path]), RunConfig())
    assert sorted(o.count for o in record.offences) == [52, 61]
    conflicts = [f for f in record.flags if f.code == "conflict"]
    assert len(conflicts) == 1 and "52" in conflicts[0].message and "61" in conflicts[0].message


def test_review_page_shows_conflicts_first(tmp_path: Path) -> None:
    last = replies_in(EXAMPLES)[-1].doc_id

    def process(reply: object, config: object) -> tuple[Record, Document]:
        record, doc = fake_process(reply, config)  # type: ignore[arg-type]
        if record.doc_id == last:
            record.flags += conflict_flags(record.model_copy(update={
                "offences": [_offence(1, 0), _offence(2, 0)]}))
        return record, doc

    run_batch(replies_in(EXAMPLES), {"backend": "test"}, tmp_path / "out", process=process)
    page = (tmp_path / "out" / "review.html").read_text(encoding="utf-8")
    # The page sorts its index by `urgent` first (the browser test checks the drawn order).
    urgent = {r["doc_id"]: r["urgent"] for r in read_page_data(page)["replies"]}
    assert urgent[last] >= 1
    assert all(n == 0 for d, n in urgent.items() if d != last)


def test_platform_rows_with_other_labels_are_not_a_conflict() -> None:
    from schemas import PlatformRow

    def row(label: str, count: int) -> PlatformRow:
        return PlatformRow(period=FY, platforms=["WhatsApp"], label=label, count=count,
                           evidence=[Evidence(start=0, end=1, quote=str(count)[0])])

    record = Record(doc_id="d", outcome="full", platforms=[
        row("WhatsApp", 1), row("Internet - WhatsApp", 0), row("", 6), row("", 9)])
    assert conflict_flags(record) == []
    record.platforms.append(row("whatsapp", 4))
    assert len(conflict_flags(record)) == 1
