"""The faster scans give exactly what the plain ones gave (they exist for speed only)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.load.text import _CONTROL, _is_binary
from extract.periods import _RANGE_RE, DATE_RE, find_ranges, near_years
from schemas.vocab import fold

ROOT = Path(__file__).resolve().parents[1]

# Pieces that make dates, ranges and near misses when strung together at random.
_PIECES = ["1", "01", "3", "31st", "2nd", "19", "20", "2024", "1999", "2020", "24", " ", "  ",
           "-", "–", "/", ".", ",", "\n", "Jan", "january", "MAR", "Sept", "september", "May",
           "Dec.", "and", "to", "up to", "until", "(inclusive)", "including", "between",
           "from", "x", "ſep", "Ju", "20245", "April 2018", "1 April 2024", "31/03/2025"]


def _pieces() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _spans(matches: list[re.Match[str]]) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=400, deadline=None)
@given(_pieces())
def test_near_years_is_finditer(text: str) -> None:
    """Dates and ranges found near years are the ones finditer finds anywhere."""
    for pattern in (DATE_RE, _RANGE_RE):
        assert _spans(list(near_years(pattern, text))) == _spans(list(pattern.finditer(text)))


# The longest way each form of date can be written before its year.
_LONGEST = ["seen 30th - September., - 2024 and", "x September 30th, 2024 x", "a 31.12.2024",
            "b September., 2024", "30th\t-\tSeptember.,\t-\t2024 to 1st - October., - 2025"]


def test_near_years_reaches_the_longest_dates() -> None:
    """Dates written as long as the pattern allows before their year are still found."""
    for text in _LONGEST:
        for pattern in (DATE_RE, _RANGE_RE):
            assert _spans(list(near_years(pattern, text))) == \
                _spans(list(pattern.finditer(text)))
    assert next(near_years(DATE_RE, _LONGEST[0])).group(0) == "30th - September., - 2024"


def test_near_years_on_replies() -> None:
    """The same dates and ranges as finditer in every example and evaluation reply."""
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for folder in ("examples/replies", "eval/real/replies", "eval/reworded/replies")
             for p in sorted((ROOT / folder).glob("*.txt"))]
    assert texts
    for text in texts:
        for pattern in (DATE_RE, _RANGE_RE):
            assert _spans(list(near_years(pattern, text))) == \
                _spans(list(pattern.finditer(text)))


def test_find_ranges_needs_two_years() -> None:
    """A text with one year holds no range; two dates with years make one."""
    assert find_ranges("from 1 April to 31 March 2024") == []
    found = find_ranges("between 1st April 2023 and 31st March 2024")
    assert [(f.period.start.isoformat(), f.period.end.isoformat()) for f in found] == \
        [("2023-04-01", "2024-03-31")]


def _fold_plain(text: str) -> str:
    """fold as first written: words, then their trailing dots and apostrophes stripped."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    return " ".join(w.rstrip(".'") for w in re.findall(r"[a-z0-9][a-z0-9.'’]*", text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ9 .'’&-_\n\tÉİ0", max_size=30))
def test_fold_is_plain_fold(text: str) -> None:
    """fold keeps the same words as the per-word strip did."""
    assert fold(text) == _fold_plain(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=[chr(i) for i in range(0, 40)] + ["a", "é", "\ufffd", "\x7f"],
               max_size=200))
def test_is_binary_counts_like_the_loop(text: str) -> None:
    """The regex count of control characters decides as the per-character loop did."""
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) in _CONTROL or ch == "\ufffd")
    expected = bool(sample) and ("\x00" in sample or bad > 0.02 * len(sample))
    assert _is_binary(text) == expected
