"""Evaluation: flatten records to facts and score predictions against hand-labelled gold."""

from eval.facts import Fact, flatten
from eval.io import RecordFileError, load_records
from eval.score import Report, score


def evaluate(gold_path: str, pred_path: str, ignore_extra: bool = False) -> Report:
    """Score the records at ``pred_path`` against the gold records at ``gold_path``."""
    gold = {k: flatten(v) for k, v in load_records(gold_path).items()}
    pred = {k: flatten(v) for k, v in load_records(pred_path).items()}
    return score(gold, pred, ignore_extra=ignore_extra)


__all__ = ["Fact", "RecordFileError", "Report", "evaluate", "flatten", "load_records", "score"]
