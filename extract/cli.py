"""The ``foi-extract`` command line: records to files/stdout, status to stderr.

Exit codes: 0 success; 1 the job ran but did not meet its bar (``--fail-under``) or some
replies failed; 2 bad usage or unreadable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

err = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="foi-extract")
def main() -> None:
    """Turn UK police FOI replies into a clean, checkable, evidence-linked dataset."""


@main.command("schema")
@click.option("--gold", is_flag=True, help="Print the gold-file schema (scalars may be lists).")
def schema_cmd(gold: bool) -> None:
    """Print the JSON Schema of a reply record."""
    from schemas import GoldRecord, Record

    model = GoldRecord if gold else Record
    click.echo(json.dumps(model.model_json_schema(), indent=2))


@main.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(),
              help="Folder (or file) of hand-labelled gold records.")
@click.option("--pred", "pred_path", required=True, type=click.Path(),
              help="records.jsonl, a record JSON file, or a folder of them.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--fail-under", type=float, default=None,
              help="Exit 1 when micro-F1 is below this value.")
@click.option("--ignore-extra", is_flag=True,
              help="Do not score predicted replies that have no gold record.")
@click.option("--no-disagreements", is_flag=True, help="Leave out the disagreement list.")
def eval_cmd(gold_path: str, pred_path: str, as_json: bool, fail_under: float | None,
             ignore_extra: bool, no_disagreements: bool) -> None:
    """Score predicted records against gold: P/R/F1 per kind, per reply and micro-averaged."""
    from eval import RecordFileError, evaluate
    from eval.report import render

    try:
        report = evaluate(gold_path, pred_path, ignore_extra=ignore_extra)
    except RecordFileError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        render(report, Console(), show_disagreements=not no_disagreements)
    if fail_under is not None and report.micro().f1 < fail_under:
        err.print(f"micro-F1 {report.micro().f1:.3f} is under {fail_under}")
        sys.exit(EXIT_SOME_FAILED)


def _paths(inputs: tuple[str, ...]) -> list[Path]:
    return [Path(p) for p in inputs]
