"""``review.html``: one self-contained page to check a run and correct it.

The page holds every reply's data as JSON (``data.py``) and draws a reply only when it is
opened, so 200 replies stay small and open quickly. The index (force, reference, period,
headline count, flags) sorts and filters, with replies carrying conflicts, disagreements and
flags first. A reply shows its text, tables drawn as grids, every value highlighted and every
number no fact used marked as unread, beside its record (victims as an age x gender matrix).
The reviewer accepts, rejects or edits values, adds missed ones by selecting text, and exports
the corrected records (contract shape, one JSON line each) for ``foi-extract eval`` and
``foi-extract summarize --corrections``.

A Content-Security-Policy admits the page's one script by its hash and nothing else: no
network, and no script smuggled in by a reply could run.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

from extract.outputs import ERRORS, RECORDS, parse_records, read_jsonl, write_atomic
from extract.review.assets import CSS, JS
from extract.review.data import reply_data
from schemas import GoldRecord

REVIEW = "review.html"
KIND_COLOURS = {
    "force": "#c7d2fe", "reference": "#ddd6fe", "outcome": "#fbcfe8",
    "data_in_attachment": "#e5e7eb", "offence_code": "#bae6fd", "offences": "#bbf7d0",
    "victims": "#fde68a", "suspects": "#fed7aa", "platforms": "#a5f3fc",
    "outcomes_by_type": "#d9f99d", "youngest_victim": "#fecaca", "exemption": "#e9d5ff",
}

__all__ = ["REVIEW", "build_review", "page_data", "read_page_data", "render"]


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def page_data(records: list[GoldRecord], out_dir: Path) -> dict[str, Any]:
    """The JSON the page draws from."""
    replies = [reply_data(r, out_dir) for r in sorted(records, key=lambda r: r.doc_id)]
    # Saved review state (localStorage) is keyed by the data itself: a rerun that changes any
    # fact starts a fresh review rather than applying old decisions to shifted fact ids.
    run = hashlib.sha256(json.dumps(replies, sort_keys=True).encode()).hexdigest()[:12]
    return {"run": run, "replies": replies}


def _data_block(data: dict[str, Any]) -> str:
    """The page data as base64 of gzipped JSON: reply texts compress about fivefold, which
    keeps 200 replies well under 1.5 MB. Base64 also means no reply text can close the
    <script> element that holds it."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def read_page_data(page: str) -> dict[str, Any]:
    """The data a review page carries (for tests and tools): the inverse of _data_block."""
    m = re.search(r'<script type="application/octet-stream" id="data"[^>]*>([^<]*)</script>',
                  page)
    if m is None:
        raise ValueError("not a review page: no data block")
    data: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(m.group(1))))
    return data


def _failed(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{_e(e.get('doc_id'))}: {_e(e.get('error'))}: {_e(e.get('message'))}"
                    "</li>" for e in errors)
    return f'<h2>Failed replies</h2><ul class="flags" id="failed">{items}</ul>'


def _legend() -> str:
    spans = "".join(f'<span style="background:{c}">{_e(k)}</span>'
                    for k, c in KIND_COLOURS.items())
    return (f'<p class="legend">{spans} <span class="unread">unread number</span> '
            '<span style="outline:2px solid #dc2626">flagged</span></p>')


def render(records: list[GoldRecord], out_dir: Path, errors: list[dict[str, Any]]) -> str:
    """The whole page as a string."""
    data = page_data(records, out_dir)
    script_hash = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode()
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src 'sha256-{script_hash}'")
    kind_css = "".join(f"mark.k-{k}{{background:{c}}}" for k, c in KIND_COLOURS.items())
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>foi-extract review</title><style>{CSS}{kind_css}</style></head><body>"
        f"<h1>foi-extract review</h1><p>{len(records)} replies, {len(errors)} failed. Open a "
        "reply from the index; click a value to find it; accept (✓), reject (✗) or edit it; "
        "select a number in the text to add one that was missed; then export.</p>"
        f"{_legend()}"
        '<input id="filter" placeholder="filter replies…" aria-label="filter replies"> '
        '<span id="count"></span> <button id="export">Export corrections (JSONL)</button> '
        '<span id="exported"></span> <span id="msg" role="status"></span>'
        '<div id="index"><table><thead><tr id="index-head"></tr></thead>'
        '<tbody id="index-body"></tbody></table></div>'
        f'{_failed(errors)}<section id="detail"></section>'
        '<textarea id="export-text" readonly aria-label="exported corrections" rows="3" '
        'cols="100"></textarea>'
        '<script type="application/octet-stream" id="data" data-encoding="gzip+base64">'
        f"{_data_block(data)}</script>"
        f"<script>{JS}</script></body></html>\n")


def build_review(out_dir: Path) -> tuple[Path, list[str]]:
    """Write out_dir/review.html from records.jsonl, errors.jsonl and docs/; warnings."""
    objs, warnings = read_jsonl(out_dir / RECORDS)
    # A field another stage may add (duplicate_of) is not in the schema: keep it out.
    records, bad = parse_records([{k: v for k, v in o.items() if k != "duplicate_of"}
                                  for o in objs])
    errors, err_warnings = read_jsonl(out_dir / ERRORS)
    page = render(records, out_dir, errors)
    path = out_dir / REVIEW
    write_atomic(path, page.encode("utf-8", "replace"))
    return path, warnings + bad + err_warnings
