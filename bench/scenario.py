"""What a synthetic reply states, decided at random before it is rendered.

A :class:`Scenario` holds both the truth (counts, periods, grounds) and the presentation
choices that decide the gold (a 3 shown as ``*`` is suppressed; a 0 shown blank is 0 only
because the table shows totals), so that the renderer and the gold file cannot disagree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bench import pools
from bench.dates import fmt_date, month_end, period_specs
from schemas.vocab import force_names


@dataclass(frozen=True)
class PeriodSpec:
    """A period as the reply writes it: column heading, prose phrase, optional footnote."""

    start: date
    end: date
    column: str
    prose: str
    footnote: str | None = None


@dataclass
class Axis:
    """One row or column of a grid: its label as written and what it means."""

    label: str
    key: dict[str, Any] = field(default_factory=dict)


@dataclass
class Value:
    """A count and how the reply shows it (``12``, ``*``, ``<5``, blank, ``-``)."""

    true: int
    shown: str

    @property
    def suppressed(self) -> bool:
        """True when the reply withholds the number."""
        return self.shown in pools.SUPPRESSION_MARKS or self.shown in pools.PROSE_SUPPRESSED


@dataclass
class Grid:
    """A table of counts: rows x cols, with optional Total column and total row."""

    kind: str  # offences, offences_by_code, victims, suspects, platforms, outcomes
    title: str
    corner: str
    rows: list[Axis]
    cols: list[Axis]
    cells: list[list[Value]]
    total_label: str | None = None
    total_col: str | None = None
    footnotes: list[str] = field(default_factory=list)
    period: PeriodSpec | None = None  # the period of every cell when no axis gives one
    method: str | None = None  # platforms: keyword_search, manual_review, recorded_field

    def col_totals(self) -> list[int]:
        """Column sums over the shown (not suppressed) cells, as real replies often print."""
        return [sum(r[c].true for r in self.cells if not r[c].suppressed)
                for c in range(len(self.cols))]

    def row_totals(self) -> list[int]:
        """Row sums over the shown (not suppressed) cells."""
        return [sum(v.true for v in row if not v.suppressed) for row in self.cells]


@dataclass
class Youngest:
    """The youngest victim as stated (or withheld)."""

    age_min: int | None
    age_max: int | None
    gender: str | None
    withheld: bool = False


@dataclass
class Scenario:
    """Everything one synthetic reply states."""

    doc_id: str
    layout: str
    kind: str  # data, attached, refused, not_held, ncnd
    force: str | None
    reference: str | None
    reference_gold: str | list[str] | None
    response_date: date | None
    other_dates: list[tuple[str, date]]
    date_style: str
    periods: list[PeriodSpec]
    whole: PeriodSpec
    codes: list[str]
    code_text: dict[str, str]
    grids: list[Grid] = field(default_factory=list)
    youngest: Youngest | None = None
    exemptions: list[tuple[str, bool]] = field(default_factory=list)
    distractors: list[str] = field(default_factory=list)

    @property
    def has_suppression(self) -> bool:
        """True when any count is withheld as a small number."""
        return any(v.suppressed for g in self.grids for row in g.cells for v in row)


TABLE_LAYOUTS = {"pipe", "html", "tab", "markdown", "pdf", "xlsx_eml"}


def _count(rng: random.Random, hi: int = 30) -> int:
    r = rng.random()
    if r < 0.25:
        return 0
    if r < 0.55:
        return rng.randint(1, 4)
    return rng.randint(5, hi)


def _value(rng: random.Random, n: int, mark: str | None, zero: str) -> Value:
    if mark and 1 <= n <= 4:
        return Value(n, mark)
    if n == 0:
        return Value(0, zero)
    return Value(n, str(n))


def _fill(rng: random.Random, rows: int, cols: int, mark: str | None, zero: str,
          hi: int = 30) -> list[list[Value]]:
    return [[_value(rng, _count(rng, hi), mark, zero) for _ in range(cols)] for _ in range(rows)]


def _labels(rng: random.Random, bands: list[tuple[tuple[str, ...], str]], key: str
            ) -> list[Axis]:
    """Axes for a band set, written in one consistent style (sometimes in capitals)."""
    style, upper = rng.randrange(3), rng.random() < 0.1
    out = []
    for variants, value in bands:
        label = variants[min(style, len(variants) - 1)]
        out.append(Axis(label.upper() if upper else label, {key: value}))
    return out


def _period_axes(periods: list[PeriodSpec]) -> list[Axis]:
    return [Axis(p.column, {"period": i}) for i, p in enumerate(periods)]


def _presentation(rng: random.Random, layout: str, suppress_p: float) -> dict[str, Any]:
    """Totals, zero style and suppression mark for one grid."""
    totals = layout in TABLE_LAYOUTS and rng.random() < 0.6
    zero = rng.choice(["", "-", "0", "-"]) if totals else "0"
    if layout not in TABLE_LAYOUTS:
        mark = rng.choice(pools.PROSE_SUPPRESSED + ("*",)) if rng.random() < suppress_p else None
    else:
        mark = rng.choice(pools.SUPPRESSION_MARKS) if rng.random() < suppress_p else None
    return {"totals": totals, "zero": zero, "mark": mark}


def _total_label(rng: random.Random) -> str:
    return rng.choice(["Grand Total", "Total", "Sum:", "Grand total", "TOTAL"])


def make_scenario(rng: random.Random, doc_id: str, layout: str) -> Scenario:
    """A random, internally consistent scenario for one reply in ``layout``."""
    periods, whole = period_specs(rng)
    kind = _kind(rng, layout)
    codes, code_text = _codes(rng, kind)
    sc = Scenario(doc_id=doc_id, layout=layout, kind=kind, force=_force(rng),
                  reference=None, reference_gold=None, response_date=None, other_dates=[],
                  date_style=rng.choice(["ordinal", "plain", "slash", "iso", "us", "oracle",
                                         "short", "weekday"]),
                  periods=periods, whole=whole, codes=codes, code_text=code_text)
    sc.reference, sc.reference_gold = _reference(rng)
    _dates(rng, sc)
    if kind == "data":
        sc.grids = _grids(rng, sc)
    _youngest_and_grounds(rng, sc)
    return sc


def _kind(rng: random.Random, layout: str) -> str:
    if layout == "attached":
        return "attached"
    if layout == "refusal":
        return rng.choices(["refused", "not_held", "ncnd"], [0.7, 0.15, 0.15])[0]
    return "data"


def _codes(rng: random.Random, kind: str) -> tuple[list[str], dict[str, str]]:
    if kind in {"refused", "not_held", "ncnd"} or rng.random() < 0.15:
        return [], {}
    codes, spellings = rng.choices(pools.CODE_SETS, [0.6, 0.3, 0.1])[0]
    style = rng.randrange(3)
    text = {c: sp[min(style, len(sp) - 1)] for c, sp in zip(codes, spellings, strict=True)}
    return list(codes), text


def _force(rng: random.Random) -> str | None:
    return rng.choice(force_names()) if rng.random() < 0.8 else None


def _reference(rng: random.Random) -> tuple[str | None, str | list[str] | None]:
    if rng.random() < 0.12:
        return None, None
    yy = rng.randint(13, 25)
    n = rng.randint(100, 9999)
    style = rng.randrange(5)
    if style == 0:
        ref = f"{n}/{yy}"
    elif style == 1:
        ref = f"{rng.randint(1, 99)}{rng.choice('ABCDE')}/{yy}"
    elif style == 2:
        ref = f"20{yy}{rng.randint(0, 9999):04d}"
    elif style == 3:
        ref = f"FOI {n:06d}/{yy}"
        return ref, [ref, f"{n:06d}/{yy}"]
    else:
        ref = f"CS/{n}/{yy}"
    return ref, ref


def _dates(rng: random.Random, sc: Scenario) -> None:
    if rng.random() < 0.2:
        return
    last = sc.periods[-1].end
    received = last + timedelta(days=rng.randint(10, 400))
    sc.response_date = received + timedelta(days=rng.randint(5, 40))
    if rng.random() < 0.4:
        sc.other_dates.append(("received", received))
    if rng.random() < 0.3:
        asat = received + timedelta(days=rng.randint(1, 4))
        sc.other_dates.append(("as_at", min(asat, sc.response_date)))


def _grids(rng: random.Random, sc: Scenario) -> list[Grid]:
    grids = [_offences(rng, sc)]
    if len(sc.codes) > 1 and rng.random() < 0.7:
        grids.append(_by_code(rng, sc, grids[0]))
    makers = [(0.75, _victims), (0.5, _suspects), (0.8, _platforms), (0.4, _outcomes)]
    grids += [make(rng, sc) for p, make in makers if rng.random() < p]
    if rng.random() < 0.3:
        head, tail = grids[:1], grids[1:]
        rng.shuffle(tail)
        grids = head + tail
    return grids


def _offences(rng: random.Random, sc: Scenario) -> Grid:
    col = Axis(rng.choice(["Total", "Offences", "Number of offences", "Count", "Crimes"]))
    if len(sc.periods) == 1:
        cells = [[Value(n, str(n)) for n in [rng.randint(3, 120)]]]
        return Grid("offences", "offence total", "", [Axis("Total Count")], [col], cells,
                    period=sc.whole)
    cells = [[Value(n, str(n))] for n in (rng.randint(3, 90) for _ in sc.periods)]
    fy = sc.periods[0].start.month == 4
    head = rng.choice(["Year", "Period", "Financial Year" if fy else "Calendar Year", "Date"])
    total = _total_label(rng) if rng.random() < 0.7 else None
    title = rng.choice(["year", "Offences recorded", "period"])
    return Grid("offences", title, head, _period_axes(sc.periods), [col], cells,
                total_label=total, footnotes=_footnotes(sc))


def _footnotes(sc: Scenario) -> list[str]:
    return [p.footnote for p in sc.periods if p.footnote]


def _by_code(rng: random.Random, sc: Scenario, total_grid: Grid) -> Grid:
    rows = [Axis(_code_row_label(rng, sc, c), {"code": c}) for c in sc.codes]
    cols = _period_axes(sc.periods) if len(sc.periods) > 1 else [Axis("Total")]
    counts = _split_totals(rng, [r[0].true for r in total_grid.cells], len(rows))
    zero = rng.choice(["-", "0"])
    cells = [[Value(n, str(n) if n else zero) for n in row] for row in counts]
    return Grid("offences_by_code", "Offences by Home Office code", "Offence", rows, cols,
                cells, total_label=_total_label(rng), period=sc.whole,
                total_col="Total" if len(cols) > 1 else None, footnotes=_footnotes(sc))


def _code_row_label(rng: random.Random, sc: Scenario, code: str) -> str:
    names = {"88/1": "MEETING A FEMALE U16 FOLLOWING SEXUAL GROOMING",
             "88/2": "MEETING A MALE U16 FOLLOWING SEXUAL GROOMING",
             "71/17": "SEXUAL COMMUNICATION WITH A CHILD", "88A": "SEXUAL GROOMING"}
    text = sc.code_text[code]
    return f"{text} - {names[code]}" if rng.random() < 0.6 else text


def _split_totals(rng: random.Random, totals: list[int], parts: int) -> list[list[int]]:
    """Split each period total into ``parts`` counts (rows = parts, cols = periods)."""
    out = [[0] * len(totals) for _ in range(parts)]
    for c, total in enumerate(totals):
        left = total
        for r in range(parts - 1):
            share = rng.randint(0, left)
            out[r][c], left = share, left - share
        out[parts - 1][c] = left
    return out


def _victims(rng: random.Random, sc: Scenario) -> Grid:
    ages = rng.choice(pools.VICTIM_AGES)
    pres = _presentation(rng, sc.layout, 0.45)
    age_axes = _labels(rng, ages, "age")
    if len(sc.periods) > 1:
        rows, cols = age_axes, _period_axes(sc.periods)
    elif rng.random() < 0.8:
        genders = _labels(rng, pools.GENDERS, "gender")
        rows, cols = (genders, age_axes) if rng.random() < 0.6 else (age_axes, genders)
    else:
        rows, cols = age_axes, [Axis(rng.choice(["Number of victims", "Victims", "Count"]))]
    corner = rng.choice(["", "Gender"]) if "gender" in rows[0].key else \
        rng.choice(["", "Victim Age", "Age"])
    return _grid("victims", rng.choice(["Victims by age and gender", "Age of victim",
                                         "Victim Age"]), corner, rows, cols, pres, rng, sc)


def _grid(kind: str, title: str, corner: str, rows: list[Axis], cols: list[Axis],
          pres: dict[str, Any], rng: random.Random, sc: Scenario, hi: int = 30) -> Grid:
    cells = _fill(rng, len(rows), len(cols), pres["mark"], pres["zero"], hi)
    total = _total_label(rng) if pres["totals"] else None
    total_col = "Total" if pres["totals"] and len(cols) > 1 and rng.random() < 0.6 else None
    return Grid(kind, title, corner, rows, cols, cells, total_label=total, total_col=total_col,
                period=sc.whole, footnotes=_footnotes(sc) if len(sc.periods) > 1 else [])


def _suspects(rng: random.Random, sc: Scenario) -> Grid:
    pres = _presentation(rng, sc.layout, 0.2)
    title = rng.choice(["Suspects", "Suspect age", "Suspect or Defendant Age"])
    if rng.random() < 0.4:
        n = rng.randint(2, 90)
        return Grid("suspects", "suspect total", "", [Axis("Total Count")],
                    [Axis("Total")], [[Value(n, str(n))]], period=sc.whole)
    ages = _labels(rng, rng.choice(pools.SUSPECT_AGES), "age")
    if len(sc.periods) > 1:
        return _grid("suspects", title, "Suspect Age", ages, _period_axes(sc.periods), pres,
                     rng, sc)
    col = [Axis(rng.choice(["Number of suspects", "Suspects", "Count"]))]
    return _grid("suspects", title, "Age", ages, col, pres, rng, sc)


def _platforms(rng: random.Random, sc: Scenario) -> Grid:
    pres = _presentation(rng, sc.layout, 0.15)
    chosen = rng.sample(pools.PLATFORMS, rng.randint(3, 14))
    upper = sc.layout == "keyword" and rng.random() < 0.7
    rows = []
    for labels, canon in chosen:
        label = rng.choice(labels).upper() if upper else rng.choice(labels)
        # an app the vocabulary does not know is named by its label as written
        unknown = canon[0] in pools.UNKNOWN_APPS
        rows.append(Axis(label, {"platforms": (label,) if unknown else canon}))
    if sc.layout in TABLE_LAYOUTS and rng.random() < 0.15:
        rows.insert(rng.randrange(len(rows) + 1), Axis("", {"platforms": ()}))
    if rng.random() < 0.5:
        rows.sort(key=lambda a: a.label.casefold())
    cols = (_period_axes(sc.periods) if len(sc.periods) > 1
            else [Axis(rng.choice(["Total times used", "Number of offences", "Count", "Total"]))])
    title = rng.choice(["Method of communication", "Programme", "Platform", "App used"])
    grid = _grid("platforms", title, title, rows, cols, pres, rng, sc, hi=25)
    grid.method = rng.choice([None, None, "keyword_search", "manual_review", "recorded_field"])
    return grid


def _outcomes(rng: random.Random, sc: Scenario) -> Grid:
    pres = _presentation(rng, sc.layout, 0.3)
    chosen = rng.sample(pools.OUTCOMES, rng.randint(2, 7))
    rows = [Axis(rng.choice(labels), {"outcome": canon}) for labels, canon in chosen]
    cols = (_period_axes(sc.periods) if len(sc.periods) > 1
            else [Axis(rng.choice(["Total", "Number of offences", "Count"]))])
    return _grid("outcomes", rng.choice(["Outcomes", "Outcome", "Case outcomes"]),
                 rng.choice(["Outcome", "Outcome Type", ""]), rows, cols, pres, rng, sc)


def _youngest_and_grounds(rng: random.Random, sc: Scenario) -> None:
    applied: dict[str, bool] = {}
    if sc.kind == "refused":
        applied["12"] = False
    elif sc.kind == "ncnd":
        applied["23(5)"] = True
    elif sc.kind in {"data", "attached"}:
        _optional_grounds(rng, sc, applied)
    sc.exemptions = sorted(applied.items())
    if sc.kind in {"data", "attached"}:
        for section, p in (("44(1)", 0.15), ("31(1)", 0.1), ("30(1)", 0.05)):
            if section not in applied and rng.random() < p:
                sc.distractors.append(section)


def _optional_grounds(rng: random.Random, sc: Scenario, applied: dict[str, bool]) -> None:
    r = rng.random()
    if sc.kind == "data" and r < 0.4:
        age = rng.choice([(5, 10), (9, 9), (11, 11), (7, 12), (12, 12), (10, 10)])
        gender = rng.choice(["female", "male", None, "female"])
        sc.youngest = Youngest(age[0], age[1], gender)
    elif sc.kind == "data" and r < 0.55:
        sc.youngest = Youngest(None, None, None, withheld=True)
        applied["40(2)"] = False
    if sc.has_suppression and rng.random() < 0.7:
        applied["40(2)"] = False
    for section, ncnd, p in (("40(2)", False, 0.2), ("12", False, 0.15), ("23(5)", True, 0.2),
                             ("44(1)", False, 0.1), ("31(1)", False, 0.05),
                             ("30(1)", False, 0.03)):
        if rng.random() < p:
            applied[section] = ncnd


__all__ = ["Axis", "Grid", "PeriodSpec", "Scenario", "Value", "Youngest", "fmt_date",
           "make_scenario", "month_end"]
