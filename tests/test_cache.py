"""The results cache and the worker processes: a run that uses them reports
exactly what a ``--no-cache`` serial run reports, whatever changed in between."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Exploit, genvault, resign, write_vault
from vaultlint import cache as cache_module
from vaultlint import pipeline
from vaultlint.cache import CACHE_DIR
from vaultlint.cli import main

GUIDE = {"Guide.md": "# Guide\n## Setup\n", "Links to guide.md": "[[Guide#Setup]]\n"}
PAST = 1_600_000_000  # file times well before any run: their stat can be trusted


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return genvault(tmp_path_factory.mktemp("gen") / "vault", 300, seed=7)


@pytest.fixture
def vault(generated: Path, tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(generated, target)
    _age(target)
    return target


def _age(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file() and CACHE_DIR not in path.parts:
            os.utime(path, (PAST, PAST))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def findings(capsys: pytest.CaptureFixture[str], vault: Path, *extra: str) -> list[object]:
    code, out, _ = run(capsys, "check", str(vault), "--output-format", "json", *extra)
    assert code in (0, 1)
    result: list[object] = json.loads(out)
    return result


def parsed(capsys: pytest.CaptureFixture[str], vault: Path, *extra: str) -> int:
    """How many notes a cached run parsed (from its ``-v`` line)."""
    _, _, err = run(capsys, "check", str(vault), "-v", "-q", "--output-format", "json", *extra)
    line = next(line for line in err.splitlines() if "notes checked" in line)
    return int(line.split(", ")[1].split()[0])


def same_as_uncached(capsys: pytest.CaptureFixture[str], vault: Path) -> None:
    assert findings(capsys, vault) == findings(capsys, vault, "--no-cache", "-j", "1")


def test_a_warm_run_parses_nothing_and_reports_the_same(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    cold = findings(capsys, vault)
    assert (vault / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    assert parsed(capsys, vault) == 0
    assert findings(capsys, vault) == cold
    assert len(cold) > 100


def _edit(vault: Path) -> None:
    note = sorted((vault / "Books").rglob("*.md"))[3]
    note.write_text(note.read_text(encoding="utf-8") + "\nNew line [[Nowhere]] \n", "utf-8")


def _rename_heading_others_link_to(vault: Path) -> None:
    guide = vault / "Guide.md"
    guide.write_text("# Guide\n## Renamed\n", encoding="utf-8")


def _rename(vault: Path) -> None:
    books = sorted((vault / "Books").rglob("*.md"))
    books[5].rename(books[5].with_name("Renamed book.md"))


def _delete(vault: Path) -> None:
    (vault / "Books index.md").unlink()


def _add_missing_target(vault: Path) -> None:
    (vault / "Books indx.md").write_text("# Typo target\n", encoding="utf-8")


def _config(vault: Path) -> None:
    (vault / ".vaultlint.yaml").write_text("rules:\n  heading-emphasis: off\n", "utf-8")


def _schema(vault: Path) -> None:
    schema = (
        "name: book\nmatch:\n  folders: [Books]\n"
        "fields:\n  Author: {required: true}\n"
        "sections:\n  Quotes: {required: true}\n"
    )
    write_vault(vault, {".vaultlint/schemas/book.yaml": schema})
    (vault / ".vaultlint.yaml").write_text(
        "schemas: ['.vaultlint/schemas/*.yaml']\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    "change",
    [_edit, _rename_heading_others_link_to, _rename, _delete, _add_missing_target, _config],
)
def test_after_a_change_cached_findings_equal_a_no_cache_run(
    capsys: pytest.CaptureFixture[str], vault: Path, change: Callable[[Path], None]
) -> None:
    write_vault(vault, GUIDE)
    _age(vault)
    findings(capsys, vault)
    change(vault)
    same_as_uncached(capsys, vault)


def test_a_schema_file_edit_invalidates_the_cache(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    _schema(vault)
    findings(capsys, vault)
    schema = vault / ".vaultlint/schemas/book.yaml"
    schema.write_text(schema.read_text().replace("Quotes", "Summary"), encoding="utf-8")
    same_as_uncached(capsys, vault)


def test_an_edit_reparses_the_note_and_those_linking_to_its_headings_only(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    write_vault(vault, GUIDE)
    _age(vault)
    findings(capsys, vault)
    _rename_heading_others_link_to(vault)
    assert parsed(capsys, vault) == 2
    messages = [f["message"] for f in findings(capsys, vault)]  # type: ignore[index]
    assert any("heading not found" in m and "Setup" in m for m in messages)


def test_a_new_file_rechecks_the_notes_with_links(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    write_vault(vault, {"No links.md": "# Plain\n\nNothing else.\n"})
    _age(vault)
    findings(capsys, vault)
    _add_missing_target(vault)
    count = parsed(capsys, vault)
    notes = len(list(vault.rglob("*.md")))
    assert 0 < count < notes  # the new note and those with links; not "No links.md"


def test_touching_a_file_without_changing_it_keeps_its_entry(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    findings(capsys, vault)
    for path in list(vault.rglob("*.md"))[:20]:
        os.utime(path)
    assert parsed(capsys, vault) == 0


def test_same_size_and_time_but_new_content_is_seen_when_the_stat_was_racy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Files written just before the run: their stat is not trusted next time.
    write_vault(tmp_path, {"a.md": "fine text\n", "b.md": "other\n"})
    findings(capsys, tmp_path)
    note = tmp_path / "a.md"
    before = note.stat()
    note.write_text("fine tex \n", encoding="utf-8")  # same size
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert [f["code"] for f in findings(capsys, tmp_path)] == ["TX03"]  # type: ignore[index]


def test_a_fix_run_leaves_a_cache_that_matches_the_fixed_notes(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    findings(capsys, vault)
    code, _, _ = run(capsys, "check", str(vault), "--fix", "-q")
    assert code == 1
    same_as_uncached(capsys, vault)
    assert parsed(capsys, vault) == 0


def test_a_corrupt_cache_is_ignored_and_rebuilt(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    expected = findings(capsys, vault)
    files = list((vault / CACHE_DIR).rglob("*.pickle"))
    assert len(files) == 1
    for garbage in (b"", b"not a pickle", pickle.dumps({"a.md": ("x",)}), pickle.dumps([1])):
        files[0].write_bytes(garbage)
        assert findings(capsys, vault) == expected
    assert parsed(capsys, vault) == 0  # rebuilt by the last run


def test_a_cache_that_would_run_code_is_not_loaded(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    expected = findings(capsys, vault)
    marker = tmp_path / "pwned"

    (file,) = (vault / CACHE_DIR).rglob("*.pickle")
    file.write_bytes(pickle.dumps({"Books index.md": Exploit(marker)}))
    assert findings(capsys, vault) == expected
    assert not marker.exists()


def test_no_cache_writes_nothing_and_cache_dir_moves_it(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    findings(capsys, vault, "--no-cache")
    assert not (vault / CACHE_DIR).exists()
    elsewhere = tmp_path / "elsewhere"
    findings(capsys, vault, "--cache-dir", str(elsewhere))
    assert not (vault / CACHE_DIR).exists() and list(elsewhere.rglob("*.pickle"))
    assert parsed(capsys, vault, "--cache-dir", str(elsewhere)) == 0


def test_clean_removes_the_cache_and_refuses_other_folders(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    findings(capsys, vault)
    code, out, _ = run(capsys, "clean", str(vault))
    assert code == 0 and out.startswith("Removed") and not (vault / CACHE_DIR).exists()
    code, out, _ = run(capsys, "clean", str(vault))
    assert code == 0 and out.startswith("No cache")
    precious = tmp_path / "precious"
    write_vault(precious, {"keep.md": "mine\n"})
    code, _, err = run(capsys, "clean", str(vault), "--cache-dir", str(precious))
    assert code == 2 and "not a vaultlint cache" in err and (precious / "keep.md").exists()


def test_an_unwritable_cache_folder_is_not_an_error(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    expected = findings(capsys, vault, "--no-cache")
    assert findings(capsys, vault, "--cache-dir", str(blocker / "cache")) == expected


def test_few_named_notes_in_a_large_vault_skip_the_cache(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    findings(capsys, vault)
    shutil.rmtree(vault / CACHE_DIR)
    note = sorted((vault / "Books").rglob("*.md"))[0]
    run(capsys, "check", str(note))
    assert not (vault / CACHE_DIR).exists()


@pytest.mark.parametrize("extra", [(), ("--select", "LK,SC"), ("--ignore-suppressions",)])
def test_worker_processes_find_exactly_what_one_process_finds(
    capsys: pytest.CaptureFixture[str],
    vault: Path,
    monkeypatch: pytest.MonkeyPatch,
    extra: tuple[str, ...],
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10)
    serial = findings(capsys, vault, "--no-cache", "-j", "1", *extra)
    assert findings(capsys, vault, "--no-cache", "-j", "2", *extra) == serial
    assert findings(capsys, vault, "-j", "3", *extra) == serial  # and the cache they fill
    assert findings(capsys, vault, "-j", "1", *extra) == serial


def test_a_parallel_run_counts_every_note_it_parsed(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10)
    notes = len(list(vault.rglob("*.md")))
    assert parsed(capsys, vault, "--no-cache", "-j", "2") == notes


@pytest.mark.parametrize("first", ["full", "concise", "json"])
def test_text_output_from_the_cache_equals_an_uncached_run(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """Each entry keeps its findings' text in the format of the run that stored it;
    a run in another format (or with colour) renders them again."""

    def text(fmt: str, *extra: str) -> str:
        code, out, _ = run(capsys, "check", str(vault), "--output-format", fmt, *extra)
        assert code == 1
        return out

    expected = {fmt: text(fmt, "--no-cache") for fmt in ("full", "concise")}
    monkeypatch.setenv("FORCE_COLOR", "1")
    expected["color"] = text("full", "--no-cache")
    assert expected["color"] != expected["full"]
    monkeypatch.delenv("FORCE_COLOR")
    text(first)  # fills the cache
    for _ in range(2):
        assert text("full") == expected["full"]
        assert text("concise") == expected["concise"]
        monkeypatch.setenv("FORCE_COLOR", "1")
        assert text("full") == expected["color"]
        monkeypatch.delenv("FORCE_COLOR")
    assert parsed(capsys, vault) == 0


def test_a_warm_run_prints_each_recent_format_from_its_kept_text(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run in a format with no kept texts renders the findings once and keeps their
    text: the next runs in the formats used last render nothing (a render from the
    packed findings here fails, and the note is parsed again)."""

    def text(fmt: str) -> str:
        code, out, _ = run(capsys, "check", str(vault), "--output-format", fmt)
        assert code == 1
        return out

    formats = ("full", "github", "concise", "sarif", "json")
    expected = {fmt: text(fmt) for fmt in formats}
    kept = list((vault / CACHE_DIR).rglob("*.texts"))
    assert len(kept) == cache_module.TEXT_FILES

    def no_render(path: str, rows: bytes) -> object:
        raise AssertionError(f"{path} rendered again")

    monkeypatch.setattr(pipeline, "display_findings", no_render)
    for fmt in formats[-cache_module.TEXT_FILES :]:
        assert text(fmt) == expected[fmt]
        assert parsed(capsys, vault) == 0
    monkeypatch.undo()
    assert text("full") == expected["full"]  # rendered again: the oldest was dropped
    assert sorted((vault / CACHE_DIR).rglob("*.texts")) != sorted(kept)


