"""Lexicons as data: how the TOML files are read, and the mistakes that must fail loudly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import strikewatch.lexicon as lexicons
from strikewatch.extract.scanning import folded
from strikewatch.lexicon import all_lexicons, lexicon


def _load(directory: Path, monkeypatch: pytest.MonkeyPatch, **files: str) -> dict:
    """Read the given TOML files as the lexicon directory, bypassing the cache."""
    for name, body in files.items():
        (directory / f"{name}.toml").write_text(body, encoding="utf-8")
    monkeypatch.setattr(lexicons, "LEXICON_DIR", directory)
    return all_lexicons.__wrapped__()


def test_the_shipped_lexicons_load() -> None:
    found = all_lexicons()
    for name in ("months", "weekdays", "pollsters", "staff_groups", "unions", "reporting_verbs"):
        assert found[name].labels, name
    assert lexicon("months").label("Sept") == "9" and lexicon("months").label("sept") is None


def test_labels_asked_again_and_past_the_remembered_ones_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _load(
        tmp_path,
        monkeypatch,
        words="""
[crowds]
entries = ["picket line", "rally"]

[firms]
case = "exact"
entries = ["Acme"]
""",
    )
    crowds, firms = found["crowds"], found["firms"]
    spellings = ["Acme", "ACME", "acme", "Acme ", "Picket  Line", "picket\nline", "RALLY", "x"]
    first = [(crowds.label(s), firms.label(s)) for s in spellings]
    assert first[:4] == [(None, "Acme"), (None, None), (None, None), (None, "Acme")]
    assert first[4:] == [("picket line", None)] * 2 + [("rally", None), (None, None)]
    monkeypatch.setattr(lexicons, "LABELS_REMEMBERED", 3)
    for other in range(10):
        crowds.label(f"crowd {other}")  # more spellings than are remembered
    assert [(crowds.label(s), firms.label(s)) for s in reversed(spellings)] == first[::-1]


def test_list_and_table_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _load(
        tmp_path,
        monkeypatch,
        words="""
[crowds]
entries = ["picket line", "rally"]

[firms]
case = "exact"
[firms.entries]
"Acme Polls" = ["Acme Polls", "Acme"]
""",
    )
    crowds, firms = found["crowds"], found["firms"]
    assert crowds.label("Picket  Line") == "picket line"  # any case, any run of spaces
    assert firms.label("Acme") == "Acme Polls" and firms.label("ACME") is None
    assert firms.with_label("Acme Polls") == ["Acme Polls", "Acme"]
    assert re.fullmatch(crowds.pattern(), "RALLY")
    assert not re.fullmatch(firms.pattern(), "acme")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[crowds]\nentries = ["rally", "march", "rally"]\n', "listed twice"),
        ('[firms.entries]\nAcme = ["Acme"]\nBeta = ["Beta", "Acme"]\n', "'Acme' is listed twice"),
        ('[firms.entries]\nAcme = "Acme"\n', "'Acme' must list phrases"),
        ("[firms.entries]\nAcme = [1, 2]\n", "'Acme' must list phrases"),
    ],
)
def test_mistakes_in_a_lexicon_fail_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _load(tmp_path, monkeypatch, words=body)


def test_a_lexicon_defined_in_two_files_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = '[crowds]\nentries = ["rally"]\n'
    with pytest.raises(ValueError, match="'crowds' is defined twice"):
        _load(tmp_path, monkeypatch, first=body, second=body)


def test_a_match_of_a_lexicon_holds_one_of_its_first_words() -> None:
    """Rules rule a text out by `first_words()` before searching for a lexicon's pattern: every
    phrase of every lexicon, in capitals and with its spaces widened, is a match that holds one
    of the lexicon's first words once the text is folded (Analysis.holds_any)."""
    assert "carried" in lexicon("fieldwork_words").first_words()  # "carried out"
    for name, found in all_lexicons().items():
        pattern = re.compile(found.pattern(ignore_case=True))
        first_words = found.first_words()
        for phrase in found.labels:
            written = "  \n ".join(phrase.split())
            written = written.upper() if written.isascii() else written
            assert pattern.fullmatch(written), (name, phrase)
            assert any(word in folded(written) for word in first_words), (name, phrase)
