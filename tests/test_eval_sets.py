"""Every evaluation set is usable: each gold record parses under the contract, names a reply
that is in the set, and scores 1.000 against itself (a gold file that cannot be matched would
silently lower every figure reported on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.facts import flatten
from eval.io import load_records
from eval.score import score

EVAL = Path(__file__).resolve().parents[1] / "eval"
ROOT = EVAL.parent
# (name, gold folder, replies folder); eval/gold holds the seeds' gold, their replies are examples/
SETS = [("gold", EVAL / "gold", ROOT / "examples" / "replies")] + sorted(
    (p.parent.name, p, p.parent / "replies") for p in EVAL.glob("*/gold") if p.is_dir())


def _replies(folder: Path) -> set[str]:
    return {p.stem for p in folder.iterdir() if p.is_file()}


def test_every_set_is_found() -> None:
    names = {s[0] for s in SETS}
    assert {"gold", "reworded", "real", "real2", "dev2", "dev3", "heldout", "heldout2"} <= names


@pytest.mark.parametrize(("name", "gold_dir", "replies"), SETS, ids=[s[0] for s in SETS])
def test_gold_parses_matches_its_replies_and_scores_one(name: str, gold_dir: Path,
                                                         replies: Path) -> None:
    gold = load_records(gold_dir)
    assert gold, f"{name}: no gold records"
    missing = set(gold) - _replies(replies)
    assert not missing, f"{name}: gold without a reply: {sorted(missing)}"
    facts = {doc_id: flatten(rec) for doc_id, rec in gold.items()}
    micro = score(facts, facts).micro()
    assert micro.f1 == 1.0 and micro.tp == sum(len(f) for f in facts.values()) > 0
