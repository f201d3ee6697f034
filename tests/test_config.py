"""Configuration: every key of .vaultlint.yaml, presets, overrides by path, Obsidian's
settings, the error messages, and `vaultlint config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import memory_index, write_vault
from vaultlint.cli import main
from vaultlint.config import (
    CONFIG_NAME,
    Config,
    ConfigError,
    default_settings,
    load_config,
    load_yaml_text,
    render_config,
)
from vaultlint.engine import Engine
from vaultlint.model import Finding, Severity

HEADING = "## 📗\n\nText.\n"  # emoji-heading (HD01), a warning by default
TRAILING = "Text.\t\n"  # trailing-whitespace (TX03)


def config_at(tmp_path: Path, yaml: str, files: dict[str, str] | None = None) -> Config:
    write_vault(tmp_path, {CONFIG_NAME: yaml, **(files or {})})
    return load_config(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_notes(config: Config, files: dict[str, str], **kwargs: object) -> list[Finding]:
    index = memory_index(files)
    engine = Engine(config, index, **kwargs)  # type: ignore[arg-type]
    found: list[Finding] = []
    for path in files:
        note = index.note(path)
        assert note is not None
        found += engine.check(note)
    return found


def rules_by_path(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.path, f.rule) for f in findings}


# --- keys --------------------------------------------------------------------------------


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.file is None
    assert config.rules == default_settings()
    assert config.exclude == [] and config.schemas == [] and config.overrides == []
    assert config.obsidian.skip_templates and config.obsidian.skip_excluded_files


def test_extends_default_changes_nothing(tmp_path: Path) -> None:
    config = config_at(tmp_path, "extends: default\n")
    assert config.rules == default_settings()
    assert config.presets == ["default"]


def test_extends_strict_raises_levels_and_turns_rules_on(tmp_path: Path) -> None:
    config = config_at(tmp_path, "extends: strict\n")
    assert config.presets == ["default", "strict"]
    assert config.rules["trailing-whitespace"].severity is Severity.ERROR
    assert config.rules["heading-increment"].severity is Severity.ERROR  # off by default
    assert config.rules["unused-suppression"].severity is Severity.ERROR


def test_own_rules_win_over_the_preset_rule_by_rule(tmp_path: Path) -> None:
    config = config_at(tmp_path, "extends: strict\nrules:\n  trailing-whitespace: info\n")
    assert config.rules["trailing-whitespace"].severity is Severity.INFO
    assert config.rules["mojibake"].severity is Severity.ERROR  # still from strict


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        ("off", None),
        ("false", None),
        ("error", Severity.ERROR),
        ("warning", Severity.WARNING),
        ("info", Severity.INFO),
        ("{severity: error}", Severity.ERROR),
        ("{severity: off}", None),
    ],
)
def test_rule_levels(tmp_path: Path, value: str, severity: Severity | None) -> None:
    config = config_at(tmp_path, f"rules:\n  heading-emphasis: {value}\n")
    assert config.rules["heading-emphasis"].severity is severity


def test_rule_by_code_and_options(tmp_path: Path) -> None:
    config = config_at(tmp_path, "rules:\n  VL03: {max-bytes: 1000}\n")
    setting = config.rules["file-too-large"]
    assert setting.options == {"max-bytes": 1000}
    assert setting.severity is Severity.WARNING  # options alone keep the level


def test_options_turn_an_off_rule_on_at_its_default_level(tmp_path: Path) -> None:
    config = config_at(tmp_path, "rules:\n  heading-increment: {}\n")
    assert config.rules["heading-increment"].severity is Severity.WARNING


def test_exclude_and_schemas_are_lists(tmp_path: Path) -> None:
    config = config_at(tmp_path, "exclude: [Templates/**, '*.tmp.md']\nschemas: [s/a.yaml]\n")
    assert config.exclude == ["Templates/**", "*.tmp.md"]
    assert config.schemas == ["s/a.yaml"]
    assert config.is_excluded("Templates/Book.md")
    assert config.is_excluded("Deep/x.tmp.md")
    assert not config.is_excluded("Books/Dune.md")
    assert config.exclusion("Templates/Book.md") == "matches `exclude`"


def test_exclude_only_chooses_what_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(
        tmp_path,
        {
            CONFIG_NAME: "exclude: [Drafts/]\n",
            "Drafts/Plan.md": "# Top\n" + TRAILING,
            "Index.md": "See [[Plan]] and [[Drafts/Plan#Top]].\n",
        },
    )
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise")
    assert code == 0, out  # the draft is not checked, and links to it resolve
    code, out, _ = run(capsys, "check", str(tmp_path / "Drafts/Plan.md"), "--force-exclude")
    assert code == 0
    code, out, _ = run(capsys, "check", str(tmp_path / "Drafts/Plan.md"), "--strict")
    assert code == 1 and "TX03" in out  # a path named explicitly is checked


def test_explicit_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"A.md": TRAILING, "conf/lint.yaml": "rules: {TX03: off}\n"})
    assert run(capsys, "check", str(tmp_path), "--strict")[0] == 1
    code, _, _ = run(capsys, "check", str(tmp_path), "--config", str(tmp_path / "conf/lint.yaml"))
    assert code == 0


def test_an_empty_file_is_the_defaults(tmp_path: Path) -> None:
    assert config_at(tmp_path, "# nothing yet\n").rules == default_settings()


# --- overrides by path -----------------------------------------------------------------


OVERRIDES = """\
rules:
  trailing-whitespace: error
