"""One self-contained HTML report of the summary: charts (inline SVG images), the national
table, totals, coverage, age-band detail and platforms. No script, no network."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

from extract.dataset.charts import Lines
from extract.dataset.national import MEASURES, Tables, measure_columns
from extract.dataset.sqlite import TITLE

_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:1rem 2rem 4rem;color:#111}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;
padding:2px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#6b7280}
tr.partial td{background:#fffbeb}tr.multi_year td{background:#f5f3ff}
img{max-width:100%;border:1px solid #eee;margin:.5rem 0}.s{color:#b45309}
td:nth-child(1){min-width:9em}"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def measure_text(value: int | None, suppressed: int) -> str:
    """How a figure reads: '12', '12 + 2 suppressed', 'suppressed', or '' (no figure)."""
    if value is None:
        return "suppressed" if suppressed else ""
    return f"{value} + {suppressed} suppressed" if suppressed else str(value)


def _cell(row: dict[str, Any], col: str) -> str:
    if col in MEASURES:
        text = measure_text(row[col], row[f"{col}_suppressed"])
        cls = "n s" if row[f"{col}_suppressed"] else "n"
        return f'<td class="{cls}">{_e(text)}</td>'
    value = row[col]
    if col in ("doc_ids", "also_reported_by", "duplicates_ignored") and value:
        value = value.replace(";", "; ")  # lets a long list wrap
    if isinstance(value, bool) or value is None:
        value = {True: "yes", False: "no", None: ""}[value]
    return f'<td class="n">{_e(value)}</td>' if isinstance(value, int) else f"<td>{_e(value)}</td>"


def table_html(rows: list[dict[str, Any]], cols: list[str], row_class: str = "") -> str:
    """An HTML table of row dicts (suppressed counts kept visible)."""
    if not rows:
        return '<p class="muted">no rows</p>'
    head = "".join(f"<th>{_e(c.replace('_', ' '))}</th>" for c in cols)
    body = "".join(
        f'<tr class="{_e(r.get(row_class, "")) if row_class else ""}">'
        + "".join(_cell(r, c) for c in cols) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _national_cols(rows: list[dict[str, Any]]) -> list[str]:
    return ["force", "period", "period_kind", *measure_columns(rows), "age_bands_comparable",
            "top_platforms", "doc_ids", "also_reported_by", "conflict", "notes"]


def _images(charts: list[Path]) -> str:
    out = []
    for path in charts:
        if path.suffix != ".svg":
            continue
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        out.append(f'<figure><img alt="{_e(path.stem)}" src="data:image/svg+xml;base64,{data}">'
                   "</figure>")
    return "".join(out)


def render_report(tables: Tables, charts: list[Path], lines: Lines) -> str:
    """The whole report page."""
    national = tables.national
    sections = [
        ("Offences, victims and platforms by force and period",
         "One row per force and period. Financial years, calendar years, partial years "
         "(yellow) and whole-period totals (violet) are separate rows and are never added "
         "together. 'N + k suppressed' means N plus k cells the force withheld as small "
         "numbers: a lower bound.",
         table_html(national, _national_cols(national) if national else [], "period_kind")),
        ("Offences across forces, per whole year",
         "Only forces that gave that year; 'forces' says how many.",
         table_html(tables.national_totals, ["period", "period_kind", "offences",
                                             "offences_suppressed", "forces", "doc_ids"])),
        ("Coverage of the 46 forces", "",
         table_html(tables.coverage, ["force", "status", "grounds", "replies", "periods",
                                      "doc_ids", "duplicates_ignored"])),
        ("Victims by the replies' own age bands", "comparable band: where the reply's band "
         "nests in 0-11, 12-15, 16-17 or unknown; empty = not comparable.",
         table_html(tables.age_detail, ["force", "period", "gender", "age", "comparable_band",
                                        "count", "suppressed", "doc_ids"])),
        ("Platforms", "", table_html(tables.platforms, ["force", "period", "platform", "named",
                                                        "count", "suppressed_cells",
                                                        "doc_ids"])),
    ]
    body = "".join(f"<h2>{_e(t)}</h2><p>{_e(d)}</p>{h}" for t, d, h in sections)
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>foi-extract national table</title><style>{_CSS}</style></head><body>"
            f"<h1>{_e(TITLE)}</h1>"
            f"<p>Source: {_e(lines.source)}.</p><p class=\"muted\">Caveat: {_e(lines.caveat)}"
            f"</p>{_images(charts)}{body}</body></html>\n")
