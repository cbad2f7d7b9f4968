"""Grids written as the tables of real replies: pipe dumps, tabs, markdown, HTML, sentences."""

from __future__ import annotations

import html
import random

from bench.scenario import Grid, Scenario, Value


def matrix(grid: Grid) -> list[list[str]]:
    """The grid as rows of strings: header, body, then the total row (when shown)."""
    header = [grid.corner] + [c.label for c in grid.cols]
    if grid.total_col:
        header.append(grid.total_col)
    body = []
    for row, values, total in zip(grid.rows, grid.cells, grid.row_totals(), strict=True):
        line = [row.label] + [v.shown for v in values]
        body.append(line + [str(total)] if grid.total_col else line)
    if grid.total_label:
        col_totals = grid.col_totals()
        line = [grid.total_label] + [str(t) for t in col_totals]
        body.append(line + [str(sum(col_totals))] if grid.total_col else line)
    return [header, *body]


def pipe(grid: Grid) -> str:
    """One cell per line, as a web page copied out of a browser (seed 000)."""
    rows = matrix(grid)
    out = []
    for i, row in enumerate(rows):
        out.append("|")
        out += [f"{c} |" if c else "|" for c in row]
        if i == 0:
            out.append("|" + "---|" * len(row))
    return "\n".join(out)


def tab(grid: Grid, rng: random.Random) -> str:
    """Tab-separated rows; period columns may sit under a ``Year`` group heading (seed 004)."""
    rows = matrix(grid)
    if len(grid.cols) > 1 and "period" in grid.cols[0].key and rng.random() < 0.6:
        n = len(grid.cols)
        top = [grid.corner, "Year"] + [""] * (n - 1) + (["Total"] if grid.total_col else [])
        second = [""] + [c.label for c in grid.cols] + ([""] if grid.total_col else [])
        rows = [top, second, *rows[1:]]
    return "\n".join("\t".join(r) for r in rows)


def markdown(grid: Grid) -> str:
    """A markdown pipe table."""
    rows = matrix(grid)
    width = len(rows[0])
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def html_table(grid: Grid) -> str:
    """An HTML table with a header row of <th> cells."""
    rows = matrix(grid)
    out = ['<table border="1" cellpadding="3">']
    out.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in rows[0]) + "</tr>")
    for r in rows[1:]:
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def caption(rng: random.Random, grid: Grid, n: int, sc: Scenario) -> str:
    """The line above a table."""
    codes = " and ".join(sc.code_text[c] for c in sc.codes)
    return rng.choice([
        f"TABLE {n}", f"Table {n}: {grid.title}", grid.title, f"Question {n}",
        f"Count of {'Home Office Code ' + codes + ' ' if codes else ''}offences, "
        f"by {grid.title.lower()}:"])


def standalone(rng: random.Random, grid: Grid, sc: Scenario) -> str:
    """A 1x1 grid as the single line real replies use (``... - Total Count 52``)."""
    n = grid.cells[0][0].shown
    if grid.kind == "offences":
        return rng.choice([
            f"Number of offences recorded {sc.whole.prose} - Total Count {n}",
            f"Total number of offences recorded: {n}",
            f"There were {n} offences recorded {sc.whole.prose}.",
            f"{n} crimes were recorded {sc.whole.prose}."])
    return rng.choice([
        f"Number of suspects/perpetrators linked to the offences described above - Total "
        f"Count {n}",
        f"{n} suspects were identified.",
        f"The number of offenders linked to these offences is {n}."])


def is_standalone(grid: Grid) -> bool:
    """True for a single stated total (not a table)."""
    return len(grid.rows) == 1 and len(grid.cols) == 1 and grid.rows[0].label == "Total Count"


def _value_words(rng: random.Random, v: Value) -> str:
    if v.suppressed:
        return v.shown
    if v.true == 0:
        return rng.choice(["no", "0", "nil"])
    return str(v.true)


def _subject(grid: Grid, key: dict[str, object], label: str, age_label: str) -> str:
    gender = {"female": "female ", "male": "male ", "unknown": "gender-unknown ",
              "other": "other-gender "}.get(str(key.get("gender")), "")
    age = str(key.get("age", "all"))
    age_text = "" if age == "all" else (" of unknown age" if age == "unknown"
                                        else f" aged {age_label.removeprefix('Aged ').lower()}")
    if grid.kind in {"victims", "suspects"}:
        return f"{gender}{grid.kind}{age_text}"
    if grid.kind == "platforms":
        return f"offences involving {label or 'an unnamed method'}"
    if grid.kind == "outcomes":
        return f"offences with the outcome '{label}'"
    return f"offences recorded under code {label}"


def _offence_sentences(rng: random.Random, grid: Grid, sc: Scenario) -> list[str]:
    out = []
    for row, values in zip(grid.rows, grid.cells, strict=True):
        p = sc.periods[row.key["period"]].prose
        out.append(rng.choice([f"{p[0].upper()}{p[1:]} there were {values[0].shown} offences "
                               "recorded.",
                               f"{values[0].shown} offences were recorded {p}."]))
    if grid.total_label:
        total = sum(v.true for r in grid.cells for v in r)
        out.append(f"This gives a total of {total} offences {sc.whole.prose}.")
    return out


def sentences(rng: random.Random, grid: Grid, sc: Scenario) -> list[str]:
    """A grid told in prose, one sentence per period (or one for the single period)."""
    if grid.kind == "offences":
        return _offence_sentences(rng, grid, sc)
    out = []
    for c, col in enumerate(grid.cols):
        period = sc.periods[col.key["period"]].prose if "period" in col.key else ""
        parts = []
        for row, values in zip(grid.rows, grid.cells, strict=True):
            age_label = row.label if "age" in row.key else col.label
            subject = _subject(grid, {**row.key, **col.key}, row.label, age_label)
            parts.append(f"{_value_words(rng, values[c])} {subject}")
        lead = f"{period[0].upper()}{period[1:]} there were " if period else "There were "
        out.append(lead + "; ".join(parts) + ".")
    return out


def keyword_lines(rng: random.Random, grid: Grid, sc: Scenario) -> list[str]:
    """A grid as ``LABEL – 7 Offences`` lines (seed 001), headed by period when several."""
    dash = rng.choice(["–", "-", ":"])
    out = []
    for c, col in enumerate(grid.cols):
        if "period" in col.key:
            out.append(f"{col.label}:")
        for row, values in zip(grid.rows, grid.cells, strict=True):
            col_label = col.label if col.key and "period" not in col.key else ""
            label = _keyword_label(grid, row.label, col_label)
            out.append(f"{label} {dash} {_keyword_value(rng, values[c])}")
    if grid.kind == "offences" and grid.total_label:
        total = sum(v.true for r in grid.cells for v in r)
        out.append(f"{grid.total_label.rstrip(':')} {dash} {total}")
    return out


def _keyword_label(grid: Grid, row: str, col: str) -> str:
    if grid.kind in {"victims", "suspects"} and col:
        return f"{row} {col}"
    return row


def _keyword_value(rng: random.Random, v: Value) -> str:
    if v.suppressed:
        return v.shown
    if v.true == 0:
        return rng.choice(["Nil Return", "0", "Nil"])
    unit = rng.choice(["", " Offence" if v.true == 1 else " Offences", " Offence"])
    return f"{v.true}{unit}"
