"""Grouping input paths into replies: stems, sub-folders, manifests, hidden files, order."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import LoadError
from extract.grouping import ReplyInput, group_inputs


def _touch(*paths: Path) -> None:
    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")


def _ids(replies: list[ReplyInput]) -> list[tuple[str, list[str]]]:
    return [(r.doc_id, [p.name for p in r.paths]) for r in replies]


def test_folder_stems_and_subfolders(tmp_path: Path) -> None:
    _touch(tmp_path / "b.html", tmp_path / "b.pdf", tmp_path / "a.txt", tmp_path / ".hidden",
           tmp_path / "r9" / "letter.pdf", tmp_path / "r9" / "att" / "data.xlsx",
           tmp_path / "r9" / ".DS_Store")
    assert _ids(group_inputs([tmp_path])) == [
        ("a", ["a.txt"]), ("b", ["b.html", "b.pdf"]), ("r9", ["data.xlsx", "letter.pdf"])]


def test_single_files_are_replies(tmp_path: Path) -> None:
    _touch(tmp_path / "x.pdf", tmp_path / "x.xlsx", tmp_path / "y.txt")
    replies = group_inputs([tmp_path / "y.txt", tmp_path / "x.xlsx", tmp_path / "x.pdf"])
    assert _ids(replies) == [("x", ["x.pdf", "x.xlsx"]), ("y", ["y.txt"])]


def test_manifest_groups_and_names(tmp_path: Path) -> None:
    _touch(tmp_path / "l1.pdf", tmp_path / "s1.xlsx", tmp_path / "other.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,reply_id,force,reference\n"
                        "l1.pdf,R1,Essex Police,PUB 1254\ns1.xlsx,R1,,\n")
    replies = group_inputs([tmp_path], manifest)
    assert _ids(replies) == [("R1", ["l1.pdf", "s1.xlsx"]), ("other", ["other.txt"])]
    assert (replies[0].force, replies[0].reference) == ("Essex Police", "PUB 1254")


def test_manifest_without_columns_is_a_clear_error(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,id\na,b\n")
    with pytest.raises(LoadError, match="manifest needs columns file and reply_id"):
        group_inputs([tmp_path], manifest)
