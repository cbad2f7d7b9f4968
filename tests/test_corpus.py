"""The synthetic corpus: deterministic, valid gold, every gold number visible in the reply."""

from __future__ import annotations

import email
import json
import re
from pathlib import Path

import pytest

from bench import pools
from bench.corpus import LAYOUTS, generate, iter_corpus, main, read_manifest, visible_text
from schemas import GoldRecord
from schemas.vocab import canonical_outcome, canonical_platforms

N = 3 * len(LAYOUTS)
MARKS = pools.SUPPRESSION_MARKS + pools.PROSE_SUPPRESSED


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(N, 7, out)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_same_seed_gives_identical_files(corpus: Path, tmp_path: Path) -> None:
    generate(N, 7, tmp_path)
    assert _files(tmp_path) == _files(corpus)


def test_other_seed_gives_other_replies(corpus: Path, tmp_path: Path) -> None:
    generate(N, 8, tmp_path)
    mine, other = _files(corpus), _files(tmp_path)
    assert set(mine) & set(other) == {"manifest.jsonl"}  # doc ids carry the seed
    assert sorted(mine.values()) != sorted(other.values())


def test_each_layout_is_produced(corpus: Path) -> None:
    rows = read_manifest(corpus)
    assert {r["layout"] for r in rows} == set(LAYOUTS)
    assert len(rows) == N
    for r in rows:
        assert (corpus / r["file"]).is_file()


def test_every_gold_validates(corpus: Path) -> None:
    for path in sorted((corpus / "gold").glob("*.json")):
        rec = GoldRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))
        assert rec.doc_id == path.stem
        assert (corpus / "replies").glob(f"{rec.doc_id}.*")


def _gold_and_text(corpus: Path) -> list[tuple[str, GoldRecord, str]]:
    out = []
    for r in read_manifest(corpus):
        gold = GoldRecord.model_validate_json((corpus / "gold" / f"{r['doc_id']}.json")
                                              .read_text(encoding="utf-8"))
        out.append((r["layout"], gold, visible_text(corpus / r["file"])))
    return out


def _items(gold: GoldRecord) -> list[object]:
    return [*gold.offences, *gold.victims, *gold.suspects, *gold.platforms,
            *gold.outcomes_by_type]


def test_every_gold_number_is_in_the_reply(corpus: Path) -> None:
    checked = 0
    for layout, gold, text in _gold_and_text(corpus):
        for item in _items(gold):
            count, suppressed = item.count, item.suppressed  # type: ignore[attr-defined]
            if suppressed:
                assert any(m in text for m in MARKS), (gold.doc_id, layout, item)
            elif count:
                assert re.search(rf"(?<![\d/.]){count}(?![\d/])", text), (gold.doc_id, layout,
                                                                            item)
                checked += 1
    assert checked > 200


def test_zero_counts_are_shown_as_zero_dash_blank_or_nil(corpus: Path) -> None:
    zeros = re.compile(r"(?<![\d/])0(?![\d/])|(?<!\w)-(?!\w)|\bnil\b|\bno\b|\|\n\||\t\t|\t$",
                       re.I | re.M)
    for layout, gold, text in _gold_and_text(corpus):
        if any(getattr(i, "count", None) == 0 for i in _items(gold)):
            assert zeros.search(text) or layout in {"xlsx_eml", "html", "pdf"}, gold.doc_id


def test_labels_references_and_codes_are_in_the_reply(corpus: Path) -> None:
    for layout, gold, text in _gold_and_text(corpus):
        for row in gold.platforms:
            assert row.label.casefold() in text.casefold(), (gold.doc_id, row.label)
        refs = gold.reference if isinstance(gold.reference, list) else [gold.reference]
        assert all(r in " ".join(text.split()) for r in refs if r), (gold.doc_id, refs)
        if isinstance(gold.force, str):
            assert gold.force.casefold() in text.casefold(), gold.doc_id
        for code in gold.offence_codes:
            assert all(part.lstrip("0") in text for part in code.split("/")), (layout, code)


def test_outcome_follows_the_layout(corpus: Path) -> None:
    for layout, gold, _ in _gold_and_text(corpus):
        if layout == "refusal":
            assert gold.outcome in {"refused", "not_held", "ncnd"}
            assert not _items(gold)
        elif layout == "attached":
            assert gold.data_in_attachment is True and not _items(gold)
        else:
            assert gold.data_in_attachment is False and gold.offences
        suppressed = any(getattr(i, "suppressed", False) for i in _items(gold))
        if suppressed or gold.exemptions:
            assert gold.outcome in {"partial", "refused", "ncnd"}


def test_file_formats(corpus: Path) -> None:
    import pymupdf

    for r in read_manifest(corpus):
        path = corpus / r["file"]
        if r["layout"] == "pdf":
            with pymupdf.open(path) as doc:
                assert doc.is_pdf and doc.page_count >= 1
                assert any(p.find_tables().tables for p in doc)
        elif r["layout"] == "xlsx_eml":
            msg = email.message_from_bytes(path.read_bytes())
            names = [p.get_filename() for p in msg.walk() if p.get_filename()]
            assert len(names) == 1 and str(names[0]).endswith(".xlsx")
        elif r["layout"] == "html":
            assert "<table" in path.read_text(encoding="utf-8")


def test_pool_labels_agree_with_project_vocabularies() -> None:
    for labels, canon in pools.PLATFORMS:
        for label in labels:
            assert canonical_platforms(label) == sorted(canon), label
    for labels, outcome in pools.OUTCOMES:
        for label in labels:
            assert canonical_outcome(label) == outcome, label


def test_wording_varies_across_replies() -> None:
    first_lines = set()
    for sc, data, _ in iter_corpus(40, 3, ["prose"]):
        text = data.decode("utf-8")
        first_lines.add(next(x for x in text.splitlines() if "offences" in x)[:40])
        assert sc.layout == "prose"
    assert len(first_lines) > 10


def test_unknown_layout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown layout"):
        generate(1, 1, tmp_path, ["fax"])
    with pytest.raises(SystemExit):
        main(["--n", "1", "--out", str(tmp_path), "--layouts", "fax"])


def test_cli_writes_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--n", "4", "--seed", "2", "--out", str(tmp_path), "--layouts", "text"])
    assert len(list((tmp_path / "replies").iterdir())) == 4
    assert len(list((tmp_path / "gold").iterdir())) == 4
    assert "wrote 4 replies" in capsys.readouterr().out
