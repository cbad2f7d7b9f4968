"""``review.html``: one self-contained page to check a run by eye.

An index of replies (force, outcome, facts, flags, failures), then per reply its facts and
its normalised text with every extracted value highlighted at its evidence span. The page is
rendered here, in Python, with every piece of reply text escaped; the small inline script only
adds navigation. A Content-Security-Policy allows that one script (by its hash) and nothing
else: no network, and no script smuggled in by a reply could run even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.outputs import (
    DOCS,
    ERRORS,
    RECORDS,
    FactRow,
    ReplyFact,
    doc_text_name,
    fact_row,
    parse_records,
    read_jsonl,
    reply_facts,
    write_atomic,
)
from schemas import GoldRecord

REVIEW = "review.html"

KIND_COLOURS = {
    "force": "#c7d2fe", "reference": "#ddd6fe", "outcome": "#fbcfe8",
    "data_in_attachment": "#e5e7eb", "offence_code": "#bae6fd", "offences": "#bbf7d0",
    "victims": "#fde68a", "suspects": "#fed7aa", "platforms": "#a5f3fc",
    "outcomes_by_type": "#d9f99d", "youngest_victim": "#fecaca", "exemption": "#e9d5ff",
}

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 2rem 4rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2.5rem;border-top:2px solid #ccc;
padding-top:1rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:2px 6px;
text-align:left;vertical-align:top}th{background:#f3f4f6}
pre.text{white-space:pre-wrap;word-wrap:break-word;background:#fafafa;border:1px solid #ddd;
padding:1rem;font:13px/1.5 ui-monospace,monospace;max-width:110ch}
mark{border-radius:2px;padding:0;cursor:help}
mark.flag{outline:2px solid #dc2626;background:#fecaca!important;font-weight:bold}
mark.multi{box-shadow:inset 0 -3px 0 #1d4ed8}
mark.active{outline:3px solid #2563eb}
.legend span{display:inline-block;padding:0 6px;margin:2px;border-radius:3px}
.flagged td{background:#fef2f2}.bad{color:#b91c1c;font-weight:bold}.muted{color:#6b7280}
tr.fact{cursor:pointer}tr.fact:hover td{background:#eff6ff}
#filter{padding:4px;width:24rem}
"""

_JS = """
(function(){
  function clear(){document.querySelectorAll('mark.active').forEach(function(m){
    m.classList.remove('active');});}
  document.querySelectorAll('tr.fact').forEach(function(tr){
    tr.addEventListener('click',function(){
      clear();
      var ms=document.querySelectorAll('mark[data-f~="'+tr.dataset.fid+'"]');
      ms.forEach(function(m){m.classList.add('active');});
      if(ms.length){ms[0].scrollIntoView({block:'center'});}
    });
  });
  var f=document.getElementById('filter');
  if(f){f.addEventListener('input',function(){
    var q=f.value.toLowerCase();
    document.querySelectorAll('#index tbody tr').forEach(function(tr){
      tr.style.display=tr.textContent.toLowerCase().indexOf(q)<0?'none':'';});
  });}
  document.body.dataset.ready='1';
})();
"""


@dataclass
class Span:
    """One evidence span of one fact, clipped to the text."""

    fid: str
    start: int
    end: int
    kind: str
    flagged: bool
    title: str


