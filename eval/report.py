"""Render an evaluation report as text tables (rich) for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from eval.score import Report, Tally


def _row(name: str, t: Tally) -> list[str]:
    # Nothing predicted: precision is undefined, not perfect ("-", as recall would be with
    # nothing in gold).
    precision = f"{t.precision:.3f}" if t.tp + t.fp else "-"
    recall = f"{t.recall:.3f}" if t.tp + t.fn else "-"
    return [name, str(t.tp), str(t.fp), str(t.fn), precision, recall, f"{t.f1:.3f}"]


def _table(title: str, first: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    for col in ("tp", "fp", "fn", "P", "R", "F1"):
        table.add_column(col, justify="right")
    return table


def _short(value: Any) -> str:
    if value is None:
        return "—"
    return str(value)


def render(report: Report, console: Console, show_disagreements: bool = True) -> None:
    """Print per-kind, per-reply and micro scores, then every disagreement."""
    kinds = _table("Per kind", "kind")
    for kind, tally in report.by_kind().items():
        if tally.tp + tally.fp + tally.fn:
            kinds.add_row(*_row(kind, tally))
    kinds.add_row(*_row("micro", report.micro()), style="bold")
    console.print(kinds)
    docs = _table("Per reply", "reply")
    for d in report.docs:
        docs.add_row(*_row(d.doc_id + (f" ({d.note})" if d.note else ""), d.total))
    console.print(docs)
    if show_disagreements:
        _render_disagreements(report, console)
    console.print(f"micro-F1 {report.micro().f1:.3f}")


def _render_disagreements(report: Report, console: Console) -> None:
    rows = [x for d in report.docs for x in d.disagreements]
    if not rows:
        console.print("No disagreements.")
        return
    table = Table(title=f"Disagreements ({len(rows)})", title_justify="left")
    for col in ("reply", "kind", "key", "gold", "pred", "evidence"):
        table.add_column(col, overflow="fold")
    for x in rows:
        key = ", ".join(_short(k) for k in x.key)
        quote = (x.quote or "")[:80]
        table.add_row(x.doc_id, x.kind, key, _short(x.gold), _short(x.pred), quote)
    console.print(table)
