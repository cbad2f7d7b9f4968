"""Evaluation: flatten records to facts and score predictions against hand-labelled gold."""

from eval.facts import Fact, flatten
from eval.io import NoOverlapError, RecordFileError, load_records
from eval.score import Report, score


def overlap_warning(gold: set[str], pred: set[str]) -> str | None:
    """A warning when gold and predictions cover different replies; NoOverlapError when they
    share none (every score would be 0 and say nothing)."""
    shared = gold & pred
    if not shared:
        raise NoOverlapError(
            f"the gold ({len(gold)} replies) and the predictions ({len(pred)} replies) share "
            "no reply (doc_id): nothing to score. Are --gold and --pred from the same inputs?")
    if shared == gold == pred:
        return None
    return (f"gold has {len(gold)} replies, predictions {len(pred)}; {len(shared)} shared: "
            f"{len(gold - shared)} gold replies without a prediction (all their facts count "
            f"as missed), {len(pred - shared)} predicted replies without gold")


def evaluate(gold_path: str, pred_path: str, ignore_extra: bool = False) -> Report:
    """Score the records at ``pred_path`` against the gold records at ``gold_path``.

    A duplicate's pointer record (``meta.duplicate_of``) is left out: its reply is scored
    once, under its original. Raises NoOverlapError when no reply is on both sides; a
    partial overlap is described in ``report.warnings``.
    """
    gold = {k: flatten(v) for k, v in load_records(gold_path).items()}
    pred = {k: flatten(v) for k, v in load_records(pred_path).items()
            if not v.meta.get("duplicate_of")}
    warning = overlap_warning(set(gold), set(pred))
    report = score(gold, pred, ignore_extra=ignore_extra)
    report.warnings = [warning] if warning else []
    return report


__all__ = ["Fact", "NoOverlapError", "RecordFileError", "Report", "evaluate", "flatten",
           "load_records", "overlap_warning", "score"]
