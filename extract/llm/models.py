"""The response models the model fills, with validators that ground every value.

Every fact carries evidence the model gives: a ``quote`` copied from the chunk and/or
``cells`` (table cell ids such as ``T1.r3c2``). Validators read instructor's validation
context (``{"text": chunk text, "cells": {cell id: cell text}}``) and reject a fact whose
quote is not in the chunk, whose count is not among the numbers of its evidence (unless the
evidence is a suppression mark or a nil mark), or whose value breaks a vocabulary or grammar.
A rejected response is re-asked with the error; what still fails is dropped item by item.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from schemas.mapping import TableMapping, TableScope
from schemas.record import (
    Gender,
    Method,
    Outcome,
    OutcomeType,
    check_age,
    check_code,
)
from schemas.vocab import (
    canonical_code,
    canonical_force,
    fold,
    force_aliases,
    normalise_section,
)

CELL_ID_RE = re.compile(r"^[A-Za-z0-9_-]+\.r\d+c\d+$")
_NUMBER_RE = re.compile(r"\d[\d,]*")
# "77, 686": thousands split by a comma and a space (PDF and web text does this). Read as
# one number besides its parts, so either reading a model gives is grounded by the digits.
_SPACED_RE = re.compile(r"(?<![\d,])\d{1,3}(?:, \d{3})+(?![\d,])")
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty"]
_SUPPRESSION_RE = re.compile(r"\*|<\s*\d|\b\d\s*-\s*4\b|fewer than|less than|suppress|redact",
                             re.IGNORECASE)
_NIL_RE = re.compile(r"^\s*[-–—]?\s*$|\bnil\b|\bnone\b|\bno (?:offences|cases|records?)\b",
                     re.IGNORECASE)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``text``, exact first, then allowing any run of whitespace."""
    quote = quote.strip()
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    pattern = r"\s+".join(re.escape(tok) for tok in quote.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def numbers_in(text: str) -> set[int]:
    """The whole numbers written in a text, as digits ("1,234") or small words ("ten")."""
    found = {int(tok.replace(",", "")) for tok in _NUMBER_RE.findall(text)}
    found |= {int(re.sub(r"\D", "", tok)) for tok in _SPACED_RE.findall(text)}
    words = set(re.findall(r"[a-z]+", text.lower()))
    found |= {i for i, w in enumerate(_WORDS) if w in words}
    return found


_GROUNDING: ContextVar[dict[str, Any] | None] = ContextVar("grounding", default=None)


@contextmanager
def grounding(context: dict[str, Any]) -> Iterator[None]:
    """Validate against ``context`` inside this block without passing it to instructor.

    instructor renders every message as a Jinja template when given ``context=``: a reply
    containing ``{% if %}`` failed, ``{{ text }}`` pasted the chunk in, and a loop could
    spin for minutes holding the GIL. The validators read this context variable instead.
    """
    token = _GROUNDING.set(context)
    try:
        yield
    finally:
        _GROUNDING.reset(token)


def _context(info: ValidationInfo) -> dict[str, Any] | None:
    ctx = info.context if info.context is not None else _GROUNDING.get()
    return ctx if isinstance(ctx, dict) and "text" in ctx else None


class Grounded(BaseModel):
    """Evidence the model gives for a fact: a verbatim quote and/or table cell ids."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(default="", description="Text copied exactly from the reply.")
    cells: list[str] = Field(default_factory=list,
                             description="Table cell ids the value was read from, e.g. T1.r3c2.")

    def evidence_texts(self, ctx: dict[str, Any]) -> list[str]:
        """The quote and the texts of the cited cells."""
        cells: dict[str, str] = ctx.get("cells", {})
        return [self.quote] + [cells.get(c, "") for c in self.cells]

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Grounded:
        ctx = _context(info)
        if ctx is None:
            return self
        if not self.quote.strip() and not self.cells:
            raise ValueError("give evidence: a quote copied from the text, or cell ids")
        if self.quote.strip() and find_quote(ctx["text"], self.quote) is None:
            raise ValueError(f"quote {self.quote[:80]!r} does not occur in the text; "
                             "copy it exactly")
        cells: dict[str, str] = ctx.get("cells", {})
        unknown = [c for c in self.cells if c not in cells]
        if unknown:
            raise ValueError(f"cell ids {unknown} are not in the tables shown")
        self._check(ctx)
        return self

    def _check(self, ctx: dict[str, Any]) -> None:
        """Kind-specific grounding (overridden)."""


class PeriodOut(BaseModel):
    """An inclusive date range (YYYY-MM-DD)."""

    model_config = ConfigDict(extra="forbid")

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> PeriodOut:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


_TOKEN_RE = re.compile(r"\d[\d,]*|[A-Za-z]+")
# Words that state a nil count (contract Decision 6): the evidence is the word itself.
_NIL_WORDS = frozenset({"nil", "none", "zero", "no"})


def _token_value(token: str) -> int | None:
    """The whole number a token writes ("1,234", "ten", "nil"), else None."""
    if token[0].isdigit():
        digits = token.rstrip(",").replace(",", "")
        return int(digits) if digits.isdigit() else None
    low = token.lower()
    if low in _NIL_WORDS:
        return 0
    return _WORDS.index(low) if low in _WORDS else None


def number_span(quote: str, count: int) -> tuple[int, int] | None:
    """Span in ``quote`` of the token that writes ``count`` (digits or a word), else None.

    This is the grounding rule for counts read from prose: the number must sit at a token
    the record can point to, not merely somewhere in a long sentence.
    """
    for m in _TOKEN_RE.finditer(quote):
        token = m.group().rstrip(",")
        if _token_value(token) == count:
            return m.start(), m.start() + len(token)
    for m in _SPACED_RE.finditer(quote):
        if int(re.sub(r"\D", "", m.group())) == count:
            return m.span()
    return None


def suppression_span(quote: str) -> tuple[int, int] | None:
    """Span of the suppression mark in a quote (``*``, ``<5``, "fewer than ..."), else None."""
    m = _SUPPRESSION_RE.search(quote)
    return (m.start(), m.end()) if m else None


class CountedOut(Grounded):
    """A count: an integer read from the evidence, or null with suppressed=true.

    A quoted count is grounded only when its number is a token of the quote (see
    :func:`number_span`); a count from cells must be among the cells' numbers.
    """

    count: int | None = Field(default=None, ge=0)
    suppressed: bool = False

    def _check(self, ctx: dict[str, Any]) -> None:
        texts = self.evidence_texts(ctx)
        joined = " ".join(texts)
        if self.suppressed or self.count is None:
            if not (self.suppressed and self.count is None):
                raise ValueError("a count is an integer, or null with suppressed=true")
            if not _SUPPRESSION_RE.search(joined):
                raise ValueError("suppressed=true needs a suppression mark (*, <5, 'fewer "
                                 "than') in the evidence")
            return
        if self.quote.strip() and number_span(self.quote, self.count) is not None:
            return
        cell_texts = texts[1:]
        if any(self.count in numbers_in(t) for t in cell_texts):
            return
        if self.count == 0 and any(_NIL_RE.search(t) for t in cell_texts):
            return
        raise ValueError(f"count {self.count} is not written as a number in its quote "
                         f"{self.quote.strip()[:80]!r}; quote the words that state it")


class ForceOut(Grounded):
    """The police force that answered."""

    value: str

    def _check(self, ctx: dict[str, Any]) -> None:
        canon = canonical_force(self.value)
        if canon is None:
            raise ValueError(f"{self.value!r} is not a known police force name")
        folded = f" {fold(' '.join(self.evidence_texts(ctx)))} "
        if not any(f" {alias} " in folded for alias, name in force_aliases() if name == canon):
            raise ValueError(f"the evidence does not name {canon}")
        self.value = canon


class TextOut(Grounded):
    """A value written in the reply (the FOI reference)."""

    value: str

    def _check(self, ctx: dict[str, Any]) -> None:
        if fold(self.value) not in fold(" ".join(self.evidence_texts(ctx))) or not self.value:
            raise ValueError(f"{self.value!r} is not written in its evidence")


class DateOut(Grounded):
    """The date the reply was issued."""

    value: date

    def _check(self, ctx: dict[str, Any]) -> None:
        text = " ".join(self.evidence_texts(ctx))
        short = {int(y) for y in _SHORT_DATE_RE.findall(text)}  # 18/01/13
        if str(self.value.year) not in text and self.value.year % 100 not in short:
            raise ValueError(f"the year {self.value.year} is not in the evidence")


# A numeric date whose year has two digits (18/01/13): the year is its last group.
_SHORT_DATE_RE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](\d{2})\b")


class OutcomeOut(Grounded):
    """The reply's overall outcome (full, partial, refused, ncnd, not_held, no_answer)."""

    value: Outcome


class FlagOut(Grounded):
    """A yes/no the reply states (figures are in an attachment not included here)."""

    value: bool


class CodeOut(Grounded):
    """A Home Office offence code the reply states, written 71/17, 88/1, 88A."""

    code: str

    def _check(self, ctx: dict[str, Any]) -> None:
        check_code(self.code)
        squash = re.sub(r"[^0-9A-Z]", "", " ".join(self.evidence_texts(ctx)).upper())
        if re.sub(r"[^0-9A-Z]", "", self.code.upper()) not in squash:
            raise ValueError(f"offence code {self.code!r} is not in its evidence")
        self.code = canonical_code(self.code) or self.code  # `088/05` and `88/5` are one code


class OffenceOut(CountedOut):
    """An offence count for a period (code null unless the reply splits counts by code)."""

    period: PeriodOut
    code: str | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str | None) -> str | None:
        return None if v is None else (canonical_code(check_code(v)) or v)


