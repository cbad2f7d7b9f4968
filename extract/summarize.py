"""Figures across replies (what the NSPCC publishes): offence totals per force and period,
victims by age and gender, and platform shares where the platform is known.

Double counting is the trap: a reply often gives yearly counts *and* a whole-period total, or
per-code counts *and* an all-codes count. Per reply we therefore keep, for each kind, only the
finest periods (a period that strictly contains another period of the same reply and kind is a
total of it), and for offences the all-codes count where there is one, else the per-code sum.
Suppressed cells (``*``, ``<5``) cannot be added up: they are counted beside the totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extract.outputs import RECORDS, parse_records, read_jsonl, write_atomic
from schemas import GoldRecord
from schemas.vocab import platform_vocab

SUMMARY_DIR = "summary"
UNKNOWN_FORCE = "(force not stated)"


@dataclass
class Total:
    """A sum of counts plus how many suppressed cells and which replies went into it."""

    count: int = 0
    suppressed: int = 0
    replies: set[str] = field(default_factory=set)

    def add(self, item: Any, doc_id: str) -> None:
        """Add one counted item (count or suppressed)."""
        if item.suppressed or item.count is None:
            self.suppressed += 1
        else:
            self.count += item.count
        self.replies.add(doc_id)


@dataclass
class Figures:
    """The summary tables, keyed for CSV output."""

    by_force_period: dict[tuple[str, date, date], Total] = field(default_factory=dict)
    by_period: dict[tuple[date, date], Total] = field(default_factory=dict)
    by_force: dict[str, Total] = field(default_factory=dict)
    victims: dict[tuple[str, str], Total] = field(default_factory=dict)
    platforms: dict[str, Total] = field(default_factory=dict)
    replies: int = 0


def period_label(start: date, end: date) -> str:
    """'2013', '2024/25' (financial year), or 'start..end'."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and \
            end.year == start.year + 1:
        return f"{start.year}/{str(end.year)[2:]}"
    return f"{start.isoformat()}..{end.isoformat()}"


def finest(items: Sequence[Any]) -> list[Any]:
    """Items whose period does not strictly contain another item's period."""
    periods = {(i.period.start, i.period.end) for i in items}

    def is_total(p: tuple[date, date]) -> bool:
        return any(p != q and p[0] <= q[0] and q[1] <= p[1] for q in periods)

    return [i for i in items if not is_total((i.period.start, i.period.end))]


def offence_totals(record: GoldRecord) -> list[Any]:
    """Per finest period: the all-codes counts, or the per-code counts when there is none."""
    items = finest(record.offences)
    all_codes = {(o.period.start, o.period.end) for o in items if o.code is None}
    return [o for o in items if o.code is None or (o.period.start, o.period.end) not in all_codes]


def _force(record: GoldRecord) -> str:
    force = record.force
    if isinstance(force, list):
        force = force[0] if force else None
    return force or UNKNOWN_FORCE


def _platform_key(row: Any) -> tuple[str, bool]:
    generic = platform_vocab().generic
    names = [p for p in row.platforms if p not in generic]
    if not names:
        return (" + ".join(row.platforms) or row.label.strip() or "(no label)"), False
    return " + ".join(sorted(names)), True


def figures(records: Iterable[GoldRecord]) -> Figures:
    """Add up every record into the summary tables."""
    fig = Figures()
    for rec in records:
        fig.replies += 1
        force = _force(rec)
        for o in offence_totals(rec):
            p = (o.period.start, o.period.end)
            fig.by_force_period.setdefault((force, *p), Total()).add(o, rec.doc_id)
            fig.by_period.setdefault(p, Total()).add(o, rec.doc_id)
            fig.by_force.setdefault(force, Total()).add(o, rec.doc_id)
        for v in finest(rec.victims):
            fig.victims.setdefault((v.age, str(v.gender)), Total()).add(v, rec.doc_id)
        for row in finest(rec.platforms):
            fig.platforms.setdefault(_platform_key(row)[0], Total()).add(row, rec.doc_id)
    return fig


def known_platform_total(fig: Figures) -> int:
    """The denominator of platform shares: counts where the platform is known."""
    return sum(t.count for k, t in fig.platforms.items() if _is_known(k))


def _is_known(key: str) -> bool:
    generic = platform_vocab().generic
    return not any(part in generic for part in key.split(" + ")) and not key.startswith("(")


