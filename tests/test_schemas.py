"""The record models and the controlled vocabularies."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extract.document import Document
from extract.readers import phrases as P
from schemas import Cell, Period, PlatformRow, Record, YoungestVictim
from schemas.vocab import (
    canonical_force,
    canonical_outcome,
    canonical_platforms,
    force_names,
    normalise_section,
)

FY = {"start": "2024-04-01", "end": "2025-03-31"}


@pytest.mark.parametrize("age", ["all", "unknown", "12-15", "16+", "13-13", "0-11"])
def test_age_grammar_accepts(age: str) -> None:
    assert Cell(period=FY, gender="all", age=age, count=1).age == age  # type: ignore[arg-type]


@pytest.mark.parametrize("age", ["12 to 15", "16 and over", "15-12", "", "adult"])
def test_age_grammar_rejects(age: str) -> None:
    with pytest.raises(ValidationError):
        Cell(period=FY, gender="all", age=age, count=1)  # type: ignore[arg-type]


def test_counts_are_non_negative_or_suppressed_null() -> None:
    with pytest.raises(ValidationError):
        Cell(period=FY, gender="all", age="all", count=-1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Cell(period=FY, gender="all", age="all", count=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Cell(period=FY, gender="all", age="all", count=3, suppressed=True)  # type: ignore[arg-type]
    assert Cell(period=FY, gender="all", age="all", count=None,  # type: ignore[arg-type]
                suppressed=True).suppressed


def test_period_order_and_strict_enums() -> None:
    with pytest.raises(ValidationError):
        Period(start="2025-01-01", end="2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Record(doc_id="x", outcome="mostly")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        PlatformRow(period=FY, label="x", count=1, method="guess")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        YoungestVictim(age_min=5, withheld=True)


def test_schema_version_is_one_and_extra_fields_are_refused() -> None:
    assert Record(doc_id="x", outcome="full").schema_version == 1
    with pytest.raises(ValidationError):
        Record.model_validate({"doc_id": "x", "outcome": "full", "colour": "red"})


def test_forces_vocabulary_has_every_uk_force() -> None:
    names = force_names()
    assert len(names) == 46  # 43 England and Wales, Scotland, PSNI, BTP
    assert canonical_force("WMP") == "West Midlands Police"
    assert canonical_force("Met") == "Metropolitan Police Service"
    assert canonical_force("PSNI") == "Police Service of Northern Ireland"


def test_short_force_aliases_need_their_capitals_in_text() -> None:
    assert P.force(Document("t", "The request met the criteria. MPs asked.")) is None
    found = P.force(Document("t", "Reply from WMP Disclosure Unit"))
    assert found is not None and found[0] == "West Midlands Police"


@pytest.mark.parametrize(("label", "names"), [
    ("XBOX", ["Xbox Live"]), ("Text Messages", ["Text message"]),
    ("internet whatsapp", ["WhatsApp"]), ("facebook and whatsapp", ["Facebook", "WhatsApp"]),
    ("Unknown app", ["Unknown"]), ("Fabguys", ["Fabguys"]), ("", []),
    ("Online - not specified", ["Online (unspecified)"]), ("PSN", ["PlayStation Network"]),
])
def test_platform_aliases(label: str, names: list[str]) -> None:
    assert canonical_platforms(label) == names


@pytest.mark.parametrize(("label", "outcome"), [
    ("Charge/Summons", "charged"), ("OC1", "charged"), ("Outcome 15", "evidential_difficulties"),
    ("NFA", "no_further_action"), ("Community Resolution", "community_resolution"),
])
def test_outcome_aliases(label: str, outcome: str) -> None:
    assert canonical_outcome(label) == outcome


@pytest.mark.parametrize(("raw", "section"), [
    ("12(1)", "12"), ("31(1)(a)(b)", "31(1)"), ("40(2)", "40(2)"), ("23", "23"),
    ("17", None), ("1(1)(a)", None), ("15A", None),
])
def test_section_normalisation(raw: str, section: str | None) -> None:
    assert normalise_section(raw) == section
