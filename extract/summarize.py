"""``foi-extract summarize OUT``: publishable figures from a run's records.

Writes ``OUT/summary/`` (the national table, totals, coverage, age-band detail and platforms
as CSV, charts as PNG and SVG, ``report.html`` with all of it), ``OUT/foi.db`` (SQLite, for
Datasette) and ``OUT/metadata.json``. Reviewer corrections (``--corrections DIR``, records in
the contract's shape as the review page exports them) replace the run's record of the same
reply. The rules that stop double counting live in :mod:`extract.dataset.national`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.dataset.charts import Lines, write_charts
from extract.dataset.inputs import UNKNOWN_FORCE, Inputs, force_of, load_inputs
from extract.dataset.national import Tables, build_tables, measure_columns
from extract.dataset.report import measure_text, render_report
from extract.dataset.sqlite import CAVEATS, build_db, write_metadata
from extract.outputs import RECORDS, write_atomic

SUMMARY_DIR = "summary"
REPORT = "report.html"


@dataclass
class Summary:
    """What a summarize run read and wrote."""

    inputs: Inputs
    tables: Tables
    written: list[Path] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Records or corrections that could not be used."""
        return self.inputs.warnings


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Row dicts as CSV text (booleans as true/false, None as blank)."""
    buf = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("true" if v else "false") if isinstance(v, bool) else
                         ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


def source_lines(inputs: Inputs, extracted: str) -> Lines:
    """'N replies from M forces, extracted on DATE' and the caveat every output carries."""
    counted = inputs.counted()
    forces = len({force_of(r) for r in counted} - {UNKNOWN_FORCE})
    n_dup = len(inputs.duplicates)
    dup = f"; {n_dup} duplicate repl{'y' if n_dup == 1 else 'ies'} left out" if n_dup else ""
    fixed = f"; {len(inputs.corrected)} corrected by a reviewer" if inputs.corrected else ""
    return Lines(f"{len(counted)} replies from {forces} forces, extracted on {extracted}"
                 f"{dup}{fixed}", CAVEATS)


def extraction_date(out_dir: Path) -> str:
    """The day records.jsonl was last written (UTC)."""
    path = out_dir / RECORDS
    stamp = path.stat().st_mtime if path.exists() else datetime.now(UTC).timestamp()
    return datetime.fromtimestamp(stamp, UTC).date().isoformat()


def summarize(out_dir: Path, corrections: Path | None = None) -> Summary:
    """Read the run (and corrections); write every summary output; return what was done."""
    inputs = load_inputs(out_dir, corrections)
    tables = build_tables(inputs)
    summary = Summary(inputs, tables)
    folder = out_dir / SUMMARY_DIR
    folder.mkdir(exist_ok=True)
    for name, rows in tables.as_dict().items():
        path = folder / f"{name}.csv"
        write_atomic(path, to_csv(rows))
        summary.written.append(path)
    extracted = extraction_date(out_dir)
    lines = source_lines(inputs, extracted)
    charts = write_charts(tables, folder, lines)
    summary.written += charts
    report = folder / REPORT
    write_atomic(report, render_report(tables, charts, lines))
    summary.written += [report, build_db(out_dir, inputs, tables),
                        write_metadata(out_dir, inputs, extracted)]
    return summary


def render(summary: Summary, console: Any) -> None:
    """Print the national and coverage tables with rich."""
    from rich.table import Table

    rows = summary.tables.national
    measures = measure_columns(rows)
    table = Table(title="national table", title_justify="left")
    for col in ("force", "period", "kind", *measures, "doc ids"):
        table.add_column(col.replace("_", " "), justify="right" if col in measures else "left")
    for r in rows:
        table.add_row(r["force"], r["period"], r["period_kind"],
                      *(measure_text(r[m], r[f"{m}_suppressed"]) for m in measures),
                      r["doc_ids"])
    console.print(table)
    cov = Table(title="coverage of the 46 forces", title_justify="left")
    for col in ("status", "forces"):
        cov.add_column(col)
    counts: dict[str, int] = {}
    for r in summary.tables.coverage:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    for status, n in sorted(counts.items()):
        cov.add_row(status, str(n))
    console.print(cov)
