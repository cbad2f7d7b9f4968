"""Deterministic synthetic corpus of FOI replies with their gold records (issue #9).

``generate(n, seed, out_dir)`` writes ``replies/<doc_id>.<ext>``, ``gold/<doc_id>.json`` and
``manifest.jsonl`` (doc_id, layout, file), one reply at a time, so any number of replies can
be made in constant memory. Reply ``i`` depends only on ``(seed, i)`` and its layout.

    python -m bench.corpus --n 100 --seed 1 --out DIR [--layouts pipe,prose]
"""

from __future__ import annotations

import argparse
import email
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.gold import gold_record
from bench.layouts import render_eml, render_html, render_text
from bench.pdf import render_pdf
from bench.scenario import Scenario, make_scenario

TEXT_LAYOUTS = ["pipe", "tab", "markdown", "keyword", "prose", "attached", "refusal"]
LAYOUTS = [*TEXT_LAYOUTS, "html", "pdf", "xlsx_eml"]
EXT = {"html": "html", "pdf": "pdf", "xlsx_eml": "eml"}

Renderer = Callable[[random.Random, Scenario], bytes]
RENDER: dict[str, Renderer] = {"html": render_html, "pdf": render_pdf, "xlsx_eml": render_eml}


def doc_id_for(seed: int, i: int) -> str:
    """The id of reply ``i`` of the corpus made with ``seed``."""
    return f"syn{seed}_{i:05d}"


def make_reply(seed: int, i: int, layout: str) -> tuple[Scenario, bytes, dict[str, object]]:
    """Scenario, file bytes and gold record of reply ``i`` (independent of all others)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    rng = random.Random(f"foi-corpus:{seed}:{i}:{layout}")
    sc = make_scenario(rng, doc_id_for(seed, i), layout)
    data = RENDER.get(layout, render_text)(rng, sc)
    return sc, data, gold_record(sc)


def iter_corpus(n: int, seed: int, layouts: list[str] | None = None
                ) -> Iterator[tuple[Scenario, bytes, dict[str, object]]]:
    """Replies one at a time; layouts are taken in turn so each appears when n >= len."""
    chosen = layouts or LAYOUTS
    for i in range(n):
        yield make_reply(seed, i, chosen[i % len(chosen)])


def generate(n: int, seed: int, out_dir: Path, layouts: list[str] | None = None) -> list[Path]:
    """Write n replies, their gold records and a manifest under ``out_dir``; return reply paths."""
    out_dir = Path(out_dir)
    (out_dir / "replies").mkdir(parents=True, exist_ok=True)
    (out_dir / "gold").mkdir(parents=True, exist_ok=True)
    paths = []
    with open(out_dir / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for sc, data, gold in iter_corpus(n, seed, layouts):
            path = out_dir / "replies" / f"{sc.doc_id}.{EXT.get(sc.layout, 'txt')}"
            path.write_bytes(data)
            (out_dir / "gold" / f"{sc.doc_id}.json").write_text(
                json.dumps(gold, indent=1, ensure_ascii=False), encoding="utf-8")
            manifest.write(json.dumps({"doc_id": sc.doc_id, "layout": sc.layout,
                                       "file": f"replies/{path.name}"}) + "\n")
            paths.append(path)
    return paths


def read_manifest(out_dir: Path) -> list[dict[str, str]]:
    """The manifest rows (doc_id, layout, file) of a generated corpus."""
    lines = (Path(out_dir) / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def visible_text(path: Path) -> str:
    """Everything a person would read in a reply file (PDF text, e-mail body, sheet cells).

    A plain reference extraction for checking the corpus; not the pipeline's loader.
    """
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            return "\n".join(page.get_text() for page in doc)
    if suffix == ".eml":
        return _eml_text(path.read_bytes())
    text = path.read_text(encoding="utf-8")
    if suffix == ".html":
        import html as html_mod

        return html_mod.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def _eml_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    msg = email.message_from_bytes(data)
    out = []
    for part in msg.walk():
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        if part.get_filename():
            wb = load_workbook(io.BytesIO(payload), read_only=True)
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    out.append(" ".join("" if v is None else str(v) for v in row))
        else:
            out.append(payload.decode(part.get_content_charset() or "utf-8"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m bench.corpus --n 100 --seed 1 --out DIR``."""
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100, help="number of replies")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--layouts", default=None,
                    help=f"comma-separated subset of: {','.join(LAYOUTS)} (default all); "
                         "'text' = the plain-text layouts")
    args = ap.parse_args(argv)
    layouts = None
    if args.layouts:
        layouts = TEXT_LAYOUTS if args.layouts == "text" else args.layouts.split(",")
        bad = [x for x in layouts if x not in LAYOUTS]
        if bad:
            ap.error(f"unknown layout(s) {', '.join(bad)}; choose from {', '.join(LAYOUTS)}")
    paths = generate(args.n, args.seed, args.out, layouts)
    print(f"wrote {len(paths)} replies to {args.out}/replies and gold to {args.out}/gold")


if __name__ == "__main__":
    main()
