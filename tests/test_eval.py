"""The scorer on hand-computed cases, and the eval CLI's errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eval import evaluate, flatten, load_records, score
from eval.facts import Fact
from eval.io import RecordFileError, parse_record
from extract.cli import main

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold"
FY = {"start": "2024-04-01", "end": "2025-03-31"}


def _record(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"schema_version": 1, "doc_id": "d1", "outcome": "full"}
    base.update(fields)
    return base


def _facts(data: dict[str, object]) -> list[Fact]:
    return flatten(parse_record(data, "test"))


def _score(gold: dict[str, object], pred: dict[str, object]) -> tuple[int, int, int]:
    t = score({"d1": _facts(gold)}, {"d1": _facts(pred)}).micro()
    return t.tp, t.fp, t.fn


def test_gold_against_itself_scores_one() -> None:
    gold = {k: flatten(v) for k, v in load_records(GOLD).items()}
    report = score(gold, gold)
    assert report.micro().f1 == 1.0
    assert report.micro().fn == 0 and report.micro().tp > 100


def test_one_wrong_count_is_one_fp_and_one_fn() -> None:
    cell = {"period": FY, "gender": "female", "age": "12-15", "count": 22}
    wrong = {**cell, "count": 21}
    assert _score(_record(victims=[cell]), _record(victims=[wrong])) == (2, 1, 1)


def test_suppressed_and_zero_differ() -> None:
    zero = {"period": FY, "gender": "male", "age": "0-11", "count": 0}
    supp = {"period": FY, "gender": "male", "age": "0-11", "count": None, "suppressed": True}
    assert _score(_record(victims=[supp]), _record(victims=[zero])) == (2, 1, 1)
    assert _score(_record(victims=[supp]), _record(victims=[supp])) == (3, 0, 0)


def test_a_gold_list_accepts_any_of_its_values() -> None:
    gold = _record(reference=["16040", "PUB 1254"])
    assert _score(gold, _record(reference="pub  1254")) == (3, 0, 0)
    assert _score(gold, _record(reference="16040")) == (3, 0, 0)
    assert _score(gold, _record(reference="9999")) == (2, 1, 1)


def test_keys_are_normalised_for_case_spaces_and_dates() -> None:
    gold = _record(force="West Midlands Police", offences=[
        {"period": FY, "code": None, "count": 52}])
    pred = _record(force="  west  midlands police ", offences=[
        {"period": {"start": "2024-04-01T00:00:00", "end": "2025-03-31"}, "code": None,
         "count": 52}])
    assert _score(gold, pred) == (4, 0, 0)


def test_platform_key_is_sorted_names_or_label() -> None:
    a = {"period": FY, "label": "facebook facetime", "platforms": ["Facebook", "FaceTime"],
         "count": 1}
    b = {**a, "label": "FB + FaceTime", "platforms": ["FaceTime", "Facebook"]}
    assert _score(_record(platforms=[a]), _record(platforms=[b])) == (3, 0, 0)
    blank = {"period": FY, "label": "", "platforms": [], "count": 6}
    assert _score(_record(platforms=[blank, {**blank, "count": 9}]),
                  _record(platforms=[{**blank, "count": 9}, blank])) == (4, 0, 0)


def test_missing_prediction_counts_all_gold_facts_missed() -> None:
    gold = {"d1": _facts(_record()), "d2": _facts(_record(doc_id="d2"))}
    report = score(gold, {"d1": gold["d1"]})
    d2 = next(d for d in report.docs if d.doc_id == "d2")
    assert d2.total.fn == 2 and d2.total.tp == 0 and d2.note


def test_wrong_ncnd_is_a_disagreement_listed_with_the_quote() -> None:
    ev = [{"start": 0, "end": 14, "quote": "Section 23(5)"}]
    gold = _record(exemptions=[{"section": "23(5)", "ncnd": True}])
    pred = _record(exemptions=[{"section": "23(5)", "ncnd": False, "evidence": ev}])
    report = score({"d1": _facts(gold)}, {"d1": _facts(pred)})
    (d,) = [x for x in report.docs[0].disagreements if x.kind == "exemption"]
    assert d.gold is True and d.pred is False and d.quote == "Section 23(5)"


def test_cli_prints_micro_f1_one_for_gold_against_itself() -> None:
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--pred", str(GOLD)])
    assert result.exit_code == 0
    assert "micro-F1 1.000" in result.output


def test_cli_json_and_fail_under(tmp_path: Path) -> None:
    pred = tmp_path / "records.jsonl"
    first = json.loads((GOLD / "000_15da7be9d501b9f9.json").read_text())
    pred.write_text(json.dumps(first) + "\n")
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--pred", str(pred),
                                       "--json", "--fail-under", "0.9"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["by_doc"]["000_15da7be9d501b9f9"]["f1"] == 1.0
    assert data["micro"]["fn"] > 0


@pytest.mark.parametrize(("content", "field"), [
    ('{"schema_version": 1, "doc_id": "x", "outcome": "sort of"}', "outcome"),
    ('{"schema_version": 1, "doc_id": "x", "outcome": "full", "victims": [{"period": '
     '{"start": "2020-01-01", "end": "2020-12-31"}, "gender": "f", "age": "all", "count": 1}]}',
     "victims.0.gender"),
    ('{"schema_version": 1, "doc_id": "x", "outcome": "full", "offences": [{"period": '
     '{"start": "2021-01-01", "end": "2020-12-31"}, "count": 1}]}', "offences.0.period"),
    ('{"doc_id": "x", "outcome": "full", "victims": [{"period": {"start": "2020-01-01", '
     '"end": "2020-12-31"}, "gender": "male", "age": "twelve", "count": 1}]}',
     "victims.0.age"),
])
def test_malformed_record_names_file_and_field(tmp_path: Path, content: str, field: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--pred", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(bad) in result.stderr and field in result.stderr


def test_not_json_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "records.jsonl"
    bad.write_text('{"doc_id": "x"\n')
    with pytest.raises(RecordFileError) as exc:
        evaluate(str(GOLD), str(bad))
    assert "records.jsonl:1" in str(exc.value) and "not JSON" in str(exc.value)


# ------------------------------------------------------------ issue 13 item 7


def test_no_shared_reply_is_a_usage_error(tmp_path: Path) -> None:
    pred = tmp_path / "records.jsonl"
    pred.write_text(json.dumps(_record(doc_id="not_in_gold")) + "\n")
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--pred", str(pred)])
    assert result.exit_code == 2
    assert "share no reply" in result.output and "micro-F1" not in result.output


def test_partial_overlap_warns_with_counts(tmp_path: Path) -> None:
    pred = tmp_path / "records.jsonl"
    first = json.loads((GOLD / "000_15da7be9d501b9f9.json").read_text())
    pred.write_text(json.dumps(first) + "\n" + json.dumps(_record(doc_id="extra")) + "\n")
    result = CliRunner().invoke(main, ["eval", "--gold", str(GOLD), "--pred", str(pred)])
    assert result.exit_code == 0
    n_gold = len(list(GOLD.glob("*.json")))
    assert (f"warning: gold has {n_gold} replies, predictions 2; 1 shared: {n_gold - 1} gold "
            "replies without a prediction") in result.output
    assert "1 predicted replies without gold" in result.output


def test_precision_is_a_dash_when_nothing_was_predicted(tmp_path: Path) -> None:
    from rich.console import Console

    from eval.report import render

    gold = {"d1": _facts(_record(offences=[{"period": FY, "count": 3}]))}
    report = score(gold, {"d1": []})
    console = Console(record=True, width=120)
    render(report, console)
    micro = [ln for ln in console.export_text().splitlines() if "micro " in ln][0]
    cells = [c.strip() for c in micro.split("│") if c.strip()]
    assert cells[1:] == ["0", "0", "3", "-", "0.000", "0.000"]


def test_pointer_records_of_duplicates_are_not_scored(tmp_path: Path) -> None:
    first = json.loads((GOLD / "000_15da7be9d501b9f9.json").read_text())
    copy = {**first, "doc_id": "001_4007aec8355d1f8b",
            "meta": {"duplicate_of": "000_15da7be9d501b9f9"}}
    pred = tmp_path / "records.jsonl"
    pred.write_text(json.dumps(first) + "\n" + json.dumps(copy) + "\n")
    report = evaluate(str(GOLD), str(pred))
    by_doc = report.as_dict()["by_doc"]
    assert by_doc["001_4007aec8355d1f8b"]["tp"] == 0  # not matched with the copy's facts
    assert by_doc["001_4007aec8355d1f8b"]["fp"] == 0
