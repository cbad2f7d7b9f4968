"""Issue 13 item 9: every command's help shows an example, and --limit lists its names."""

from __future__ import annotations

import dataclasses

import click
import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.limits import Limits

COMMANDS = [[], ["run"], ["eval"], ["schema"], ["summarize"], ["batch"],
            ["batch", "prepare"], ["batch", "submit"], ["batch", "status"],
            ["batch", "download"], ["batch", "collect"]]


def test_the_command_list_is_complete() -> None:
    batch = main.commands["batch"]
    assert isinstance(batch, click.Group)
    named = {(n,) for n in main.commands} | {("batch", n) for n in batch.commands} | {()}
    assert named == {tuple(c) for c in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "main")
def test_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "foi-extract " + " ".join(command) in " ".join(result.output.split())


@pytest.mark.parametrize("command", [["run"], ["batch", "prepare"], ["batch", "collect"]])
def test_limit_help_names_every_limit(command: list[str]) -> None:
    text = " ".join(CliRunner().invoke(main, [*command, "--help"]).output.split())
    for field in dataclasses.fields(Limits):
        assert field.name in text, field.name
