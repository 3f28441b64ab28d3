"""Vocabularies as data: every word list the rules read, each word in one place.

The lists live in the TOML files beside this module. A lexicon is a table with `entries`: either
a list of phrases (each its own label) or a table of label -> phrases. `case = "exact"` (or
"title") makes matching case-sensitive; otherwise it ignores case. The document analysis finds
every lexicon's phrases in a text once, except for lexicons marked `terms = false`, which rules
only build patterns from (number words, hedges, ...). Rules refer to a lexicon by name:
`lexicon("months")`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent
LABELS_REMEMBERED = 1024  # spellings whose label each lexicon keeps, so that memory stays flat


@dataclass(frozen=True)
class Lexicon:
    """One named vocabulary: phrases, each with the label it stands for."""

    name: str
    labels: dict[str, str]  # phrase as written -> label
    case_sensitive: bool
    terms: bool = True  # whether the document analysis finds its phrases in every text

    @property
    def phrases(self) -> list[str]:
        """The phrases, longest first (so alternations prefer the longer reading)."""
        return sorted(self.labels, key=lambda phrase: (-len(phrase), phrase))

    def label(self, phrase: str) -> str | None:
        """The label of a phrase as found in a text, or None when it is not in the lexicon."""
        known = self._labels_read
        if phrase in known:
            return known[phrase]
        written = " ".join(phrase.split())
        found = (
            self.labels.get(written)
            if self.case_sensitive
            else self._folded.get(written.casefold())
        )
        if len(known) < LABELS_REMEMBERED:
            known[phrase] = found
        return found

    @cached_property
    def _labels_read(self) -> dict[str, str | None]:
        """The label of each phrase `label` was asked for, as it was written (a text uses the
        same few spellings again and again)."""
        return {}

    def with_label(self, label: str) -> list[str]:
        """The phrases of one label."""
        return [phrase for phrase, own in self.labels.items() if own == label]

    def first_words(self) -> tuple[str, ...]:
        """The first word of each phrase, lower-cased: every match of `pattern()` holds one in
        some case, so a text without any of them need not be searched (Analysis.holds_any)."""
        return tuple(sorted({phrase.split()[0].lower() for phrase in self.labels}))

    @cached_property
    def _folded(self) -> dict[str, str]:
        return {phrase.casefold(): label for phrase, label in self.labels.items()}

    def pattern(
        self, *, labels: tuple[str, ...] | None = None, ignore_case: bool | None = None
    ) -> str:
        """A regex alternation of the phrases (of the given labels), longest first.

        Spaces match any run of whitespace. The group ignores case unless the lexicon is exact;
        `ignore_case` overrides that.
        """
        phrases = [p for p in self.phrases if labels is None or self.labels[p] in labels]
        exact = self.case_sensitive if ignore_case is None else not ignore_case
        body = alternation(phrases if exact else [phrase.lower() for phrase in phrases])
        return f"(?:{body})" if exact else f"(?i:{body})"


def alternation(phrases: list[str]) -> str:
    """A regex matching any of the phrases, longer ones preferred, spaces matching any run of
    whitespace: the phrases as a character trie, so that the regex engine reads each character
    once where "p1|p2|..." would make it try the phrases one by one. Where one phrase extends
    another the longer comes first, as in a longest-first list; branches that part at a
    character cannot both match, so their order does not matter."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + render(child)
            for char, child in sorted(node.items())
            if char
        ]
        if "" in node:
            if not branches:
                return ""
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie)


def _read(path: Path) -> dict[str, Lexicon]:
    with open(path, "rb") as handle:
        tables = tomllib.load(handle)
    found = {}
    for name, table in tables.items():
        entries = table["entries"]
        if isinstance(entries, list):
            if len(set(entries)) != len(entries):
                raise ValueError(f"{path.name}: {name}: a phrase is listed twice")
            labels = {phrase: phrase for phrase in entries}
        else:
            labels = {}
            for label, phrases in entries.items():
                if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                    raise ValueError(f"{path.name}: {name}: {label!r} must list phrases")
                for phrase in phrases:
                    if phrase in labels:
                        raise ValueError(f"{path.name}: {name}: {phrase!r} is listed twice")
                    labels[phrase] = label
        found[name] = Lexicon(
            name, labels, table.get("case", "any") != "any", table.get("terms", True)
        )
    return found


@cache
def all_lexicons() -> dict[str, Lexicon]:
    """Every lexicon of every data file, by name; a name defined twice is an error."""
    found: dict[str, Lexicon] = {}
    for path in sorted(LEXICON_DIR.glob("*.toml")):
        for name, lexicon in _read(path).items():
            if name in found:
                raise ValueError(f"lexicon {name!r} is defined twice ({path.name})")
            found[name] = lexicon
    return found


def lexicon(name: str) -> Lexicon:
    """The lexicon of that name."""
    return all_lexicons()[name]