class CellOut(CountedOut):
    """A victim or suspect count by period, gender and age band."""

    period: PeriodOut
    gender: Gender
    age: str = Field(description="all, unknown, A-B (12-15) or A+ (16+)")

    @field_validator("age")
    @classmethod
    def _age(cls, v: str) -> str:
        return check_age(v)


class PlatformOut(CountedOut):
    """A platform count (how contact was made); label exactly as written."""

    period: PeriodOut
    label: str
    method: Method | None = None

    def _check(self, ctx: dict[str, Any]) -> None:
        super()._check(ctx)
        if self.label.strip() and fold(self.label) not in fold(" ".join(self.evidence_texts(ctx))):
            raise ValueError(f"platform label {self.label!r} is not in its evidence")


class OutcomeCountOut(CountedOut):
    """A case-outcome count (Home Office outcome types)."""

    period: PeriodOut
    outcome: OutcomeType


class YoungestOut(Grounded):
    """The youngest victim: ages and gender as stated, or withheld."""

    age_min: int | None = Field(default=None, ge=0)
    age_max: int | None = Field(default=None, ge=0)
    gender: Gender | None = None
    withheld: bool = False

    def _check(self, ctx: dict[str, Any]) -> None:
        if self.withheld and (self.age_min, self.age_max, self.gender) != (None, None, None):
            raise ValueError("a withheld youngest victim has null ages and gender")
        if None not in (self.age_min, self.age_max) and self.age_max < self.age_min:  # type: ignore[operator]
            raise ValueError("age_max < age_min")
        stated = numbers_in(" ".join(self.evidence_texts(ctx)))
        for age in (self.age_min, self.age_max):
            if age is not None and age not in stated:
                raise ValueError(f"age {age} is not in the evidence")


