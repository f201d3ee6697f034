"""The HTML report as a new user meets it, read back with an HTML parser: every note
name opens the note (in Obsidian, and as a file beside it), every list is complete
with its rest folded in a ``<details>``, every note with findings has its entry,
and the page stays one self-contained file. The Markdown summary has the same
sections and stays under GitHub's 1 MiB limit."""

from __future__ import annotations

import re
import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import genvault, write_vault
from test_report import FILES, git, report_json
from vaultlint.cli import main
from vaultlint.commands import report as report_command
from vaultlint.report import html_format

# Orphans with names from real vaults: scripts without spaces, emoji, accents, '&'.
ORPHANS = [
    "Inbox/ការប្រជុំប្រចាំសប្តាហ៍.md",
    "Inbox/บันทึกการประชุมประจำสัปดาห์ของทีมพัฒนาผลิตภัณฑ์.md",
    "Inbox/یادداشت جلسه.md",
    "Inbox/読書メモ：吾輩は猫である.md",
    "Inbox/会议记录 2024-03-01.md",
    "Inbox/Café & crème 🍰.md",
    "Inbox/Q&A with 100% <answers>.md",
    *(f"Daily/2024-03-{day:02}.md" for day in range(1, 20)),
]


class Page(HTMLParser):
    """Links, ids and the ``<details>`` each piece of text is folded in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, bool]] = []  # href, text, folded
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.metas: list[dict[str, str | None]] = []
        self._open = 0
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "details":
            self._open += 1
        if tag == "meta":
            self.metas.append(found)
        if tag == "a":
            self._href, self._text = found.get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self._open -= 1
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text), self._open > 0))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def vault_with_orphans(tmp_path: Path) -> Path:
    files = {**FILES, **{name: f"A note of its own: {name}\n" for name in ORPHANS}}
    files["Inbox/読書メモ：吾輩は猫である.md"] = "Some text \n[[Never written]]\n"  # findings
    return write_vault(tmp_path / "My vault", files)


def test_every_note_is_linked_and_every_list_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = vault_with_orphans(tmp_path)
    git(vault, "init", "-q")
    git(vault, "add", "-A")
    git(vault, "commit", "-q", "-m", "first")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=vault, capture_output=True, text=True, check=True
    ).stdout.strip()
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    assert main(["report", str(vault), "--format", "html", "--top", "5", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    # the header: vault, date, commit, version
    assert "<h1>vaultlint report: My vault</h1>" in html
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", html)
    assert f'title="{head}"' in html and head[:12] in html and "vaultlint 0." in html
    # every orphan listed, the first five shown and the rest folded; nothing "not shown"
    part = parse(html.split("<h3>Orphans</h3>")[1].split("<h3>")[0])
    orphans = [(h, t, folded) for h, t, folded in part.links if t != "file"]
    expected = report_json(capsys, str(vault))["links"]["orphans"]
    assert set(ORPHANS) <= set(expected)
    assert [t for _, t, _ in orphans] == expected, [t for _, t, _ in orphans]
    assert [folded for _, t, folded in orphans if t == expected[0]] == [False]
    assert [folded for _, t, folded in orphans if t == expected[-1]] == [True]
    assert "not shown" not in html and "not listed" not in html
    # a note name opens the note in Obsidian, and the file beside it from the report's folder
    opened = {}
    for href, label, _ in page.links:
        if href.startswith("obsidian://"):
            query = parse_qs(urlsplit(href).query)
            assert query["vault"] == ["My vault"]
            opened[label] = query["file"][0]
        elif label == "file":
            assert (out.parent / unquote(href)).is_file(), href
    assert opened["Inbox/Q&A with 100% <answers>.md"] == "Inbox/Q&A with 100% <answers>.md"
    assert set(ORPHANS[:3]) <= set(opened)
    # a link to a note's entry leads to it, and the entry holds each of its rules
    anchors = [h[1:] for h, _, _ in page.links if h.startswith("#")]
    assert anchors and set(anchors) <= page.ids
    entry = html.split("読書メモ：吾輩は猫である.md</a>")[-1].split("<dt")[0]
    assert "LK01" in entry and "TX03" in entry and "Never written" in entry
    # self-contained: no script, the policy forbids everything but inline style and data
    assert "script" not in page.tags and "<script" not in html.lower()
    (policy,) = [m["content"] for m in page.metas if m.get("http-equiv")]
    assert policy == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert not re.search(r'\b(src|href)="(https?:|//)', html)


def test_properties_and_tags_are_complete_and_folded(tmp_path: Path) -> None:
    tags = ["#leer", "#読書", "#อ่าน", "#كتاب", "#projet/été", "#2024-review", "#inbox"]
    files = {f"Notes/Note {n}.md": f"text {tag}\n" for n, tag in enumerate(tags)}
    files["Notes/Props.md"] = "---\nrating: 4\nstatus: draft\n---\ntext #Leer\n"
    vault = write_vault(tmp_path / "v", files)
    out = tmp_path / "report.html"
    assert main(["report", str(vault), "--format", "html", "--top", "2", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    section = html.split('<h2 id="properties">')[1].split("<h2")[0]
    for tag in [*tags, "#Leer"]:
        assert f"<td>{tag}<" in section, tag
    folded = section.split("<h3>Tags in use</h3>")[1].split("<details")[1]
    assert "<td>#inbox<" in folded and "more rows" in folded
    assert '<a href="#properties">' in html


def test_markdown_summary_has_the_sections_and_stays_under_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = genvault(tmp_path / "gen", 600, seed=3, hygiene=True)
    sections = [
        "### Completeness",
        "### Links",
        "**Orphans**",
        "**Dead ends**",
        "### Vault hygiene",
        "**Unused attachments** (the largest first)",
        "**Empty notes**",
        "**Files sharing a name**",
        "### Properties and tags",
        "### Findings per rule",
    ]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    # every list whole: it fits
    assert main(["report", str(vault), "--format", "json", "--top", "100000"]) == 0
    capsys.readouterr()
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= report_command.SUMMARY_LIMIT
    assert all(s in text for s in sections), [s for s in sections if s not in text]
    assert "canvases and 1 base" in text and " findings: " in text
    assert "Lists are shortened" not in text
    # a smaller limit: the lists are cut, every section stays
    whole = len(text.encode("utf-8"))
    monkeypatch.setattr(report_command, "SUMMARY_LIMIT", whole // 3)
    summary.unlink()
    assert main(["report", str(vault), "--format", "json", "--top", "100000"]) == 0
    capsys.readouterr()
    cut = summary.read_text(encoding="utf-8")
    assert len(cut.encode("utf-8")) <= whole // 3
    assert all(s in cut for s in sections) and "Lists are shortened" in cut


def test_html_size_grows_linearly_with_the_vault(tmp_path: Path) -> None:
    """On the benchmark generator's vaults the page costs a bounded number of bytes per
    note, so that the 10,035-note benchmark vault stays under 5 MB (4.96 MB measured):
    about 480 bytes a note, at 200 notes as at 800."""
    sizes = {}
    for notes in (200, 800):
        vault = genvault(tmp_path / f"v{notes}", notes, seed=1)
        page = tmp_path / f"report{notes}.html"
        assert main(["report", str(vault), "--format", "html", "--no-cache", "-o", str(page)]) == 0
        html = page.read_text(encoding="utf-8")
        assert "more not shown" not in html
        checked = int(re.search(r"(\d+) notes checked", html)[1])  # type: ignore[index]
        sizes[checked] = page.stat().st_size
        assert sizes[checked] / checked < 520, (checked, sizes[checked])
    (small, a), (large, b) = sorted(sizes.items())
    per_note = (b - a) / (large - small)
    assert per_note < 490, per_note
    assert b + (10_035 - large) * per_note < 5_000_000


@given(st.text())
def test_fast_paths_agree_with_quote_and_escape(value: str) -> None:
    from vaultlint.printable import escape_matches, printable
    from vaultlint.report import html_format

    for v in (value, value.replace("\x00", " "), "Books/" + value[:8] + " 12.md"):
        quoted = quote(v.encode("utf-8", "surrogatepass"), safe="/")
        assert html_format.url_path(v) == quoted
        shown = escape_matches(re.compile("[\ud800-\udfff]"), printable(v))
        assert html_format.text(v) == escape(shown, quote=False).replace('"', "&quot;")


def test_hygiene_lists_and_severities_are_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = genvault(tmp_path / "gen", 150, seed=2, hygiene=True)
    data = report_json(capsys, str(vault), "--top", "100000")
    hygiene, rules = data["hygiene"], data["rules"]
    out = tmp_path / "report.html"
    assert main(["report", str(vault), "--format", "html", "--top", "2", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    section = html.split('<h2 id="hygiene">')[1].split("<h2")[0]
    listed = {label for _, label, _ in parse(section).links if label != "file"}
    unused = [f["path"] for f in hygiene["unused_attachments"]["files"]]
    groups = [path for group in hygiene["same_names"] for path in group]
    expected = {*unused, *hygiene["empty_notes"], *hygiene["stubs"], *groups}
    assert len(unused) > 2 and len(hygiene["empty_notes"]) > 2 and expected == listed
    assert section.count("more rows</summary>") >= 1 and "more</summary>" in section
    # the tiles add up to every finding, by severity
    tiles = dict(re.findall(r'<div class="(\w+)"><b>(\d+)</b>', html))
    assert set(tiles) == {"error", "warning", "info"}
    assert sum(map(int, tiles.values())) == sum(rules.values()) > 0


def test_a_warm_html_report_prints_each_notes_findings_from_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The groups and lists of each note's findings are kept with its cache entry: a warm
    page is the cold page, and neither groups nor renders a finding again. Messages that
    hold control and bidi characters, and a note that is not UTF-8, survive the trip."""
    vault = genvault(tmp_path / "vault", 60, seed=4)
    (vault / "Inbox").mkdir(exist_ok=True)
    (vault / "Inbox/Odd.md").write_bytes(b"# Odd \n\nSee [[Nowhere]] and caf\xe9.\n")
    (vault / "Inbox/Links.md").write_text(
        "# Links \r\n\r\n[[Missing \u202e one]] and [[Gone\x1b[2J]].\r\n", "utf-8"
    )

    def page(*args: str) -> str:
        assert main(["report", str(vault), "--format", "html", *args]) == 0
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", capsys.readouterr().out)

    cold = page("--no-cache")
    assert "0xe9" in cold and "Missing \\u202e one" in cold and "Gone\\x1b[2J" in cold
    assert page() == cold  # fills the cache
    assert main(["check", str(vault), "--output-format", "json"]) == 1  # another format
    capsys.readouterr()

    def never(*_: object) -> None:
        raise AssertionError("grouped again")

    monkeypatch.setattr(html_format, "group_findings", never)
    monkeypatch.setattr(html_format, "_group_line", never)
    assert page() == cold
