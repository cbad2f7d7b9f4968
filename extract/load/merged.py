"""Merged cells: a spanning label's text carried into every slot it covers.

Loaders see a merged cell once (HTML colspan/rowspan, Word gridSpan/vMerge, ODS spanned
cells); left blank, the covered slots lose the label ("Female" over three age bands, a
gender down a group of rows). Only words are carried: a number spanning slots is one count,
and copying it would count it again; a row-wide span is a title or a note, not a label.
"""

from __future__ import annotations

import re

Merge = tuple[int, int, int, int]  # top row, left col, rows spanned, cols spanned

_COUNT = re.compile(r"^\s*[\d,.*<~%-]*\s*$")
_YEAR = re.compile(r"^\s*(?:19|20)\d{2}(?:\s*[/-]\s*\d{2,4})?\s*[*^†‡#]*\s*$")


def carries(text: str) -> bool:
    """Whether a merged cell's text is a label worth copying (words or a year, not a count)."""
    return bool(text.strip()) and (not _COUNT.match(text) or bool(_YEAR.match(text)))


def carry(grid: list[list[str]], merges: list[Merge], budget: int = 200_000
          ) -> list[list[str]]:
    """The grid with each mergeable label copied into the blank slots its span covers; at
    most ``budget`` slots are visited (hostile spans stay cheap; loaders cap grids later)."""
    width = max((len(r) for r in grid), default=0)
    for top, left, rows, cols in merges:
        budget -= min(rows, len(grid)) * min(cols, width)
        if budget < 0:
            break
        if top >= len(grid) or left >= len(grid[top]):
            continue
        text = grid[top][left]
        if not carries(text) or (cols >= width > 1 and rows == 1):
            continue
        for r in range(top, min(top + rows, len(grid))):
            if len(grid[r]) < min(left + cols, width):  # trailing covered slots were dropped
                grid[r].extend([""] * (min(left + cols, width) - len(grid[r])))
            for c in range(left, min(left + cols, len(grid[r]))):
                if not grid[r][c]:
                    grid[r][c] = text
    return grid
