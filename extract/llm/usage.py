"""Token usage per reply and per run, and its cost from a per-model price table."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any


@cache
def price_table() -> dict[str, Any]:
    """The price table shipped in ``extract/llm/prices.json``."""
    text = resources.files("extract.llm").joinpath("prices.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _prices(model: str) -> dict[str, float] | None:
    table = price_table()
    prices = table["models"].get(model)
    if prices is None:
        # dated snapshots ("gpt-4o-mini-2024-07-18") price like their family
        family = max((m for m in table["models"] if model.startswith(m + "-")), key=len,
                     default=None)
        prices = table["models"].get(family) if family else None
    if prices is not None:
        return {k: float(v) for k, v in prices.items()}
    if any(model.lower().startswith(p) for p in table["local_prefixes"]):
        return {"input": 0.0, "output": 0.0, "cached_input": 0.0}
    return None


def price_per_million(model: str) -> tuple[float, float] | None:
    """(input, output) USD per 1M tokens for a model; (0, 0) for local models; else None."""
    prices = _prices(model)
    return None if prices is None else (prices["input"], prices["output"])


def cached_price_per_million(model: str) -> float | None:
    """USD per 1M cached input tokens (the provider's prompt-cache discount); None: unknown."""
    prices = _prices(model)
    if prices is None:
        return None
    return prices.get("cached_input", prices["input"])


@dataclass
class Usage:
    """Tokens and requests, counted on success and on failure."""

    input_tokens: int = 0
    output_tokens: int = 0
    # Of input_tokens, those the provider served from its prompt cache (priced lower).
    cached_input_tokens: int = 0
    requests: int = 0
    cached: int = 0
    failures: int = 0
    models: set[str] = field(default_factory=set)

    def add_tokens(self, model: str, input_tokens: int, output_tokens: int,
                   cached_input: int = 0) -> None:
        """Count one HTTP exchange's tokens (``cached_input``: of the input, those cached)."""
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        self.cached_input_tokens += min(cached_input, input_tokens)
        self.models.add(model)

    def merge(self, other: Usage) -> None:
        """Add another reply's usage into this one (per-run totals)."""
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cached_input_tokens += other.cached_input_tokens
        self.requests += other.requests
        self.cached += other.cached
        self.failures += other.failures
        self.models |= other.models

    def cost_usd(self) -> float | None:
        """Cost from the price table; None when a model used has no known price."""
        if not self.models:
            return 0.0
        # Tokens are not split by model; a run uses one model, so price by it.
        prices = [_prices(m) for m in self.models]
        if any(p is None for p in prices):
            return None
        p_in = max(p["input"] for p in prices if p)
        p_out = max(p["output"] for p in prices if p)
        p_cached = max(p.get("cached_input", p["input"]) for p in prices if p)
        fresh = self.input_tokens - self.cached_input_tokens
        return (fresh * p_in + self.cached_input_tokens * p_cached
                + self.output_tokens * p_out) / 1_000_000

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (for record meta and the run summary)."""
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
                "cached_input_tokens": self.cached_input_tokens,
                "requests": self.requests, "cached": self.cached, "failures": self.failures,
                "models": sorted(self.models), "cost_usd": self.cost_usd()}
