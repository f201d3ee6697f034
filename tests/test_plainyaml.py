"""The frontmatter loader: PyYAML's C loader must read exactly what ruamel.yaml reads.

ruamel.yaml's safe loader is the reference for the data and for every error;
the fast loader only saves time.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from vaultlint import plainyaml
from vaultlint.plainyaml import load_plain

REFERENCE = YAML(typ="safe")


def _outcome(load: Any, raw: str) -> tuple[str, str]:
    try:
        return ("data", repr(load(raw)))
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}")


def assert_same_as_ruamel(raw: str) -> None:
    assert _outcome(load_plain, raw) == _outcome(REFERENCE.load, raw), raw


@pytest.mark.parametrize(
    "raw",
    [
        "title: Hello\ntags:\n  - book\nrating: 5\n",
        "a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\n",  # YAML 1.2 booleans
        "a: 017\nb: 1:30\nc: 1_000\nd: 0x1F\ne: -3\nf: 0\n",  # YAML 1.1 numbers
        "a: 1.5\nb: 1e3\nc: .inf\nd: 1.0e+3\ne: -.5\nf: '1e3'\n",
        "d: 2024-01-02\nt: 2024-01-02 10:00:00\n",
        "a: &x [1, 2]\nb: *x\n",
        "base: &b {x: 1}\nmore:\n  <<: *b\n  y: 2\n",  # merge key
        "a: 1\na: 2\n",  # duplicate key: ruamel.yaml's error
        "a: !!python/object:os.system x\n",
        "a: [unclosed\n",
        "author: ''\nx: null\ny: ~\nz:\n",
        "- 1\n- 2\n",
        "text: |\n  two\n  lines\nfolded: >\n  one\n  line\n",
        "{!,}",
        "%YAML 1.1\n---\na: yes\n",
        "Author: [[Some Person]]\n",
        'q: "tab\\there é 📘"\n',
    ],
)
def test_reads_what_ruamel_reads(raw: str) -> None:
    assert_same_as_ruamel(raw)


def test_ordinary_frontmatter_does_not_reach_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Any:
        raise AssertionError("ruamel.yaml asked")

    monkeypatch.setattr(plainyaml, "_ruamel_loader", refuse)
    data = load_plain("title: Hello\ntags: [book, read]\nrating: 4.5\n")
    assert data == {"title": "Hello", "tags": ["book", "read"], "rating": 4.5}


_LINE_STARTS = ["", "  ", "    ", "- ", "  - ", "k: ", "k2: ", "? ", "<<: ", "k3: *a", "k: &a "]
_LINE_STARTS += ["k: |\n  ", "k: >\n  ", 'k: "', "k: '", "k: [", "k: {"]
_CHARS = "ab1:- #'\"[]{},&*!|>~.0e+\t%@`?\\xé📘"


@settings(
    derandomize=True,
    max_examples=3000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    st.lists(
        st.tuples(st.sampled_from(_LINE_STARTS), st.text(alphabet=_CHARS, max_size=14)),
        max_size=5,
    )
)
def test_any_frontmatter_reads_as_ruamel_reads_it(lines: list[tuple[str, str]]) -> None:
    assert_same_as_ruamel("\n".join(start + rest for start, rest in lines))
