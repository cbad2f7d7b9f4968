"""Prompt files (``prompts/``), the prompt hash, and the rules reader's facts as hints.

The prompt files are data: ``system.md`` (starting ``version: N``), ``guidance.md`` and
``examples/*.json`` (few-shot pairs written for the prompt: an ``input`` shaped like a
request's user message and the ``answer``). The hash of all of them goes into every cache
key and record. Requests themselves are built in ``extract.llm.requests``; the reply's text
goes in there as JSON data, never through a template engine.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from schemas import Record

PROMPTS_ENV = "FOI_EXTRACT_PROMPTS"


@dataclass(frozen=True)
class Example:
    """A few-shot example written for the prompt: a request's data and the answer to it."""

    name: str
    input: dict[str, Any]
    answer: dict[str, Any]
    note: str = ""


@dataclass(frozen=True)
class PromptSet:
    """The loaded prompt files and their hash."""

    version: str
    system: str
    guidance: str
    examples: tuple[Example, ...] = field(default_factory=tuple)
    hash: str = ""

    def instructions(self) -> str:
        """The system message: contract rules plus per-kind guidance."""
        return f"{self.system.strip()}\n\n{self.guidance.strip()}\n"


def default_prompt_dir() -> Path:
    """``$FOI_EXTRACT_PROMPTS``, else the installed ``prompts`` package (the repository's
    ``prompts/`` folder, carried as package data by ``pip install .``)."""
    env = os.environ.get(PROMPTS_ENV)
    return Path(env) if env else Path(str(resources.files("prompts")))


def _version(system: str) -> str:
    first = system.lstrip().splitlines()[0] if system.strip() else ""
    if not first.lower().startswith("version:"):
        raise ValueError("prompts/system.md must start with a 'version: N' line")
    return first.split(":", 1)[1].strip()


def _load_example(path: Path) -> Example:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Example(name=path.stem, input=data["input"], answer=data["answer"],
                   note=data.get("note", ""))


def prompt_hash(files: dict[str, str]) -> str:
    """sha256 (first 16 hex) over the prompt files' names and contents."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name].encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def load_prompts(directory: Path | None = None) -> PromptSet:
    """Read system.md, guidance.md and examples/*.json from a prompt directory."""
    root = directory or default_prompt_dir()
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
             for p in [root / "system.md", root / "guidance.md",
                       *sorted((root / "examples").glob("*.json"))]}
    system = files["system.md"]
    examples = tuple(_load_example(root / n) for n in sorted(files) if n.startswith("examples/"))
    return PromptSet(version=_version(system), system=system, guidance=files["guidance.md"],
                     examples=examples, hash=prompt_hash(files))


@cache
def default_prompts() -> PromptSet:
    """The prompt set in the default directory (read once)."""
    return load_prompts()


def _in_span(evidence: list[Any], start: int, end: int) -> bool:
    return not evidence or any(start <= e.start < end for e in evidence)


def _period(p: Any) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _count(item: Any) -> str:
    return "suppressed" if item.suppressed else str(item.count)


def _grouped(kind: str, items: list[tuple[Any, str]]) -> list[str]:
    """`kind period: a; b; c` — one line per kind and period, so a period is written once."""
    by_period: dict[str, list[str]] = {}
    for period, text in items:
        by_period.setdefault(_period(period), []).append(text)
    return [f"{kind} {p}: " + "; ".join(texts) for p, texts in by_period.items()]


def hint_lines(record: Record | None, start: int, end: int, limit: int = 60) -> list[str]:
    """The rules reader's facts inside [start, end) as short lines for the model."""
    if record is None:
        return []

    def inside(item: Any) -> bool:
        return _in_span(item.evidence, start, end)

    out = [f"{name}: {getattr(record, name)}" for name in ("force", "reference", "response_date")
           if getattr(record, name) is not None]
    out += _grouped("offences", [(o.period, f"code={o.code} {_count(o)}")
                                 for o in record.offences if inside(o)])
    for kind in ("victims", "suspects"):
        out += _grouped(kind, [(c.period, f"{c.gender} {c.age}={_count(c)}")
                               for c in getattr(record, kind) if inside(c)])
    out += _grouped("platforms", [(p.period, f"{p.label!r}={_count(p)}")
                                  for p in record.platforms if inside(p)])
    out += _grouped("outcomes", [(o.period, f"{o.outcome}={_count(o)}")
                                 for o in record.outcomes_by_type if inside(o)])
    out += [f"exemption {e.section} ncnd={e.ncnd}" for e in record.exemptions if inside(e)]
    return out[:limit]
