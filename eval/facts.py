"""Flatten records into facts, exactly as the contract's "Facts and scoring" table says."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from schemas import GoldRecord, Period
from schemas.vocab import fold

KINDS = (
    "force", "reference", "outcome", "data_in_attachment", "offence_code", "offences",
    "victims", "suspects", "platforms", "outcomes_by_type", "youngest_victim", "exemption",
)


@dataclass(frozen=True)
class AnyOf:
    """A gold value given as a list of acceptable values."""

    values: frozenset[Any]

    def __str__(self) -> str:
        return " | ".join(sorted(str(v) for v in self.values))


@dataclass(frozen=True)
class Fact:
    """One scored statement: (kind, key) -> value, with the quote it was read from."""

    kind: str
    key: tuple[Any, ...]
    value: Any
    quote: str | None = None

    def options(self) -> frozenset[Any]:
        """The acceptable values (one, or several for a gold list)."""
        return self.value.values if isinstance(self.value, AnyOf) else frozenset([self.value])

    def matches(self, other: Fact) -> bool:
        """Same key and an acceptable value in common."""
        return self.key == other.key and bool(self.options() & other.options())


def _text(value: str) -> str:
    return " ".join(value.split()).casefold()


def _scalar(kind: str, value: Any, norm: Any = lambda v: v) -> Iterator[Fact]:
    if value is None:
        return
    if isinstance(value, list):
        opts = frozenset(norm(v) for v in value if v is not None)
        if opts:
            yield Fact(kind, (), AnyOf(opts) if len(opts) > 1 else next(iter(opts)))
        return
    yield Fact(kind, (), norm(value))


def _period(p: Period) -> tuple[str, str]:
    return (p.start.isoformat(), p.end.isoformat())


def _count(item: Any) -> Any:
    return "suppressed" if item.suppressed or item.count is None else item.count


def _quote(item: Any) -> str | None:
    ev = getattr(item, "evidence", None)
    return " … ".join(e.quote for e in ev) if ev else None


def _platform_key(row: Any) -> tuple[str, ...]:
    if row.platforms:
        return tuple(sorted(row.platforms))
    return (f"label:{fold(row.label)}",)


def flatten(record: GoldRecord) -> list[Fact]:
    """All facts of one record (pipeline output or gold)."""
    facts: list[Fact] = []
    facts += _scalar("force", record.force, _text)
    facts += _scalar("reference", record.reference, _text)
    facts += _scalar("outcome", record.outcome, lambda v: _text(str(getattr(v, "value", v))))
    facts += _scalar("data_in_attachment", record.data_in_attachment, bool)
    facts += [Fact("offence_code", (c.strip().upper(),), True) for c in record.offence_codes]
    facts += [Fact("offences", (_period(o.period), o.code), _count(o), _quote(o))
              for o in record.offences]
    for kind, cells in (("victims", record.victims), ("suspects", record.suspects)):
        facts += [Fact(kind, (_period(c.period), str(c.gender), c.age), _count(c), _quote(c))
                  for c in cells]
    facts += [Fact("platforms", (_period(p.period), _platform_key(p)), _count(p), _quote(p))
              for p in record.platforms]
    facts += [Fact("outcomes_by_type", (_period(o.period), str(o.outcome)), _count(o),
                   _quote(o)) for o in record.outcomes_by_type]
    yv = record.youngest_victim
    if yv is not None:
        value = (yv.age_min, yv.age_max, None if yv.gender is None else str(yv.gender),
                 yv.withheld)
        facts.append(Fact("youngest_victim", (), value, _quote(yv)))
    facts += [Fact("exemption", (e.section,), e.ncnd, _quote(e)) for e in record.exemptions]
    return facts


def group(facts: Iterable[Fact]) -> dict[tuple[str, tuple[Any, ...]], list[Fact]]:
    """Facts grouped by (kind, key), keeping duplicates (facts are a multiset)."""
    out: dict[tuple[str, tuple[Any, ...]], list[Fact]] = {}
    for f in facts:
        out.setdefault((f.kind, f.key), []).append(f)
    return out
