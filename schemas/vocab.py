"""Controlled vocabularies (platforms, forces, outcome types, exemption sections).

The data lives in ``schemas/vocab/*.json`` so that it can be extended without code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# A word (letters and digits, with dots and apostrophes inside it but not at its end), found
# by the regex engine alone: fold runs on every label and on kilobytes of context.
_FOLDED_WORD = re.compile(r"[a-z0-9](?:[a-z0-9.']*[a-z0-9])?")


def _load(name: str) -> dict[str, Any]:
    data = resources.files("schemas").joinpath("vocab", name).read_text(encoding="utf-8")
    return json.loads(data)  # type: ignore[no-any-return]


def fold(text: str) -> str:
    """Lower-case, fold punctuation (but dots and apostrophes inside words) to single spaces."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    return " ".join(_FOLDED_WORD.findall(text))


@dataclass(frozen=True)
class PlatformVocab:
    """Platform aliases as word tuples, longest first, and which names are generic."""

    aliases: tuple[tuple[tuple[str, ...], str], ...]
    generic: frozenset[str]
    filler: frozenset[str]
    whole_only: dict[str, str]
    # The same aliases indexed for speed (labels are read by the thousand): by their first
    # word (keeping the longest-first order), and whole (the first name an alias gives).
    by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    whole: dict[str, str]


@cache
def platform_vocab() -> PlatformVocab:
    """Load the platform vocabulary."""
    data = _load("platforms.json")
    pairs: list[tuple[tuple[str, ...], str]] = []
    whole_only: dict[str, str] = {}
    generic = set()
    for name, spec in data["platforms"].items():
        if spec.get("generic"):
            generic.add(name)
        for alias in [name, *spec["aliases"]]:
            words = tuple(fold(alias).split())
            if len(words) == 1 and len(words[0]) <= 2:
                whole_only[words[0]] = name  # "x", "ig", "fb": only as the whole label
            elif words:
                pairs.append((words, name))
    pairs.sort(key=lambda p: -len(p[0]))
    filler = frozenset(w for f in data["filler"] for w in fold(f).split())
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    whole: dict[str, str] = {}
    for words, name in pairs:
        by_first.setdefault(words[0], []).append((words, name))
        whole.setdefault(" ".join(words), name)
    return PlatformVocab(tuple(pairs), frozenset(generic), filler, whole_only,
                         {w: tuple(lst) for w, lst in by_first.items()}, whole)


def _match_words(words: list[str], vocab: PlatformVocab) -> tuple[list[str], list[str]]:
    """Greedy longest-alias match over words: (canonical names found, words left over)."""
    found: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        for alias, name in vocab.by_first.get(words[i], ()):
            if tuple(words[i : i + len(alias)]) == alias:
                found.append(name)
                i += len(alias)
                break
        else:
            if words[i] not in vocab.filler:
                rest.append(words[i])
            i += 1
    return found, rest


def named_platforms(text: str) -> list[str]:
    """The specific (not generic) platforms a sentence names, sorted, each once."""
    vocab = platform_vocab()
    found, _ = _match_words(re.sub(r"[^\w\s]", " ", fold(text)).split(), vocab)
    return sorted({n for n in found if n not in vocab.generic})


def canonical_platforms(label: str) -> list[str]:
    """Canonical platform names for a row label, sorted; the trimmed label when unknown.

    ``facebook and whatsapp`` -> [Facebook, WhatsApp]; ``internet whatsapp`` -> [WhatsApp]
    (a generic word beside a named platform adds nothing); ``Fabguys`` -> [Fabguys];
    an empty label -> [].
    """
    label = " ".join(label.split()).strip(" -–*:")
    if not label:
        return []
    if "/" in label:  # `Facebook/Messenger` names both; `Text/SMS` and `X/Twitter` one each
        parts = [p for p in label.split("/") if p.strip()]
        if len(parts) > 1 and all(is_known_platform(p) for p in parts):
            return sorted({n for p in parts for n in canonical_platforms(p)})
    vocab = platform_vocab()
    folded = fold(label)
    whole = _whole_label(folded, vocab)
    if whole:
        return [whole]
    found, rest = _match_words(folded.split(), vocab)
    if not found or (rest and len(rest) > len(found)):
        return [label]
    specific = [n for n in found if n not in vocab.generic]
    names = specific or found
    if specific and "Various" in found:
        names.append("Various")
    return sorted(set(names))