class ExemptionOut(Grounded):
    """An FOI Act section applied (not merely discussed), e.g. 40(2), 23(5), 12."""

    section: str
    ncnd: bool = False

    def _check(self, ctx: dict[str, Any]) -> None:
        norm = normalise_section(self.section)
        if norm is None:
            raise ValueError(f"section {self.section!r} is not an exemption ground "
                             "(17 and 1(1)(a) are procedure)")
        number = norm.split("(")[0]
        if int(number) not in numbers_in(" ".join(self.evidence_texts(ctx))):
            raise ValueError(f"section {number} is not in the evidence")
        self.section = norm


class ChunkFacts(BaseModel):
    """Everything the model found in one chunk. Leave out what the chunk does not say."""

    model_config = ConfigDict(extra="forbid")

    force: ForceOut | None = None
    reference: TextOut | None = None
    response_date: DateOut | None = None
    outcome: OutcomeOut | None = None
    data_in_attachment: FlagOut | None = None
    offence_codes: list[CodeOut] = Field(default_factory=list)
    offences: list[OffenceOut] = Field(default_factory=list)
    victims: list[CellOut] = Field(default_factory=list)
    suspects: list[CellOut] = Field(default_factory=list)
    platforms: list[PlatformOut] = Field(default_factory=list)
    outcomes_by_type: list[OutcomeCountOut] = Field(default_factory=list)
    youngest_victim: YoungestOut | None = None
    exemptions: list[ExemptionOut] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON schema, generated once per set of arguments (a fresh copy each call).

        Generating it takes ~12 ms of CPU and was done three times per model call (cache key,
        request, instructor); under threads that CPU holds the GIL and caps concurrency.
        """
        return copy.deepcopy(_schema(cls, args, tuple(sorted(kwargs.items()))))


@functools.lru_cache(maxsize=32)  # bounded: subclasses made per call must not pile up
def _schema(model: type[BaseModel], args: tuple[Any, ...],
            kwargs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    generate = BaseModel.model_json_schema.__func__  # type: ignore[attr-defined]
    return generate(model, *args, **dict(kwargs))  # type: ignore[no-any-return]


LIST_FIELDS = ("offence_codes", "offences", "victims", "suspects", "platforms",
               "outcomes_by_type", "exemptions")
SCALAR_FIELDS = ("force", "reference", "response_date", "outcome", "data_in_attachment",
                 "youngest_victim")


def salvage(data: Any, context: dict[str, Any]) -> tuple[ChunkFacts, list[str]]:
    """Keep the items of a raw answer that validate on their own; say what was dropped.

    Used when the whole answer still fails after re-asks: one bad item must not cost the
    good ones.
    """
    if not isinstance(data, dict):
        return ChunkFacts(), [f"answer is not a JSON object: {str(data)[:80]!r}"]
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    fields = ChunkFacts.model_fields
    for name in (*SCALAR_FIELDS, *LIST_FIELDS):
        items = data.get(name)
        if items is None:
            continue
        single = name in SCALAR_FIELDS
        for i, item in enumerate([items] if single else items if isinstance(items, list) else []):
            try:
                probe = ChunkFacts.model_validate({name: item if single else [item]},
                                                  context=context)
            except ValueError as exc:
                dropped.append(f"{name}[{i}]: {_first_error(exc)}")
                continue
            value = getattr(probe, name)
            kept[name] = value if single else [*kept.get(name, []), *value]
    caveats = data.get("caveats")
    if isinstance(caveats, list):
        kept["caveats"] = [c for c in caveats if isinstance(c, str)]
    assert set(kept) <= set(fields)
    return ChunkFacts.model_construct(**kept), dropped


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        return f"{first.get('msg', exc)}"
    return str(exc)


# ---------------------------------------------------------------- request answers (issue 15)

_GENDERS = frozenset(get_args(Gender))
_OUTCOME_TYPES = frozenset(get_args(OutcomeType))
_ROW_COL = re.compile(r"^r(\d+)c(\d+)$")


def _check_value(role: str, value: str | None, where: str) -> list[str]:
    """Errors for a header value that does not fit its role's vocabulary or grammar."""
    if value is None:
        return []
    try:
        if role == "gender" and value not in _GENDERS:
            return [f"{where}: gender {value!r} is not one of {sorted(_GENDERS)}"]
        if role == "age":
            check_age(value)
        if role == "code":
            check_code(value)
        if role == "outcome" and value not in _OUTCOME_TYPES:
            return [f"{where}: outcome {value!r} is not an outcome type"]
    except ValueError as exc:
        return [f"{where}: {exc}"]
    return []


