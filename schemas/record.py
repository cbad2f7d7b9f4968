"""Pydantic models of the reply record (shared/spec/record-contract.md, schema_version 1).

The same models read pipeline output and hand-labelled gold files. Gold files may give a
list of acceptable values for a scalar; :class:`GoldRecord` allows that, :class:`Record`
does not.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

AGE_RE = re.compile(r"^(all|unknown|\d{1,3}-\d{1,3}|\d{1,3}\+)$")
SECTION_RE = re.compile(r"^\d{1,3}(\(\d{1,2}\))?$")
CODE_RE = re.compile(r"^\d{1,3}[A-Z]?(/\d{1,3}[A-Z]?)?$")


# The reply's overall outcome, decided by the contract's definitions.
Outcome = Literal[
    "full",
    "partial",
    "refused",
    "ncnd",
    "not_held",
    "no_answer",
]


Gender = Literal[
    "female",
    "male",
    "unknown",
    "other",
    "all",
]


Method = Literal[
    "keyword_search",
    "manual_review",
    "recorded_field",
]


# Home Office outcome framework types plus the contract's extras.
OutcomeType = Literal[
    "charged",
    "summonsed",
    "caution",
    "taken_into_consideration",
    "offender_died",
    "penalty_notice",
    "cannabis_warning",
    "community_resolution",
    "not_in_public_interest",
    "formal_action_not_in_public_interest",
    "suspect_under_age",
    "suspect_too_ill",
    "victim_or_witness_unavailable",
    "victim_declines_suspect_not_identified",
    "evidential_difficulties",
    "victim_declines_suspect_identified",
    "time_limit_expired",
    "no_suspect_identified",
    "other_agency",
    "further_investigation_not_in_public_interest",
    "diversionary_activity",
    "under_investigation",
    "no_further_action",
    "filed",
    "arrested",
    "other",
]


def check_code(code: str) -> str:
    """An offence code written as the contract wants (`71/17`, `88/1`, `88A`), or ValueError."""
    if not CODE_RE.match(code):
        raise ValueError(f"offence code {code!r} is not written like 71/17, 88/1 or 88A")
    return code


def check_age(age: str) -> str:
    """An age in the contract's grammar (`all`, `unknown`, `A-B`, `A+`), or ValueError."""
    if not AGE_RE.match(age):
        raise ValueError(f"age {age!r} is not all, unknown, A-B or A+")
    if "-" in age:
        lo, hi = (int(x) for x in age.split("-"))
        if hi < lo:
            raise ValueError(f"age band {age!r} runs backwards")
    return age


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Evidence(_Model):
    """Where a value was read: character offsets into the normalised text and the quote."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str
    part: str | None = None
    locator: str | None = None  # page / sheet / cell, e.g. "sheet 1, cell C4"

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} < start {self.start}")
        return self


class Period(_Model):
    """An inclusive date range."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


class _Counted(_Model):
    """A count that is an int >= 0, or null with suppressed=true."""

    count: int | None = Field(default=None, ge=0)
    suppressed: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    # Pipeline output only: which readers found this value ("rules", "llm"); both = agreed.
    readers: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _count_or_suppressed(self) -> _Counted:
        if self.count is None and not self.suppressed:
            raise ValueError("count is null but suppressed is not true")
        if self.count is not None and self.suppressed:
            raise ValueError("a suppressed count must be null")
        return self


class OffenceCount(_Counted):
    period: Period
    code: str | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str | None) -> str | None:
        return None if v is None else check_code(v)


class Cell(_Counted):
    """A victim or suspect count by period, gender and age."""

    period: Period
    gender: Gender
    age: str

    @field_validator("age")
    @classmethod
    def _age(cls, v: str) -> str:
        return check_age(v)


class PlatformRow(_Counted):
    period: Period
    label: str
    platforms: list[str] = Field(default_factory=list)
    method: Method | None = None


class OutcomeRow(_Counted):
    period: Period
    outcome: OutcomeType


class YoungestVictim(_Model):
    age_min: int | None = Field(default=None, ge=0)
    age_max: int | None = Field(default=None, ge=0)
    gender: Gender | None = None
    withheld: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    readers: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> YoungestVictim:
        if self.withheld and (self.age_min, self.age_max, self.gender) != (None, None, None):
            raise ValueError("a withheld youngest victim has null age_min, age_max and gender")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            raise ValueError("youngest victim age_max < age_min")
        return self


class Exemption(_Model):
    section: str
    ncnd: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    readers: list[str] = Field(default_factory=list)

    @field_validator("section")
    @classmethod
    def _section(cls, v: str) -> str:
        if not SECTION_RE.match(v):
            raise ValueError(f"section {v!r} is not written like 40(2), 23(5) or 12")
        return v


class Flag(_Model):
    """Something a person should look at: a totals mismatch, a dropped model value."""

    code: str
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class Record(_Model):
    """One FOI reply as the contract defines it (pipeline output)."""

    schema_version: Literal[1] = 1
    doc_id: str
    force: str | None = None
    reference: str | None = None
    response_date: date | None = None
    outcome: Outcome
    data_in_attachment: bool = False
    offence_codes: list[str] = Field(default_factory=list)
    offences: list[OffenceCount] = Field(default_factory=list)
    victims: list[Cell] = Field(default_factory=list)
    suspects: list[Cell] = Field(default_factory=list)
    platforms: list[PlatformRow] = Field(default_factory=list)
    outcomes_by_type: list[OutcomeRow] = Field(default_factory=list)
    youngest_victim: YoungestVictim | None = None
    exemptions: list[Exemption] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)
    # Evidence for scalar fields (force, reference, response_date, outcome, ...); list
    # items carry their own.
    evidence: dict[str, list[Evidence]] = Field(default_factory=dict)
    # Additive pipeline fields (not in gold files): flags for review and run metadata.
    flags: list[Flag] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("offence_codes")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        return [check_code(code) for code in v]


class GoldRecord(Record):
    """A hand-labelled record: a scalar may be a list of acceptable values."""

    force: str | list[str] | None = None  # type: ignore[assignment]
    reference: str | list[str] | None = None  # type: ignore[assignment]
    response_date: date | list[date] | None = None  # type: ignore[assignment]
    outcome: Outcome | list[Outcome]  # type: ignore[assignment]
    data_in_attachment: bool | list[bool] = False  # type: ignore[assignment]


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of a pipeline record."""
    return Record.model_json_schema()
