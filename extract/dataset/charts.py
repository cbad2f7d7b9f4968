"""Charts that cannot mislead: one period kind per chart, counts printed on the marks,
suppressed cells shown as such, and every chart carries a title, a source line and a caveat
line. Each chart is written as PNG and SVG.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.dataset.national import AGE_BANDS, GENDERS, Tables

KIND_NAMES = {"financial_year": "financial year (April-March)",
              "calendar_year": "calendar year", "partial_year": "part of a year",
              "multi_year": "whole requested period (several years)",
              "other_year": "twelve months (other dates)"}
SUPPRESSED_NOTE = "'s' = suppressed; '+s' = a lower bound with suppressed cells"


@dataclass
class Lines:
    """The source and caveat lines every chart carries."""

    source: str
    caveat: str


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _cell_text(value: int | None, suppressed: int) -> str:
    if value is None:
        return "s" if suppressed else ""
    return f"{value}+s" if suppressed else str(value)


def _save(fig: Any, folder: Path, name: str, title: str, lines: Lines, caveat: str) -> list[Path]:
    """Title on top; source and caveat lines under the chart, wrapped to its width."""
    width_in, height_in = fig.get_size_inches()
    chars = int(width_in * 15)  # about 15 characters of 7-point text per inch
    notes = [f"Source: {lines.source}", *textwrap.wrap(f"Caveat: {caveat} {lines.caveat}",
                                                       chars)]
    line_h = 0.16 / height_in  # 0.16 inch per line, as a fraction of the figure
    for i, text in enumerate(reversed(notes)):
        fig.text(0.01, 0.01 + i * line_h, text, fontsize=7 if i < len(notes) - 1 else 8,
                 ha="left", color="#555555" if i < len(notes) - 1 else "#111111")
    heading = textwrap.wrap(title, int(width_in * 9))  # about 9 characters of 12-point bold
    fig.suptitle("\n".join(heading), fontsize=12, fontweight="bold", x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.02 + len(notes) * line_h, 1,
                           1 - (0.1 + 0.22 * len(heading)) / height_in))
    out = []
    for ext in ("png", "svg"):
        path = folder / f"{name}.{ext}"
        fig.savefig(path, dpi=100, metadata={"Date": None} if ext == "svg" else None)
        out.append(path)
    _plt().close(fig)
    return out


def _grid(rows: list[dict[str, Any]], kind: str) -> tuple[list[str], list[str], dict[Any, Any]]:
    mine = [r for r in rows if r["period_kind"] == kind and
            (r["offences"] is not None or r["offences_suppressed"])]
    forces = sorted({r["force"] for r in mine})
    periods = sorted({(r["period_start"], r["period"]) for r in mine})
    cells = {(r["force"], r["period"]): (r["offences"], r["offences_suppressed"]) for r in mine}
    return forces, [p for _, p in periods], cells


def offences_heat_table(tables: Tables, kind: str, folder: Path, lines: Lines) -> list[Path]:
    """A force x period heat table of offences for one period kind (empty when no data)."""
    forces, periods, cells = _grid(tables.national, kind)
    if not forces:
        return []
    plt = _plt()
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(periods) + 4), 0.4 * len(forces) + 2.4))
    values = [[(cells.get((f, p)) or (None, 0))[0] for p in periods] for f in forces]
    top = max((v for row in values for v in row if v is not None), default=1) or 1
    shade = [[(v or 0) / top if v is not None else float("nan") for v in row] for row in values]
    ax.imshow(shade, cmap="Blues", vmin=0, vmax=1.6, aspect="auto")
    for i, f in enumerate(forces):
        for j, p in enumerate(periods):
            v, s = cells.get((f, p), (None, 0))
            ax.text(j, i, _cell_text(v, s) if (f, p) in cells else "–", ha="center",
                    va="center", fontsize=9)
    ax.set_xticks(range(len(periods)), periods)
    ax.set_yticks(range(len(forces)), forces)
    ax.tick_params(length=0)
    title = f"Recorded offences by force, per {KIND_NAMES[kind]}"
    caveat = f"'–' = no figure for that period. {SUPPRESSED_NOTE}."
    return _save(fig, folder, f"offences_{kind}", title, lines, caveat)


def _victim_year(tables: Tables) -> tuple[str, str] | None:
    """The whole year (kind, label) with the most forces giving comparable age bands."""
    seen: dict[tuple[str, str], int] = {}
    for r in tables.national:
        if r["age_bands_comparable"] and r["period_kind"] in ("financial_year", "calendar_year"):
            key = (r["period_kind"], r["period"])
            seen[key] = seen.get(key, 0) + 1
    return max(seen, key=lambda k: (seen[k], k[0] == "financial_year", k[1])) if seen else None


def _matrix(folder: Path, lines: Lines, rows: list[str], cols: list[str],
            acc: dict[tuple[str, str], list[int]], title: str, caveat: str) -> list[Path]:
    """An age x gender matrix chart: cells [known sum, suppressed cells, cells]."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(rows) + 2.6))
    top = max((v[0] for v in acc.values()), default=1) or 1
    # vmax above the top keeps the darkest cell light enough for black text
    ax.imshow([[acc.get((r, c), [0, 0, 0])[0] for c in cols] for r in rows], cmap="Oranges",
              vmin=0, vmax=top * 1.6, aspect="auto")
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            total, supp, n = acc.get((r, c), [0, 0, 0])
            ax.text(j, i, _cell_text(total if n > supp else None, supp) if n else "–",
                    ha="center", va="center", fontsize=10)
    ax.set_xticks(range(len(cols)), [c.replace("gender_unknown", "unknown/other") for c in cols])
    ax.set_yticks(range(len(rows)), [r.replace("_", "-").replace("age-unknown", "age unknown")
                                     for r in rows])
    return _save(fig, folder, "victims_age_gender", title, lines, caveat)