@pytest.mark.parametrize("strict", [False, True])
def test_junit_from_the_kept_texts_equals_an_uncached_run(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch, strict: bool
) -> None:
    """Each note's test case is kept as the other formats' texts are (strict or not:
    a strict run's cases fail on warnings); the cases of notes without findings are
    written from their paths."""

    def suite(*extra: str) -> str:
        flags = ("--strict",) if strict else ()
        _, out, _ = run(capsys, "check", str(vault), "--output-format", "junit", *flags, *extra)
        return re.sub(r'timestamp="[^"]*"', "", out)

    write_vault(vault, {"Clean.md": "# Clean\n\nNothing to report.\n"})
    expected = suite("--no-cache", "-j", "1")
    assert 'name="Clean.md"' in expected and "<failure" in expected
    assert suite() == expected  # fills the cache
    # Rendering again, or unpacking the findings, would fail
    monkeypatch.setattr(pipeline, "display_findings", None)
    monkeypatch.setattr(cache_module, "unpack_findings", None)
    assert suite() == expected
    flags = ("--strict",) if strict else ()
    assert parsed(capsys, vault, "--output-format", "junit", *flags) == 0


def test_an_unchanged_note_with_a_new_stat_is_read_once(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy or a checkout gives every note a new ctime: the first run after it reads
    the notes to hash them and keeps their new stat, so the next reads none."""
    findings(capsys, vault)
    for path in vault.rglob("*.md"):
        os.utime(path, (PAST, PAST))  # the same times, a new ctime
    hashed: list[str] = []
    real = cache_module._hash_file

    def counted(full: str, max_bytes: int) -> bytes | None:
        hashed.append(full)
        return real(full, max_bytes)

    monkeypatch.setattr(cache_module, "_hash_file", counted)
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # as if the copy were older
    assert parsed(capsys, vault) == 0
    assert len(hashed) >= len(list(vault.rglob("*.md")))
    hashed.clear()
    assert parsed(capsys, vault) == 0
    assert hashed == []


def test_only_a_new_empty_or_own_folder_becomes_the_cache(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    """``check --cache-dir .`` then ``clean --cache-dir .`` once deleted the vault:
    a folder that holds other files is never marked (git would ignore its notes)."""
    before = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*"))
    for folder in (vault, vault / "Books"):
        code, _, err = run(capsys, "check", str(vault), "--cache-dir", str(folder))
        assert code == 2 and err == (
            f"vaultlint: error: {folder}: not a vaultlint cache (it holds other files); "
            "give --cache-dir a new or empty folder\n"
        )
        code, _, err = run(capsys, "clean", str(vault), "--cache-dir", str(folder))
        assert code == 2 and "not a vaultlint cache" in err
    assert sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*")) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "check", str(vault), "--cache-dir", str(empty))[0] == 1
    assert (empty / ".gitignore").read_text(encoding="utf-8").startswith("# Created by vaultlint.")
    assert run(capsys, "check", str(vault), "--cache-dir", str(empty))[0] == 1  # its own: reused
    assert run(capsys, "clean", str(vault), "--cache-dir", str(empty))[0] == 0
    assert not empty.exists()


def _payload(vault: Path) -> tuple[Path, dict[str, tuple[object, ...]], bytes]:
    (file,) = (vault / CACHE_DIR).rglob("*.pickle")
    rows, facts = pickle.loads(file.read_bytes()[32:])
    return file, rows, facts


def test_a_cache_from_another_machine_is_not_trusted(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request that force-adds a cache whose entries say a broken note is clean:
    the hashes match the notes, but the file is not signed with this machine's key."""
    expected = findings(capsys, vault)
    file, rows, facts = _payload(vault)
    broken = next(p for p, row in rows.items() if b"LK01" in row[2])
    row = list(rows[broken])
    row[2], row[3], row[4] = pickle.dumps([]), (0, 0, 0, 0, 0), b""
    rows[broken] = tuple(row)
    file.write_bytes(b"\0" * 32 + pickle.dumps((rows, facts)))  # any signature but ours
    assert findings(capsys, vault) == expected
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))
    assert parsed(capsys, vault) == len(list(vault.rglob("*.md")))  # not ours: parsed again


