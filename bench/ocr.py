"""Scanned letters: the seeds rendered as PDFs with a text layer and as image-only PDFs (the
same pages as pictures, 200 dpi), both run through the pipeline and scored against the gold
set in one run; OCR time per page beside text-layer time per page.

Run: ``python -m bench.ocr``. Writes bench/results/ocr.json. Needs tesseract-ocr.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

from eval.facts import flatten
from eval.io import load_records, parse_record
from eval.score import score
from extract.grouping import ReplyInput
from extract.load import ocr
from extract.pipeline import RunConfig, process_reply
from tests.fixtures.render import image_only_pdf, render_pdf, reply_items

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "replies"


def _run(paths: list[Path]) -> tuple[dict[str, list], float, int]:
    """Records for each PDF, CPU seconds and pages."""
    import pymupdf

    facts, pages = {}, 0
    start = time.process_time()
    for p in paths:
        record, _ = process_reply(ReplyInput(doc_id=p.stem, paths=[p]), RunConfig())
        facts[p.stem] = flatten(parse_record(record.model_dump(mode="json"), p.name))
        with pymupdf.open(p) as doc:
            pages += doc.page_count
    return facts, time.process_time() - start, pages


def main() -> None:
    """Render, run both sets, score, write results."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ocr.json")
    args = ap.parse_args()
    if not ocr.available():
        raise SystemExit("tesseract is not installed (apt-get install tesseract-ocr)")
    gold = {k: flatten(v) for k, v in load_records(ROOT / "eval" / "gold").items()}
    with tempfile.TemporaryDirectory() as tmp:
        text_dir, scan_dir = Path(tmp, "text"), Path(tmp, "scan")
        text_dir.mkdir()
        scan_dir.mkdir()
        texts = [render_pdf(reply_items(p), text_dir / f"{p.stem}.pdf")
                 for p in sorted(SEEDS.glob("*.txt"))]
        scans = [image_only_pdf(p, scan_dir / p.name, dpi=args.dpi) for p in texts]
        wall = time.perf_counter()
        text_records, text_cpu, pages = _run(texts)
        # OCR runs in tesseract child processes: wall time is the honest figure for it.
        scan_wall = time.perf_counter()
        scan_records, _, _ = _run(scans)
        scan_wall = time.perf_counter() - scan_wall
        wall = time.perf_counter() - wall
    text_score, scan_score = score(gold, text_records), score(gold, scan_records)
    result = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "replies": len(texts), "pages": pages, "dpi": args.dpi, "ocr_dpi": ocr.OCR_DPI,
        "micro_f1_text_layer": round(text_score.micro().f1, 3),
        "micro_f1_image_only": round(scan_score.micro().f1, 3),
        "gap": round(text_score.micro().f1 - scan_score.micro().f1, 3),
        "text_layer_cpu_s_per_page": round(text_cpu / pages, 3),
        "image_only_wall_s_per_page": round(scan_wall / pages, 2),
        "wall_s": round(wall, 1),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