def _comparable_matrix(tables: Tables, folder: Path, lines: Lines) -> list[Path]:
    year = _victim_year(tables)
    if year is None:
        return []
    kind, label = year
    acc: dict[tuple[str, str], list[int]] = {}
    forces = set()
    for d in tables.age_detail:
        if (d["period_kind"], d["period"]) != year or d["comparable_band"] is None or \
                d["gender"] == "all":  # an age-only table has no gender to place it under
            continue
        g = d["gender"] if d["gender"] in ("female", "male") else "gender_unknown"
        cell = acc.setdefault((d["comparable_band"], g), [0, 0, 0])
        cell[0] += d["count"] or 0
        cell[1] += bool(d["suppressed"])
        cell[2] += 1
        forces.add(d["force"])
    if not forces:
        return []
    title = f"Victims by age and gender, {KIND_NAMES[kind]} {label} ({_n(len(forces), 'force')})"
    caveat = f"Only forces whose age bands nest in these bands. {SUPPRESSED_NOTE}."
    return _matrix(folder, lines, [*AGE_BANDS, "age_unknown"], list(GENDERS), acc, title, caveat)


def _own_bands_matrix(tables: Tables, folder: Path, lines: Lines) -> list[Path]:
    """When no year has comparable bands: the one reply with the most cells, in its bands."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for d in tables.age_detail:
        if d["period_kind"] in ("financial_year", "calendar_year") and d["gender"] != "all":
            groups.setdefault((d["force"], d["period_kind"], d["period"]), []).append(d)
    if not groups:
        return []
    (force, kind, label), cells = max(groups.items(), key=lambda kv: (len(kv[1]), kv[0]))
    ages = list(dict.fromkeys(d["age"] for d in cells))
    genders = list(dict.fromkeys(d["gender"] for d in cells))
    acc = {(d["age"], d["gender"]): [d["count"] or 0, int(bool(d["suppressed"])), 1]
           for d in cells}
    title = f"Victims by age and gender, {force}, {KIND_NAMES[kind]} {label}"
    caveat = (f"One reply, in its own age bands: no year has bands that nest in 0-11/12-15/16-17"
              f" across forces. {SUPPRESSED_NOTE}.")
    return _matrix(folder, lines, ages, genders, acc, title, caveat)


def victims_matrix(tables: Tables, folder: Path, lines: Lines) -> list[Path]:
    """Victims by comparable age band x gender for the one year most forces gave (else one
    reply's own bands, said so on the chart)."""
    return _comparable_matrix(tables, folder, lines) or _own_bands_matrix(tables, folder, lines)


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def platforms_bars(tables: Tables, folder: Path, lines: Lines) -> list[Path]:
    """Named platforms with their counts, for the period kind with the most platform data."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for p in tables.platforms:
        if p["named"]:
            by_kind.setdefault(p["period_kind"], []).append(p)
    if not by_kind:
        return []
    kind = max(by_kind, key=lambda k: sum(p["count"] or 0 for p in by_kind[k]))
    acc: dict[str, list[int]] = {}
    forces = set()
    for p in by_kind[kind]:
        a = acc.setdefault(p["platform"], [0, 0])
        a[0] += p["count"] or 0
        a[1] += p["suppressed_cells"]
        forces.add(p["force"])
    items = sorted(acc.items(), key=lambda kv: (-kv[1][0], kv[0]))[:15]
    n = sum(v[0] for _, v in acc.items())
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(items) + 2.4))
    names = [k for k, _ in items][::-1]
    counts = [v[0] for _, v in items][::-1]
    bars = ax.barh(names, counts, color="#2563eb")
    ax.bar_label(bars, [_cell_text(v[0], v[1]) for _, v in items][::-1], padding=3)
    ax.set_xlabel("offences where this platform was recorded")
    title = f"Platforms named, per {KIND_NAMES[kind]}: n = {n} from {_n(len(forces), 'force')}"
    caveat = ("Counts as each force recorded them (keyword searches and manual reviews differ);"
              f" unknown/unnamed platforms left out. {SUPPRESSED_NOTE}.")
    return _save(fig, folder, "platforms", title, lines, caveat)


def write_charts(tables: Tables, folder: Path, lines: Lines) -> list[Path]:
    """Every chart that has data: PNG and SVG of each."""
    out: list[Path] = []
    makers: list[Callable[[], list[Path]]] = [
        *(lambda k=k: offences_heat_table(tables, k, folder, lines)
          for k in ("financial_year", "calendar_year")),
        lambda: victims_matrix(tables, folder, lines),
        lambda: platforms_bars(tables, folder, lines)]
    for make in makers:
        out += make()
    return out
