"""examples/render.py renders a bundled reply as PDF, DOCX, XLSX and EML; the PDF and DOCX
forms read back to the same offence counts as the text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from extract.grouping import ReplyInput
from extract.pipeline import RunConfig, process_reply

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "replies" / "004_adb5c984613db103.txt"


def _render_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("examples_render", ROOT / "examples" /
                                                  "render.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _offences(path: Path) -> list[tuple[str, str, int | None]]:
    record, _ = process_reply(ReplyInput(doc_id=path.stem, paths=[path]), RunConfig())
    return sorted((str(o.period.start), str(o.code), o.count) for o in record.offences)


def test_render_writes_four_formats_that_read_back(tmp_path: Path) -> None:
    written = _render_module().render_reply(SEED, tmp_path)
    assert sorted(p.suffix for p in written) == [".docx", ".eml", ".pdf", ".xlsx"]
    assert all(p.stat().st_size > 0 for p in written)
    want = _offences(SEED)
    assert want
    for path in written:
        if path.suffix in (".pdf", ".docx"):
            assert _offences(path) == want, path.suffix
