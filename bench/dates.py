"""Dates and periods written the many ways real replies write them."""

from __future__ import annotations

import calendar
import random
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.scenario import PeriodSpec

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"]


def ordinal(n: int) -> str:
    """1 -> 1st, 22 -> 22nd, 13 -> 13th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_date(d: date, style: str) -> str:
    """Write a date in one of the styles seen in replies."""
    month = calendar.month_name[d.month]
    if style == "ordinal":
        return f"{ordinal(d.day)} {month} {d.year}"
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    if style == "iso":
        return d.isoformat()
    if style == "us":
        return f"{month} {d.day}, {d.year}"
    if style == "oracle":
        return d.strftime("%d-%b-%Y").upper()
    if style == "short":
        return f"{d.day} {month[:3]} {d.year}"
    if style == "weekday":
        return f"{calendar.day_name[d.weekday()]}, {d.day} {month} {d.year}"
    day = f"{d.day:02d}" if d.year % 2 else str(d.day)
    return f"{day} {month} {d.year}"


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _range_prose(rng: random.Random, start: date, end: date) -> str:
    style = rng.choice(["ordinal", "plain", "oracle", "slash"])
    a, b = fmt_date(start, style), fmt_date(end, style)
    return rng.choice([f"between {a} and {b}", f"from {a} to {b}",
                       f"from (and including) {a} to (and including) {b}"])


def _calendar(rng: random.Random, years: list[int], partial_end: date | None) -> list[PeriodSpec]:
    from bench.scenario import PeriodSpec

    out = []
    for y in years:
        end = date(y, 12, 31)
        if partial_end is not None and y == years[-1]:
            out.append(_partial(rng, date(y, 1, 1), partial_end, str(y)))
            continue
        prose = rng.choice([f"in {y}", f"during {y}", f"in calendar year {y}"])
        out.append(PeriodSpec(date(y, 1, 1), end, str(y), prose))
    return out


def _partial(rng: random.Random, start: date, end: date, label: str) -> PeriodSpec:
    from bench.scenario import PeriodSpec

    style = rng.choice(["ordinal", "plain", "short"])
    when = fmt_date(end, style)
    if rng.random() < 0.6:
        note = rng.choice([f"*to {when}", f"* up to and including {when}",
                           f"*Figures for {label} are to {when}"])
        return PeriodSpec(start, end, f"{label}*", f"in {label} (to {when})", note)
    short = f"{end.day} {calendar.month_name[end.month]}"
    return PeriodSpec(start, end, f"{label} (to {short})", f"in {label} up to {when}")


def _fy_label(y: int, style: int) -> str:
    return [f"{y}/{(y + 1) % 100:02d}", f"{y}-{(y + 1) % 100:02d}", f"FY {y}/{(y + 1) % 100:02d}",
            f"Apr {y} - Mar {y + 1}"][style]


def _financial(rng: random.Random, years: list[int], partial_end: date | None) -> list[PeriodSpec]:
    from bench.scenario import PeriodSpec

    style = rng.randrange(4)
    out = []
    for y in years:
        label = _fy_label(y, style)
        if partial_end is not None and y == years[-1]:
            out.append(_partial(rng, date(y, 4, 1), partial_end, label))
            continue
        prose = rng.choice([f"in {label}", f"in the financial year {label}",
                            _range_prose(rng, date(y, 4, 1), date(y + 1, 3, 31))])
        out.append(PeriodSpec(date(y, 4, 1), date(y + 1, 3, 31), label, prose))
    return out


def _custom(rng: random.Random) -> PeriodSpec:
    from bench.scenario import PeriodSpec

    y = rng.randint(2014, 2023)
    start = date(y, rng.randint(1, 12), 1)
    months = rng.randint(3, 30)
    m = start.month - 1 + months - 1
    end = month_end(start.year + m // 12, m % 12 + 1)
    prose = _range_prose(rng, start, end)
    return PeriodSpec(start, end, prose.split(" ", 1)[1], prose)


def period_specs(rng: random.Random) -> tuple[list[PeriodSpec], PeriodSpec]:
    """The reply's periods (one or several) and the whole span they cover."""
    from bench.scenario import PeriodSpec

    style = rng.choice(["cal_multi", "fy_multi", "cal_single", "fy_single", "custom"])
    if style == "custom":
        p = _custom(rng)
        return [p], p
    n = 1 if style.endswith("single") else rng.randint(2, 5)
    first = rng.randint(2013, 2024 - n)
    years = list(range(first, first + n))
    partial = None
    if n > 1 and rng.random() < 0.35:
        base = date(years[-1], 1, 1) if style == "cal_multi" else date(years[-1], 4, 1)
        m = base.month - 1 + rng.randint(2, 9)
        partial = month_end(base.year + m // 12, m % 12 + 1)
        partial = partial.replace(day=rng.randint(1, partial.day))
    make = _calendar if style.startswith("cal") else _financial
    periods = make(rng, years, partial)
    if n == 1:
        return periods, periods[0]
    prose = _range_prose(rng, periods[0].start, periods[-1].end)
    return periods, PeriodSpec(periods[0].start, periods[-1].end, "Total", prose)
