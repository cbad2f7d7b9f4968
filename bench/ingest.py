"""Ingestion throughput: load + normalise + find_tables on >= 1,000 generated PDF replies,
against plain ``pymupdf`` ``page.get_text()`` and ``pymupdf4llm.to_markdown`` on the same PDFs
in the same run.

Replies are variations of seeds 000 and 004 (their tables as find_tables reads them, with the
numbers changed) rendered by tests/fixtures/render.py. Run: ``python bench/ingest.py [-n N]``.
Writes bench/results/ingest.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402

from extract.load import load_files  # noqa: E402
from extract.normalise import normalise  # noqa: E402
from extract.tables import find_tables  # noqa: E402
from tests.fixtures.render import Grid, Item, render_pdf  # noqa: E402

SEEDS = ROOT / "examples" / "replies"


def seed_items(stem: str) -> list[Item]:
    """A seed reply as paragraphs and grids (its tables as find_tables reads its text)."""
    doc = normalise(stem, load_files([SEEDS / f"{stem}.txt"]))
    items: list[Item] = [f"Reply {stem}"]
    for t in find_tables(doc):
        items += [t.title.splitlines()[-1] if t.title else "Table",
                  [[c.text for c in row] for row in t.rows]]
    return items


def vary(items: list[Item], rng: random.Random) -> list[Item]:
    """The same reply with every number in its tables replaced (and some text added)."""
    out: list[Item] = [f"Freedom of Information reply {rng.randint(1000, 9999)}/24"]
    for item in items:
        if isinstance(item, str):
            out.append(item)
            continue
        grid: Grid = [[str(rng.randint(0, 99)) if v.isdigit() and r and c else v
                       for c, v in enumerate(row)] for r, row in enumerate(item)]
        out.append(grid)
    return out


def generate(folder: Path, n: int) -> list[Path]:
    """n PDF replies, alternating seed 000 and 004 variations."""
    rng = random.Random(4)
    bases = [seed_items("000_15da7be9d501b9f9"), seed_items("004_adb5c984613db103")]
    return [render_pdf(vary(bases[i % 2], rng), folder / f"r{i:05d}.pdf") for i in range(n)]


def run_pipeline(paths: list[Path]) -> tuple[float, int, int]:
    """Seconds for load + normalise + find_tables over every path; tables and errors seen."""
    t0 = time.perf_counter()
    tables = errors = 0
    for p in paths:
        doc = normalise(p.stem, load_files([p]))
        tables += len(find_tables(doc))
        errors += len(doc.errors)
    return time.perf_counter() - t0, tables, errors


def run_plain(paths: list[Path]) -> float:
    """Seconds for plain pymupdf ``page.get_text()`` over every page of every path."""
    t0 = time.perf_counter()
    for p in paths:
        with pymupdf.open(p) as doc:
            for page in doc:
                page.get_text()
    return time.perf_counter() - t0


def run_markdown(paths: list[Path]) -> float | None:
    """Seconds for ``pymupdf4llm.to_markdown`` over every path (None when not installed)."""
    try:
        import pymupdf4llm  # type: ignore[import-not-found]
    except ImportError:
        return None
    t0 = time.perf_counter()
    for p in paths:
        pymupdf4llm.to_markdown(str(p), show_progress=False)
    return time.perf_counter() - t0


def main() -> None:
    """Generate the corpus, time both runs, print and write the result."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1000, help="number of replies (default 1000)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = generate(Path(tmp), args.n)
        gen_s = time.perf_counter() - t0
        plain_s = run_plain(paths)
        md_s = run_markdown(paths)
        pipe_s, tables, errors = run_pipeline(paths)
        pages = sum(pymupdf.open(p).page_count for p in paths)
    result = {
        "replies": args.n, "pages": pages, "tables_found": tables, "errors": errors,
        "generate_s": round(gen_s, 2),
        "pipeline_s": round(pipe_s, 2), "pipeline_replies_per_s": round(args.n / pipe_s, 1),
        "plain_get_text_s": round(plain_s, 2),
        "plain_replies_per_s": round(args.n / plain_s, 1),
        "slowdown_vs_plain": round(pipe_s / plain_s, 1),
        "pymupdf4llm_to_markdown_s": None if md_s is None else round(md_s, 2),
        "pymupdf4llm_replies_per_s": None if md_s is None else round(args.n / md_s, 1),
        "speed_vs_pymupdf4llm": None if md_s is None else round(md_s / pipe_s, 2),
        "pymupdf": pymupdf.VersionBind, "python": platform.python_version(),
        "pipeline": "load_files (forked worker per PDF, find_tables) + normalise + "
                    "extract.tables.find_tables",
    }
    out = ROOT / "bench" / "results" / "ingest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