@dataclass
class ReplyView:
    """What the page shows for one reply."""

    record: GoldRecord
    text: str | None
    facts: list[tuple[str, FactRow, ReplyFact]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def describe(row: FactRow) -> tuple[str, str]:
    """(key, value) of a fact in words, e.g. ('2013-01-01..2013-12-31 female 12-15', '4')."""
    period = f"{row.period_start}..{row.period_end}" if row.period_start else ""
    parts = [period, row.code, row.gender, row.age, row.platforms or row.label,
             row.outcome_type, row.section]
    key = " ".join(p for p in parts if p)
    value = "suppressed" if row.suppressed == "true" else row.count or row.value
    return key, value


def _spans(view: ReplyView) -> list[Span]:
    text = view.text or ""
    out = []
    for fid, row, rf in view.facts:
        key, value = describe(row)
        title = f"{row.kind} {key} = {value}".replace("  ", " ")
        if row.readers:
            title += f" [{row.readers}]"
        for ev in rf.evidence:
            if ev.end > len(text) or text[ev.start:ev.end] != ev.quote:
                view.mismatches.append(f"{row.kind} {key}: evidence {ev.start}-{ev.end} "
                                       f"{ev.quote!r} is not at that place in the text")
                continue
            if ev.end > ev.start:
                out.append(Span(fid, ev.start, ev.end, row.kind, rf.flagged, title))
    return out


def _escape_text(text: str) -> str:
    # Keep one character per character so that DOM offsets equal record offsets: the HTML
    # parser would turn CR/CRLF into LF and drop NUL.
    return _e(text).replace("\r", "&#13;").replace("\x00", "&#65533;")


def highlight(text: str, spans: list[Span]) -> str:
    """The text, escaped, with each elementary segment under any span wrapped in <mark>.

    Overlapping spans split into segments; a segment lists every fact covering it in
    ``data-f`` and every fact's description in its title.
    """
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    seen: set[str] = set()
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = [s for s in spans if s.start <= a and b <= s.end]
        piece = _escape_text(text[a:b])
        if not cover:
            out.append(piece)
            continue
        out.append(_mark(cover, piece, seen))
    return "".join(out)


def _mark(cover: list[Span], piece: str, seen: set[str]) -> str:
    fids = list(dict.fromkeys(s.fid for s in cover))
    kinds = {s.kind for s in cover}
    classes = ["k-" + cover[0].kind]
    if len(fids) > 1:
        classes.append("multi")
    if any(s.flagged for s in cover):
        classes.append("flag")
    first = [f for f in fids if f not in seen]
    seen.update(first)
    ident = f' id="m-{_e(first[0])}"' if first else ""
    title = "\n".join(dict.fromkeys(s.title + (" (flagged)" if s.flagged else "")
                                    for s in cover))
    kind_attr = _e(" ".join(sorted(kinds)))
    return (f'<mark{ident} class="{" ".join(classes)}" data-f="{_e(" ".join(fids))}" '
            f'data-kinds="{kind_attr}" title="{_e(title)}">{piece}</mark>')


def _view(record: GoldRecord, out_dir: Path, index: int) -> ReplyView:
    path = out_dir / DOCS / doc_text_name(record.doc_id)
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    view = ReplyView(record, text)
    for j, rf in enumerate(reply_facts(record)):
        view.facts.append((f"{index}-{j}", fact_row(record, rf), rf))
    return view


def _index_table(views: list[ReplyView], errors: list[dict[str, Any]]) -> str:
    rows = []
    for i, v in enumerate(views):
        r = v.record
        flags = len(r.flags) + len(v.mismatches)
        rows.append(
            f'<tr><td><a href="#r-{i}">{_e(r.doc_id)}</a></td><td>{_e(_join(r.force))}</td>'
            f"<td>{_e(_join(r.reference))}</td><td>{_e(_join(r.outcome))}</td>"
            f"<td>{len(v.facts)}</td><td{' class=bad' if flags else ''}>{flags}</td></tr>")
    for e in errors:
        rows.append(f'<tr class="flagged"><td>{_e(e.get("doc_id"))}</td><td colspan="3" '
                    f'class="bad">failed: {_e(e.get("error"))}: {_e(e.get("message"))}</td>'
                    "<td>0</td><td>-</td></tr>")
    head = ("<tr><th>reply</th><th>force</th><th>reference</th><th>outcome</th><th>facts</th>"
            "<th>flags</th></tr>")
    return (f'<section id="index"><h2>Replies</h2><input id="filter" placeholder="filter '
            f'replies…" aria-label="filter replies"><table><thead>{head}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


def _join(value: Any) -> str:
    if isinstance(value, list):
        return " | ".join(_join(v) for v in value)
    return "" if value is None else str(getattr(value, "value", value))


def _facts_table(view: ReplyView) -> str:
    rows = []
    for fid, row, rf in view.facts:
        key, value = describe(row)
        cls = "fact flagged" if rf.flagged else "fact"
        colour = KIND_COLOURS.get(row.kind, "#eee")
        quote = row.evidence_quote or '<span class="muted">no evidence</span>'
        quote = _e(quote) if row.evidence_quote else quote
        rows.append(f'<tr class="{cls}" data-fid="{_e(fid)}"><td style="background:{colour}">'
                    f"{_e(row.kind)}</td><td>{_e(key)}</td><td>{_e(value)}</td>"
                    f"<td>{quote}</td><td>{_e(row.readers)}</td></tr>")
    head = "<tr><th>kind</th><th>key</th><th>value</th><th>evidence</th><th>readers</th></tr>"
    return f'<table class="facts"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _flags_list(view: ReplyView) -> str:
    items = [f'<li class="bad">{_e(f.code)}: {_e(f.message)}</li>' for f in view.record.flags]
    items += [f'<li class="bad">evidence mismatch: {_e(m)}</li>' for m in view.mismatches]
    return f'<ul class="flags">{"".join(items)}</ul>' if items else ""


def _reply_section(view: ReplyView, i: int) -> str:
    r = view.record
    if view.text is None:
        body = '<p class="bad">normalised text not available</p>'
    else:
        body = f'<pre class="text" id="t-{i}">\n{highlight(view.text, _spans(view))}</pre>'
    meta = (f"force: {_e(_join(r.force))} · reference: {_e(_join(r.reference))} · outcome: "
            f"{_e(_join(r.outcome))} · response date: {_e(_join(r.response_date))}")
    return (f'<section class="reply" id="r-{i}" data-doc="{_e(r.doc_id)}"><h2>{_e(r.doc_id)}'
            f'</h2><p>{meta}</p>{_flags_list(view)}{_facts_table(view)}{body}'
            '<p><a href="#index">back to index</a></p></section>')


def _legend() -> str:
    spans = "".join(f'<span style="background:{c}">{_e(k)}</span>'
                    for k, c in KIND_COLOURS.items())
    return (f'<p class="legend">{spans} <span class="flag-demo" style="outline:2px solid '
            '#dc2626">flagged</span></p>')


def _kind_css() -> str:
    return "".join(f"mark.k-{k}{{background:{c}}}" for k, c in KIND_COLOURS.items())


def render(records: list[GoldRecord], out_dir: Path, errors: list[dict[str, Any]]) -> str:
    """The whole page as a string."""
    # Replies that contradict themselves (a ``conflict`` flag) come first: they need a person.
    order = sorted(records, key=lambda r: (all(f.code != "conflict" for f in r.flags), r.doc_id))
    views = [_view(r, out_dir, i) for i, r in enumerate(order)]
    sections = "".join(_reply_section(v, i) for i, v in enumerate(views))  # fills mismatches
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode()
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src 'sha256-{script_hash}'")
    n_facts = sum(len(v.facts) for v in views)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>foi-extract review</title><style>{_CSS}{_kind_css()}</style></head><body>"
        f"<h1>foi-extract review</h1><p>{len(views)} replies, {len(errors)} failed, "
        f"{n_facts} facts. Hover a highlight to see its fact; click a fact to find it.</p>"
        f"{_legend()}{_index_table(views, errors)}{sections}<script>{_JS}</script>"
        "</body></html>\n")


def build_review(out_dir: Path) -> tuple[Path, list[str]]:
    """Write out_dir/review.html from records.jsonl, errors.jsonl and docs/; warnings."""
    objs, warnings = read_jsonl(out_dir / RECORDS)
    records, bad = parse_records(objs)
    errors, err_warnings = read_jsonl(out_dir / ERRORS)
    page = render(records, out_dir, errors)
    path = out_dir / REVIEW
    write_atomic(path, page.encode("utf-8", "replace"))
    return path, warnings + bad + err_warnings