def _whole_label(folded: str, vocab: PlatformVocab) -> str | None:
    if folded in vocab.whole_only:
        return vocab.whole_only[folded]
    return vocab.whole.get(folded)


def is_known_platform(label: str) -> bool:
    """True when the label names at least one platform of the vocabulary."""
    folded = fold(label)
    vocab = platform_vocab()
    if _whole_label(folded, vocab):
        return True
    found, _ = _match_words(folded.split(), vocab)
    return bool(found)


@cache
def _force_aliases() -> tuple[tuple[str, str], ...]:
    data = _load("forces.json")["forces"]
    pairs = [(fold(alias), name) for name, aliases in data.items() for alias in [name, *aliases]]
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple(pairs)


def force_names() -> list[str]:
    """Canonical names of all forces in the vocabulary."""
    return list(_load("forces.json")["forces"])


def canonical_force(name: str) -> str | None:
    """The canonical force for a name or alias as a whole (``WMP`` -> West Midlands Police)."""
    folded = fold(name)
    for alias, canon in _force_aliases():
        if folded == alias:
            return canon
    return None


def force_aliases() -> tuple[tuple[str, str], ...]:
    """(folded alias, canonical name) pairs, longest alias first."""
    return _force_aliases()


def force_of_domain(label: str) -> str | None:
    """The force whose web or e-mail domain carries this label (`cambs` in
    foi@cambs.pnn.police.uk -> Cambridgeshire Constabulary), or None."""
    domains: dict[str, str] = _load("forces.json").get("domains", {})
    return domains.get(label.lower())


@cache
def _outcome_aliases() -> dict[str, str]:
    data = _load("outcomes.json")["outcomes"]
    table: dict[str, str] = {}
    for name, spec in data.items():
        table[fold(name.replace("_", " "))] = name
        for alias in spec["aliases"]:
            table[fold(alias)] = name
        for number in spec["oc"]:
            for form in (f"oc{number}", f"oc {number}", f"outcome {number}", f"outcome{number}"):
                table[form] = name
    return table


def canonical_outcome(label: str) -> str | None:
    """The outcome type for a label (``Charge/Summons``, ``OC1``, ``Outcome 15``), or None."""
    folded = fold(label)
    table = _outcome_aliases()
    if folded in table:
        return table[folded]
    m = re.match(r"^(?:oc|outcome)\s*(\d{1,2})\b", folded)
    if m and f"oc{m.group(1)}" in table:
        return table[f"oc{m.group(1)}"]
    return None


@cache
def exemption_sections() -> dict[str, Any]:
    """The exemption-section vocabulary (titles, which take no subsection, procedure)."""
    return _load("exemptions.json")


def normalise_section(raw: str) -> str | None:
    """Write a section as the contract wants (``12(1)`` -> ``12``, ``31(1)(a)(b)`` -> ``31(1)``).

    Returns None for procedure sections (17, 1(1)(a)) and unknown numbers.
    """
    m = re.match(r"^\s*(\d{1,3})\s*(\(\s*(\d{1,2})\s*\))?", raw)
    if not m:
        return None
    number, sub = m.group(1), m.group(3)
    vocab = exemption_sections()
    if number in vocab["procedure"] or number not in vocab["sections"]:
        return None
    if number in vocab["no_subsection"] or sub is None:
        return number
    return f"{number}({sub})"


def canonical_code(raw: str) -> str | None:
    """A Home Office offence code as the contract writes it: `071/17` -> `71/17`;
    `7117` -> `71/17`; `088/01` -> `88/1`; `88a` -> `88A`; None when it is not a code."""
    raw = raw.strip().upper()
    m = re.fullmatch(r"0*(\d{1,3})/0*(\d{1,2})", raw)
    if m:
        return f"{int(m.group(1))}/{int(m.group(2))}"
    m = re.fullmatch(r"0*(\d{2,3}[A-Z])", raw)
    if m:
        return m.group(1)
    m = re.fullmatch(r"0*(\d{2})(\d{2})", raw)
    if m:
        return f"{int(m.group(1))}/{int(m.group(2))}"
    return None