def tables(fig: Figures) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """name -> (header, rows) of every summary table."""
    known = known_platform_total(fig)
    plats = sorted(fig.platforms.items(), key=lambda kv: (-kv[1].count, kv[0]))
    return {
        "offences_by_force_period": (
            ["force", "period", "period_start", "period_end", "offences", "suppressed_cells",
             "replies"],
            [[f, period_label(s, e), s.isoformat(), e.isoformat(), t.count, t.suppressed,
              len(t.replies)] for (f, s, e), t in sorted(fig.by_force_period.items())]),
        "offences_by_period": (
            ["period", "period_start", "period_end", "offences", "suppressed_cells", "forces"],
            [[period_label(s, e), s.isoformat(), e.isoformat(), t.count, t.suppressed,
              len(t.replies)] for (s, e), t in sorted(fig.by_period.items())]),
        "victims_by_age_gender": (
            ["age", "gender", "victims", "suppressed_cells", "replies"],
            [[a, g, t.count, t.suppressed, len(t.replies)]
             for (a, g), t in sorted(fig.victims.items(), key=lambda kv: _age_key(kv[0]))]),
        "platforms": (
            ["platform", "known", "offences", "share_of_known", "suppressed_cells", "replies"],
            [[k, _is_known(k), t.count,
              round(t.count / known, 4) if known and _is_known(k) else "", t.suppressed,
              len(t.replies)] for k, t in plats]),
    }


def _age_key(key: tuple[str, str]) -> tuple[int, int, str, str]:
    age, gender = key
    lo, _, hi = age.rstrip("+").partition("-")
    if not lo.isdigit():
        return (999, 999, age, gender)
    return (int(lo), int(hi) if hi.isdigit() else 998, age, gender)


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _bar_chart(path: Path, labels: list[str], values: list[float], title: str,
               xlabel: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(labels) + 1)))
    ax.barh(labels[::-1], values[::-1], color="#2563eb")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _victims_chart(path: Path, fig_data: Figures) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ages = sorted({a for a, _ in fig_data.victims}, key=lambda a: _age_key((a, "")))
    genders = sorted({g for _, g in fig_data.victims})
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(1, len(genders))
    for n, g in enumerate(genders):
        xs = [i + n * width for i in range(len(ages))]
        ax.bar(xs, [fig_data.victims.get((a, g), Total()).count for a in ages], width, label=g)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(ages))], ages)
    ax.set_title("Victims by age and gender (suppressed cells not counted)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_charts(fig: Figures, folder: Path) -> list[Path]:
    """PNG charts of the figures (only those with data)."""
    out = []
    if fig.by_period:
        items = sorted(fig.by_period.items())
        out.append(folder / "offences_by_period.png")
        _bar_chart(out[-1], [period_label(*p) for p, _ in items], [t.count for _, t in items],
                   "Offences by period (all forces that gave that period)", "offences")
    if fig.by_force:
        items2 = sorted(fig.by_force.items(), key=lambda kv: -kv[1].count)[:45]
        out.append(folder / "offences_by_force.png")
        _bar_chart(out[-1], [f for f, _ in items2], [t.count for _, t in items2],
                   "Offences by force (all periods given)", "offences")
    known = known_platform_total(fig)
    shares = [(k, t.count / known) for k, t in fig.platforms.items() if _is_known(k) and known]
    if shares:
        shares = sorted(shares, key=lambda kv: -kv[1])[:15]
        out.append(folder / "platforms.png")
        _bar_chart(out[-1], [k for k, _ in shares], [v * 100 for _, v in shares],
                   "Platform share where the platform is known", "% of known")
    if fig.victims:
        out.append(folder / "victims_by_age_gender.png")
        _victims_chart(out[-1], fig)
    return out


def summarize(out_dir: Path) -> tuple[Figures, list[Path], list[str]]:
    """Read OUT_DIR/records.jsonl; write CSVs and PNGs into OUT_DIR/summary/.

    Returns the figures, the files written and warnings (unreadable records).
    """
    objs, warnings = read_jsonl(out_dir / RECORDS)
    records, bad = parse_records(objs)
    fig = figures(records)
    folder = out_dir / SUMMARY_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, (header, rows) in tables(fig).items():
        path = folder / f"{name}.csv"
        write_atomic(path, _csv(header, rows))
        written.append(path)
    written += write_charts(fig, folder)
    return fig, written, warnings + bad


def render(fig: Figures, console: Any) -> None:
    """Print the summary tables with rich."""
    from rich.table import Table

    for name, (header, rows) in tables(fig).items():
        table = Table(title=name.replace("_", " "), title_justify="left")
        shown = [i for i, h in enumerate(header) if h not in _CSV_ONLY]
        for i in shown:
            table.add_column(header[i].replace("_", " "),
                             justify="right" if header[i] in _NUMERIC else "left")
        for row in rows:
            table.add_row(*(_cell(header[i], row[i]) for i in shown))
        console.print(table)


_CSV_ONLY = frozenset({"period_start", "period_end", "known"})
_NUMERIC = frozenset({"offences", "victims", "suppressed_cells", "replies", "forces",
                      "share_of_known"})


def _cell(header: str, value: Any) -> str:
    if header == "share_of_known" and value != "":
        return f"{value:.1%}"
    return str(value)

