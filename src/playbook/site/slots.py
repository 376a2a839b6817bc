"""What page macros leave for the plugin: their HTML behind placeholder comments, and their located errors."""
from __future__ import annotations

# HTML that page macros made, waiting for its placeholder comment: Markdown never sees record text.
SLOTS: dict[str, str] = {}
_MACRO_PROBLEMS: dict[str, list[str]] = {}


def add_macro_problem(page: str, line: str) -> None:
    """Remember a one-line macro error for a page; the build stops on it after the page's macros ran."""
    _MACRO_PROBLEMS.setdefault(page, []).append(line)


def macro_problems(page: str) -> list[str]:
    """The macro errors of a page (and forget them)."""
    return _MACRO_PROBLEMS.pop(page, [])