def _check_scope(scope: TableScope, tid: str) -> list[str]:
    errors: list[str] = []
    for role in ("age", "code", "outcome"):
        errors += _check_value(role, getattr(scope, role), f"{tid} scope.{role}")
    return errors


def _check_cells(m: TableMapping, rows: int, cols: int) -> list[str]:
    errors: list[str] = []
    for h in m.cells:
        rc = _ROW_COL.match(h.cell)
        r, c = (int(rc.group(1)), int(rc.group(2))) if rc else (0, 0)
        if not (1 <= r <= rows and 1 <= c <= cols):
            errors.append(f"{m.table}: cell {h.cell} is not in the table ({rows}x{cols})")
        elif r > m.header_rows and c > m.header_cols:
            errors.append(f"{m.table}: cell {h.cell} is a data cell, not a header cell")
        errors += _check_value(h.role, h.value, f"{m.table} {h.cell}")
        errors += _check_value("age", h.age, f"{m.table} {h.cell} age")
    return errors


def check_mapping(m: TableMapping, tables: dict[str, dict[str, int]]) -> list[str]:
    """Every reason a mapping does not fit the table it names (empty when it fits)."""
    shape = tables.get(m.table)
    if shape is None:
        return [f"table {m.table!r} is not one of the tables shown ({sorted(tables)})"]
    rows, cols = shape["rows"], shape["cols"]
    errors: list[str] = []
    if m.header_rows > rows or m.header_cols > cols:
        errors.append(f"{m.table}: {m.header_rows} header rows / {m.header_cols} header "
                      f"columns do not fit a {rows}x{cols} table")
    if len(m.col_roles) != m.header_rows or len(m.row_roles) != m.header_cols:
        errors.append(f"{m.table}: give one col_roles entry per header row "
                      f"({m.header_rows}) and one row_roles entry per header column "
                      f"({m.header_cols})")
    errors += [f"{m.table}: total row {r} is not a row 1..{rows}"
               for r in m.total_rows if not 1 <= r <= rows]
    errors += [f"{m.table}: total column {c} is not a column 1..{cols}"
               for c in m.total_cols if not 1 <= c <= cols]
    return errors + _check_cells(m, rows, cols) + _check_scope(m.scope, m.table)


class TablesAnswer(BaseModel):
    """The answer to a table-mapping request: one mapping per table shown."""

    model_config = ConfigDict(extra="forbid")

    mappings: list[TableMapping] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fit(self, info: ValidationInfo) -> TablesAnswer:
        ctx = info.context if info.context is not None else _GROUNDING.get()
        tables = ctx.get("tables") if isinstance(ctx, dict) else None
        if tables is None:
            return self
        errors = [e for m in self.mappings for e in check_mapping(m, tables)]
        if errors:
            raise ValueError("; ".join(errors[:8]))
        return self


class ProseAnswer(ChunkFacts):
    """The answer to a prose request: facts with quotes, and the reply's judgement fields."""


class FullAnswer(ProseAnswer):
    """Prose facts and table mappings in one answer (a reply whose request holds both)."""

    mappings: list[TableMapping] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fit(self, info: ValidationInfo) -> FullAnswer:
        ctx = info.context if info.context is not None else _GROUNDING.get()
        tables = ctx.get("tables") if isinstance(ctx, dict) else None
        if tables is not None:
            errors = [e for m in self.mappings for e in check_mapping(m, tables)]
            if errors:
                raise ValueError("; ".join(errors[:8]))
        return self