overrides:
  - paths: [Daily/**]
    rules: {emoji-heading: off, trailing-whitespace: info}
  - paths: ["Daily/2024-*.md"]
    rules: {trailing-whitespace: off}
  - paths: [Reading/]
    rules: {heading-increment: warning}
"""


def test_overrides_apply_by_path_and_later_entries_win(tmp_path: Path) -> None:
    config = config_at(tmp_path, OVERRIDES)
    text = HEADING + TRAILING + "#### Deep\n"
    files = {
        "Note.md": text,
        "Daily/2023-12-31.md": text,
        "Daily/2024-01-01.md": text,
        "Reading/Dune.md": text,
    }
    findings = check_notes(config, files)
    got = {(f.path, f.rule): f.severity for f in findings}
    assert got[("Note.md", "emoji-heading")] is Severity.WARNING
    assert got[("Note.md", "trailing-whitespace")] is Severity.ERROR
    assert ("Note.md", "heading-increment") not in got
    assert ("Daily/2023-12-31.md", "emoji-heading") not in got
    assert got[("Daily/2023-12-31.md", "trailing-whitespace")] is Severity.INFO
    assert ("Daily/2024-01-01.md", "trailing-whitespace") not in got
    assert got[("Reading/Dune.md", "heading-increment")] is Severity.WARNING
    assert got[("Reading/Dune.md", "trailing-whitespace")] is Severity.ERROR


def test_override_options(tmp_path: Path) -> None:
    yaml = "overrides:\n  - paths: [Big/**]\n    rules: {file-too-large: {max-bytes: 5}}\n"
    config = config_at(tmp_path, yaml)
    assert config.settings_for_path("Big/a.md")["file-too-large"].options == {"max-bytes": 5}
    assert config.settings_for_path("a.md")["file-too-large"].options == {"max-bytes": 10485760}


def test_select_does_not_revive_a_rule_an_override_turned_off(tmp_path: Path) -> None:
    config = config_at(tmp_path, OVERRIDES)
    files = {"Note.md": HEADING, "Daily/x.md": HEADING}
    found = rules_by_path(check_notes(config, files, select=["HD01"]))
    assert found == {("Note.md", "emoji-heading")}


def test_ignore_wins_over_an_override(tmp_path: Path) -> None:
    config = config_at(tmp_path, OVERRIDES)
    files = {"Reading/a.md": "# A\n\n#### Deep\n"}
    found = rules_by_path(check_notes(config, files, ignore=["HD"]))
    assert found == set()


def test_overrides_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(
        tmp_path,
        {
            CONFIG_NAME: "overrides:\n  - paths: [Daily/**]\n    rules: {TX03: off}\n",
            "Daily/a.md": TRAILING,
            "b.md": TRAILING,
        },
    )
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise", "--strict")
    assert code == 1
    assert "b.md" in out and "Daily/a.md" not in out


# --- Obsidian's settings ----------------------------------------------------------------


def obsidian_vault(tmp_path: Path, files: dict[str, str], settings: dict[str, object]) -> Path:
    """A vault with ``settings``: Obsidian JSON files (path in .obsidian -> data)."""
    write_vault(tmp_path, files)
    for name, data in settings.items():
        path = tmp_path / ".obsidian" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_templates_folders_are_read(tmp_path: Path) -> None:
    obsidian_vault(
        tmp_path,
        {},
        {
            "templates.json": {"folder": "Meta/Templates/"},
            "plugins/templater-obsidian/data.json": {"templates_folder": " Tpl "},
        },
    )
    assert (tmp_path / ".obsidian/plugins/templater-obsidian/data.json").is_file()
    config = load_config(tmp_path)
    assert config.obsidian.templates_folders == ["Meta/Templates", "Tpl"]
    assert config.exclusion("Meta/Templates/Book.md") == (
        "in Obsidian's templates folder 'Meta/Templates'"
    )
    assert config.is_excluded("tpl/Daily.md")  # case-insensitive
    assert not config.is_excluded("Meta/Templates.md")
    assert not config.is_excluded("Tplx/a.md")


def test_templates_are_skipped_but_links_to_them_resolve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    obsidian_vault(
        tmp_path,
        {
            "Templates/Book.md": "`Author:` \n",
            "Home.md": "Start from [[Book]] or [[Templates/Book]].\n",
        },
        {"templates.json": {"folder": "Templates"}},
    )
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise")
    assert code == 0, out
    code, out, _ = run(capsys, "check", str(tmp_path / "Templates/Book.md"), "--force-exclude")
    assert code == 0, out


def test_skip_templates_false_checks_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    obsidian_vault(
        tmp_path,
        {"Templates/Book.md": TRAILING, CONFIG_NAME: "obsidian: {skip-templates: false}\n"},
        {"templates.json": {"folder": "Templates"}},
    )
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise", "--strict")
    assert code == 1 and "Templates/Book.md" in out


FILTERS = ["  Arch", "/draft/", "/^journal/\\d{4}/", "/(unclosed/", "", 3]


@pytest.mark.parametrize(
    ("path", "excluded_by"),
    [
        ("Archive/Old.md", "Arch"),
        ("archive2/x.md", "Arch"),  # a case-insensitive prefix, not a folder
        ("Architecture.md", "Arch"),
        ("Notes/Arch.md", None),
        ("Notes/My DRAFT.md", "/draft/"),  # a case-insensitive regex, searched anywhere
        ("Journal/2024-01-01.md", "/^journal/\\d{4}/"),
        ("Journal/Index.md", None),
        ("Books/Dune.md", None),
    ],
)
def test_user_ignore_filters(tmp_path: Path, path: str, excluded_by: str | None) -> None:
    obsidian_vault(
        tmp_path,
        {},
        {"app.json": {"userIgnoreFilters": FILTERS}},
    )
    config = load_config(tmp_path)
    found = config.obsidian.ignore_filter_for(path)
    assert (found.strip() if found else None) == excluded_by
    assert config.is_excluded(path) is (excluded_by is not None)


def test_excluded_files_setting_can_be_turned_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    obsidian_vault(
        tmp_path,
        {"Archive/Old.md": TRAILING, "Home.md": "See [[Old]].\n"},
        {"app.json": {"userIgnoreFilters": ["Archive/"]}},
    )
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise")
    assert code == 0, out  # not checked, and [[Old]] still resolves
    (tmp_path / CONFIG_NAME).write_text("obsidian: {skip-excluded-files: false}\n")
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise", "--strict")
    assert code == 1 and "Archive/Old.md" in out and "LK01" not in out


def test_malformed_obsidian_files_are_ignored(tmp_path: Path) -> None:
    write_vault(tmp_path, {})
    (tmp_path / ".obsidian/app.json").write_text("{not json", encoding="utf-8")
    (tmp_path / ".obsidian/templates.json").write_text('["a list"]', encoding="utf-8")
    config = load_config(tmp_path)
    assert config.obsidian.ignore_filters == [] and config.obsidian.templates_folders == []


def test_renamed_config_folder(tmp_path: Path) -> None:
    write_vault(tmp_path, {CONFIG_NAME: "obsidian: {config-folder: .config}\n"}, obsidian=False)
    (tmp_path / ".config").mkdir()
    (tmp_path / ".config/templates.json").write_text('{"folder": "T"}', encoding="utf-8")
    assert load_config(tmp_path).is_excluded("T/a.md")


def test_obsidian_settings_are_never_written(tmp_path: Path) -> None:
    obsidian_vault(tmp_path, {"A.md": TRAILING}, {"app.json": {"userIgnoreFilters": ["X"]}})
    before = {p: p.read_bytes() for p in (tmp_path / ".obsidian").rglob("*") if p.is_file()}
    assert main(["check", str(tmp_path), "--fix", "-q"]) == 0
    after = {p: p.read_bytes() for p in (tmp_path / ".obsidian").rglob("*") if p.is_file()}
    assert before == after


# --- errors: one line naming the file, the key and what is allowed; exit 2 ---------------


ALL_KEYS = "extends, strict, exclude, schemas, rules, overrides, obsidian, fix-renamed-links"
LEVELS = "(allowed: off, error, warning, info)"
OBSIDIAN_KEYS = "skip-templates, skip-excluded-files, config-folder"
ERRORS = [
    ("colour: red\n", f"unknown key 'colour' (allowed: {ALL_KEYS})"),
    ("extends: relaxed\n", "extends: unknown preset 'relaxed' (allowed: default, strict)"),
    ("rules:\n  brokn-link: off\n", "rules: unknown rule 'brokn-link' (see `vaultlint rule"),
    ("rules:\n  mojibake: of\n", f"rules: mojibake: unknown level 'of' {LEVELS}"),
    ("rules:\n  mojibake: {severity: fatal}\n", "rules: mojibake: severity: unknown level 'fatal'"),
    (
        "rules:\n  mojibake: 3\n",
        "rules: mojibake: expected a level (off, error, warning, info) or a mapping of options, "
        "got 3",
    ),
    (
        "rules:\n  VL03: {max-bytes: big}\n",
        "rules: file-too-large: max-bytes: expected a number, got str 'big'",
    ),
    (
        "rules:\n  VL03: {max-bytes: true}\n",
        "rules: file-too-large: max-bytes: expected a number, got bool True",
    ),
    (
        "rules:\n  VL03: {limit: 3}\n",
        "rules: file-too-large: unknown option 'limit' (allowed: severity, max-bytes)",
    ),
    ("rules: [mojibake]\n", "rules: expected a mapping of rule names to settings"),
    ("exclude: Templates/**\n", "exclude: expected a list of strings"),
    ("schemas: [1]\n", "schemas: expected a list of strings"),
    ("overrides: {paths: [a]}\n", "overrides: expected a list of mappings with paths and rules"),
    ("overrides: [Daily]\n", "overrides[0]: expected a mapping with paths and rules"),
    ("overrides:\n  - rules: {HD01: off}\n", "overrides[0]: missing key 'paths'"),
    ("overrides:\n  - paths: [a]\n", "overrides[0]: missing key 'rules'"),
    ("overrides:\n  - {paths: [], rules: {}}\n", "overrides[0]: paths: expected at least one glob"),
    ("overrides:\n  - {paths: a, rules: {}}\n", "overrides[0]: paths: expected a list of strings"),
    (
        "overrides:\n  - {paths: [a], rules: {}, exclude: true}\n",
        "overrides[0]: unknown key 'exclude' (allowed: paths, rules)",
    ),
    (
        "overrides:\n  - {paths: [a], rules: {}}\n  - {paths: [b], rules: {nope: off}}\n",
        "overrides[1]: rules: unknown rule 'nope'",
    ),
    (
        "overrides:\n  - {paths: [a], rules: {HD01: loud}}\n",
        f"overrides[0]: rules: emoji-heading: unknown level 'loud' {LEVELS}",
    ),
    (
        "overrides:\n  - {paths: [a], rules: {VL03: {max-bytes: '1'}}}\n",
        "overrides[0]: rules: file-too-large: max-bytes: expected a number, got str '1'",
    ),
    (
        "obsidian: {skip-templates: no-thanks}\n",
        "obsidian: skip-templates: expected true or false, got 'no-thanks'",
    ),
    (
        "obsidian: {templates: false}\n",
        f"obsidian: unknown key 'templates' (allowed: {OBSIDIAN_KEYS})",
    ),
    (
        "obsidian: {config-folder: config}\n",
        "obsidian: config-folder: expected a folder name starting with '.', got 'config'",
    ),
    ("obsidian: true\n", f"obsidian: expected a mapping (keys: {OBSIDIAN_KEYS})"),
    ("- a\n- b\n", "the configuration must be a mapping of keys"),
    ("rules: {a: [\n", "invalid YAML (line 2, column 1)"),
]


@pytest.mark.parametrize(("yaml", "message"), ERRORS, ids=[m.split(" (")[0] for _, m in ERRORS])
def test_config_errors(tmp_path: Path, yaml: str, message: str) -> None:
    write_vault(tmp_path, {CONFIG_NAME: yaml})
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    text = str(info.value)
    assert text.startswith(f"{tmp_path / CONFIG_NAME}: ")
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize(("yaml", "message"), ERRORS[:4] + ERRORS[14:16])
@pytest.mark.parametrize("command", ["check", "config"])
def test_config_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml: str, message: str, command: str
) -> None:
    write_vault(tmp_path, {CONFIG_NAME: yaml, "A.md": "Text.\n"})
    code, out, err = run(capsys, command, str(tmp_path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"vaultlint: error: {tmp_path / CONFIG_NAME}: ") and message in err


def test_missing_explicit_config_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {"A.md": "Text.\n"})
    code, _, err = run(capsys, "check", str(tmp_path), "--config", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml: config file not found" in err


def test_an_error_in_a_preset_names_the_preset() -> None:
    with pytest.raises(ConfigError, match=r"^preset x: invalid YAML"):
        load_yaml_text("a: [", "preset x")


# --- vaultlint config -------------------------------------------------------------------


def test_config_command_for_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    obsidian_vault(
        tmp_path,
        {CONFIG_NAME: OVERRIDES, "Daily/2024-01-01.md": "x\n", "Templates/T.md": "x\n"},
        {
            "templates.json": {"folder": "Templates"},
            "app.json": {"userIgnoreFilters": ["Archive/"]},
        },
    )
    code, out, _ = run(capsys, "config", str(tmp_path / "Daily/2024-01-01.md"))
    assert code == 0
    assert "# path: Daily/2024-01-01.md (checked)" in out
    assert "# applied: overrides[0] (paths: Daily/**)" in out
    assert "# applied: overrides[1] (paths: Daily/2024-*.md)" in out
    assert "  emoji-heading: off  # set by an override" in out
    assert "  trailing-whitespace: off  # set by an override" in out
    assert "  broken-link: {severity: error, allow: []}\n" in out
    assert "# Obsidian templates folders: Templates" in out
    assert "# Obsidian excluded files: Archive/" in out
    assert "overrides:" not in out
    code, out, _ = run(capsys, "config", str(tmp_path / "Templates/T.md"))
    assert "(not checked: in Obsidian's templates folder 'Templates')" in out


def test_config_output_is_a_valid_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {CONFIG_NAME: OVERRIDES + "exclude: [Drafts/]\n", "a.md": "x\n"})
    code, out, _ = run(capsys, "config", str(tmp_path))
    assert code == 0
    assert 'overrides:\n  - paths: ["Daily/**"]' in out
    original = load_config(tmp_path)
    other = tmp_path / "again"
    write_vault(other, {CONFIG_NAME: out})
    again = load_config(other)
    assert again.rules == original.rules
    assert again.exclude == original.exclude
    assert [(o.paths, o.rules) for o in again.overrides] == [
        (o.paths, o.rules) for o in original.overrides
    ]
    assert render_config(again).split("\n", 2)[2] == render_config(original).split("\n", 2)[2]


def test_config_command_without_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"a.md": "x\n"})
    code, out, _ = run(capsys, "config", str(tmp_path / "a.md"))
    assert code == 0
    assert "# config file: (none: built-in defaults)" in out
    assert "  file-too-large: {severity: warning, max-bytes: 10485760}" in out


def test_config_command_bad_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "config", str(tmp_path / "missing.md"))
    assert code == 2 and "no such file or folder" in err


def test_digest_follows_overrides_and_obsidian(tmp_path: Path) -> None:
    a = config_at(tmp_path, "rules: {}\n")
    b = config_at(tmp_path, OVERRIDES)
    assert a.digest() != b.digest()
    c = config_at(tmp_path, "obsidian: {skip-templates: false}\n")
    assert c.digest() != a.digest()


@pytest.mark.parametrize("value", ["-5", "0", "0.5", ".inf", ".nan", "1e300", "2000000000000"])
def test_numeric_options_must_be_in_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """A negative or fractional max-bytes would make every note a false finding."""
    write_vault(
        tmp_path,
        {"A.md": "x\n", CONFIG_NAME: f"rules: {{file-too-large: {{max-bytes: {value}}}}}\n"},
    )
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and err.count("\n") == 1
    assert "rules: file-too-large: max-bytes: expected a whole number from 1 to" in err


def test_the_config_may_be_named_yml_but_not_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(
        tmp_path / "v", {"A.md": "x \n", ".vaultlint.yml": "rules: {TX03: off}\n"}, obsidian=False
    )
    code, out, _ = run(capsys, "check", str(tmp_path / "v" / "A.md"), "--strict")
    assert code == 0 and "All checks passed!" in out  # found as the root and read
    (tmp_path / "v" / CONFIG_NAME).write_text("rules: {TX03: error}\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(tmp_path / "v"))
    assert code == 2 and ".vaultlint.yml exists too; keep one of them" in err


def test_fix_renamed_links_is_a_switch(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {".vaultlint.yaml": "fix-renamed-links: true\n"})
    assert load_config(vault).fix_renamed_links is True
    (vault / ".vaultlint.yaml").write_text("fix-renamed-links: yes please\n")
    with pytest.raises(ConfigError, match="fix-renamed-links: expected true or false"):
        load_config(vault)
