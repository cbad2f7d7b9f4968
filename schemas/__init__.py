"""Typed models of the reply record contract and its controlled vocabularies.

This package imports nothing else of the project (enforced by import-linter).
"""

from schemas.record import (
    SCHEMA_VERSION,
    Cell,
    Evidence,
    Exemption,
    Flag,
    GoldRecord,
    OffenceCount,
    OutcomeRow,
    Period,
    PlatformRow,
    Record,
    YoungestVictim,
    record_json_schema,
)

__all__ = [
    "SCHEMA_VERSION",
    "Cell",
    "Evidence",
    "Exemption",
    "Flag",
    "GoldRecord",
    "OffenceCount",
    "OutcomeRow",
    "Period",
    "PlatformRow",
    "Record",
    "YoungestVictim",
    "record_json_schema",
]
