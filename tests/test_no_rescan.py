"""No extraction rule scans the whole document text: the Analysis finds what lies in the whole
text once, and rules read it, or look at a bounded span (`pattern.search(doc.norm, start, end)`,
`doc.norm[start:end]`).

The check reads each rule module's syntax tree: a regex call (`search`, `findall`, ...) or a
`str` search (`in`, `find`, `count`, ...) whose text is the document's text (`doc.norm`,
`doc.text`, `self.doc.text`, or a local name bound to one of them) and that gives no bounds, or
any call handed the whole text with nothing but strings (`names_in(doc.text)`,
`occurrences(doc.folded, "asked")`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import strikewatch.extract

EXTRACT_DIR = Path(strikewatch.extract.__file__).resolve().parent
# The modules that build the analysis and its scanners, which do read the whole text once.
NOT_RULES = {"__init__.py", "analysis.py", "dates.py", "numbers.py", "scanning.py", "spans.py"}
RULE_MODULES = sorted(path for path in EXTRACT_DIR.glob("*.py") if path.name not in NOT_RULES)
WHOLE_TEXTS = {"norm", "text", "folded"}  # attributes of the Analysis that hold its whole text
NOT_SCANS = {"len"}  # calls that take the whole text but do not read it
STRING_SCANS = {"find", "rfind", "index", "rindex", "count", "split", "splitlines", "lower"}


def _is_doc_text(node: ast.expr, aliases: set[str]) -> bool:
    """Whether an expression is the document's whole text: `<x>.doc.norm`, `doc.text`, or a
    name bound to one."""
    if isinstance(node, ast.Name):
        return node.id in aliases
    if not (isinstance(node, ast.Attribute) and node.attr in WHOLE_TEXTS):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "doc") or (
        isinstance(owner, ast.Attribute) and owner.attr == "doc"
    )


def _aliases(function: ast.AST) -> set[str]:
    """Names a function binds to the document's text (`text = doc.norm`, `self.text = ...`)."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _is_doc_text(node.value, set()):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.add(target.id)
    return names


def whole_text_scans(source: str) -> list[tuple[int, str]]:
    """(line, code) of each unbounded scan of the document's text in a module's source."""
    tree = ast.parse(source)
    found = []
    scopes = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.Lambda)]
    for scope in scopes:
        aliases = _aliases(scope)
        for node in ast.walk(scope):
            if isinstance(node, ast.Call):
                args, receiver = node.args, getattr(node.func, "value", None)
                method = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                handed_the_text = (  # PATTERN.search(doc.norm), occurrences(doc.text, "x")
                    method not in NOT_SCANS
                    and not node.keywords
                    and any(_is_doc_text(arg, aliases) for arg in args)
                    and all(
                        _is_doc_text(arg, aliases)
                        or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
                        for arg in args
                    )
                )
                module_regex_on_text = (  # re.search(pattern, doc.norm)
                    isinstance(receiver, ast.Name)
                    and receiver.id == "re"
                    and len(args) >= 2
                    and _is_doc_text(args[1], aliases)
                )
                string_scan = (  # doc.norm.count("x")
                    method in STRING_SCANS
                    and len(args) <= 1
                    and receiver is not None
                    and _is_doc_text(receiver, aliases)
                )
                if handed_the_text or module_regex_on_text or string_scan:
                    found.append((node.lineno, ast.unparse(node)))
            elif isinstance(node, ast.Compare) and any(
                isinstance(op, ast.In | ast.NotIn) and _is_doc_text(right, aliases)
                for op, right in zip(node.ops, node.comparators, strict=True)
            ):
                found.append((node.lineno, ast.unparse(node)))
    return sorted(set(found))


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda path: path.name)
def test_no_rule_scans_the_whole_text(module: Path) -> None:
    scans = whole_text_scans(module.read_text(encoding="utf-8"))
    assert scans == [], f"{module.name} scans the whole text; read the Analysis instead: {scans}"


@pytest.mark.parametrize(
    "code",
    [
        "def f(doc):\n    return PATTERN.search(doc.norm)",
        "def f(doc):\n    return [int(y) for y in YEAR.findall(doc.norm)]",
        "def f(self):\n    return X.finditer(self.doc.text)",
        "def f(self):\n    self.people = names_in(self.doc.text)",
        "def f(doc):\n    return list(occurrences(doc.folded, 'asked'))",
        "def f(doc):\n    text = doc.text\n    return PATTERN.finditer(text)",
        "def f(doc):\n    return re.search(r'national', doc.norm)",
        "def f(doc):\n    return 'Quote Message' not in doc.text",
        "def f(doc):\n    return doc.norm.count('strike')",
    ],
)
def test_the_check_finds_a_whole_text_scan(code: str) -> None:
    assert whole_text_scans(code)


@pytest.mark.parametrize(
    "code",
    [
        "def f(doc, s):\n    return PATTERN.search(doc.norm, s.start, s.end)",
        "def f(doc, s):\n    return PATTERN.match(doc.norm[s.start : s.end])",
        "def f(doc, s):\n    text = doc.norm\n    return PATTERN.finditer(text, s.start, s.end)",
        "def f(doc, s):\n    return doc.norm.find('(', s.start, s.end)",
        "def f(doc):\n    return doc.terms['national_scope']",
        "def f(phrase):\n    return PATTERN.search(phrase)",
        "def f(doc):\n    return len(doc.norm)",
    ],
)
def test_the_check_lets_a_bounded_scan_be(code: str) -> None:
    assert whole_text_scans(code) == []