def test_signed_entries_are_still_checked_field_by_field(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    """Even with this machine's key, a dependency must be a file of the vault (one on
    /dev/zero read until memory ran out, a FIFO hung the run) and fields their type."""
    expected = findings(capsys, vault)
    fifo = vault / "Books" / "pipe.md"
    os.mkfifo(fifo)
    file, rows, facts = _payload(vault)
    for n, path in enumerate(sorted(rows)):
        row = list(rows[path])
        if n % 3 == 0:
            row[8] = (("/dev/zero", b"x" * 16), ("Books/pipe.md", b"y" * 16))
        elif n % 3 == 1:
            row[8] = ((42, b"z"),)
        rows[path] = tuple(row)
    resign(file, pickle.dumps((rows, facts)))
    started = time.monotonic()
    assert findings(capsys, vault) == expected
    assert time.monotonic() - started < 60


def test_an_in_place_edit_that_puts_the_mtime_back_is_seen(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    """rsync -t --inplace, cp -p and touch -r restore size and mtime; not the ctime."""
    findings(capsys, vault)
    note = vault / "Books index.md"
    text = note.read_text(encoding="utf-8")
    edited = text.replace("[[", "[[Nowhere ", 1)
    edited = edited[: len(text)] if len(edited) > len(text) else edited.ljust(len(text))
    info = note.stat()
    with open(note, "r+b") as handle:  # in place: same inode, same size
        handle.write(edited.encode("utf-8")[: info.st_size])
    os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert note.stat().st_size == info.st_size and note.stat().st_mtime_ns == info.st_mtime_ns
    same_as_uncached(capsys, vault)


def test_a_signed_cache_that_would_run_code_is_not_loaded(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    expected = findings(capsys, vault)
    marker = tmp_path / "pwned"

    file, _, _ = _payload(vault)
    resign(file, pickle.dumps(({"Books index.md": Exploit(marker)}, b"")))
    assert findings(capsys, vault) == expected
    assert not marker.exists()


VAULT_RULES = ("--extend-select", "unused-attachment,tag-case")
HYGIENE = {
    "Note.md": "# Note\n#Project text\n",
    "Other.md": "# Other\n#project too\n![[used.png]]\n",
    "Stub.md": "",
    "used.png": "png",
    "unused.png": "png",
}


def _vault_rules(capsys: pytest.CaptureFixture[str], vault: Path) -> list[tuple[str, str]]:
    rules = ("unused-attachment", "empty-note", "tag-case")
    found = findings(capsys, vault, *VAULT_RULES)
    return sorted((f["rule"], f["path"]) for f in found if f["rule"] in rules)  # type: ignore[index]


def test_vault_wide_findings_from_the_cache_follow_every_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vault = write_vault(tmp_path / "vault", HYGIENE)
    _age(vault)

    def same_as_uncached() -> list[tuple[str, str]]:
        warm = _vault_rules(capsys, vault)
        assert warm == _vault_rules(capsys, vault)  # the second run takes them from the cache
        cold = findings(capsys, vault, "--no-cache")
        assert findings(capsys, vault) == cold
        return warm

    assert ("unused-attachment", "unused.png") in same_as_uncached()
    (vault / "Note.md").write_text("# Note\n#Project text\n![[unused.png]]\n", encoding="utf-8")
    assert ("unused-attachment", "unused.png") not in same_as_uncached()
    (vault / "new.png").write_text("png", encoding="utf-8")
    assert ("unused-attachment", "new.png") in same_as_uncached()
    (vault / "Other.md").write_text("# Other\n#Project too\n![[used.png]]\n", encoding="utf-8")
    assert not [rule for rule, _ in same_as_uncached() if rule == "tag-case"]
    (vault / "Stub.md").write_text("# Stub\nNow a note with text.\n", encoding="utf-8")
    assert ("empty-note", "Stub.md") not in same_as_uncached()


def test_a_warm_run_of_an_unchanged_vault_runs_no_vault_wide_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultlint.engine import Engine

    vault = write_vault(tmp_path / "vault", HYGIENE)
    _age(vault)
    first = findings(capsys, vault, *VAULT_RULES)

    def fail(*_: object) -> None:
        raise AssertionError("the vault-wide rules ran again")

    monkeypatch.setattr(Engine, "vault_findings", fail)
    assert findings(capsys, vault, *VAULT_RULES) == first


def test_forged_vault_wide_findings_are_not_trusted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vault = write_vault(tmp_path / "vault", HYGIENE)
    _age(vault)
    first = findings(capsys, vault, *VAULT_RULES)
    (stored,) = (vault / CACHE_DIR).rglob("*.vault")
    key, rows = pickle.loads(stored.read_bytes()[32:])
    stored.write_bytes(stored.read_bytes()[:32] + pickle.dumps((key, [*rows, (1, rows[0][1])])))
    assert findings(capsys, vault, *VAULT_RULES) == first  # not signed: ignored
    resign(stored, pickle.dumps((key, [(1, row) for _, row in rows])))
    assert findings(capsys, vault, *VAULT_RULES) == first  # signed, but a path that is not a string
