"""Configuration: presets, ``.vaultlint.yaml``, per-path overrides, Obsidian's settings.

Every error is a ``ConfigError`` whose message is one line naming the file, the
key and what is allowed. Obsidian's own settings (the templates folder and its
"Excluded files") are read, never written, and only choose which notes are
checked: the vault index always holds every file, so links to skipped notes
still resolve.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from vaultlint.errors import VaultlintError
from vaultlint.model import Severity
from vaultlint.properties import TYPES_FILE, read_types
from vaultlint.rules import ALL_RULES, Rule, get_rule
from vaultlint.vault import CONFIG_NAMES
from vaultlint.yamlfile import load_yaml, read_yaml, reject_unknown_keys, shown

CONFIG_NAME = CONFIG_NAMES[0]
PRESETS = ("default", "strict")
TOP_LEVEL_KEYS = (
    "extends",
    "strict",
    "exclude",
    "schemas",
    "rules",
    "overrides",
    "obsidian",
    "fix-renamed-links",
)
OVERRIDE_KEYS = ("paths", "rules")
OBSIDIAN_KEYS = ("skip-templates", "skip-excluded-files", "config-folder")
LEVELS = ("off", "error", "warning", "info")
TEMPLATER_DATA = "plugins/templater-obsidian/data.json"
# The files of Obsidian's config folder that ``read_obsidian_settings`` reads.
OBSIDIAN_SETTINGS = ("app.json", "templates.json", TEMPLATER_DATA, TYPES_FILE)


class ConfigError(VaultlintError):
    """An invalid configuration; the message is one line naming file and key."""


@dataclass
class RuleSetting:
    severity: Severity | None  # None: the rule is off
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Override:
    """Rule settings for the notes matching ``paths`` (gitignore-style globs)."""

    paths: list[str]
    rules: dict[str, Any]  # rule name -> the raw (validated) value, applied in order
    where: str  # "FILE: overrides[N]", for messages
    _spec: Any = None

    def matches(self, path: str) -> bool:
        if self._spec is None:
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self.paths)
        return bool(self._spec.match_file(path))


@dataclass
class ObsidianSettings:
    """What vaultlint takes from Obsidian's config folder, and whether to use it."""

    skip_templates: bool = True
    skip_excluded_files: bool = True
    config_folder: str = ".obsidian"
    templates_folders: list[str] = field(default_factory=list)  # as found in Obsidian's files
    ignore_filters: list[str] = field(default_factory=list)  # app.json userIgnoreFilters
    attachment_folder: str | None = None  # app.json attachmentFolderPath, as written
    # types.json: lower-cased property name -> Obsidian's type (``properties.read_types``).
    property_types: dict[str, str] = field(default_factory=dict)
    markdown_links: bool = False  # app.json useMarkdownLinks
    link_format: Literal["shortest", "relative", "absolute"] = "shortest"  # newLinkFormat
    _prefixes: list[tuple[str, str]] | None = None  # (as written, lowercase prefix)
    _regexes: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    def _compile(self) -> list[tuple[str, str]]:
        if self._prefixes is None:
            self._prefixes = []
            for raw in self.ignore_filters:
                pattern = raw.strip()
                if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
                    try:
                        self._regexes.append((raw, re.compile(pattern[1:-1], re.IGNORECASE)))
                    except re.error:
                        continue  # a JavaScript-only regex: Obsidian's business, not ours
                elif pattern:
                    self._prefixes.append((raw, pattern.lower()))
        return self._prefixes

    def ignore_filter_for(self, path: str) -> str | None:
        """The ``userIgnoreFilters`` entry that excludes ``path`` (R50), if any."""
        lower = path.lower()
        for raw, prefix in self._compile():
            if lower.startswith(prefix):
                return raw
        for raw, regex in self._regexes:
            if regex.search(path):
                return raw
        return None

    def in_attachment_folder(self, path: str) -> bool:
        """Whether ``path`` is where Obsidian puts attachments (``attachmentFolderPath``:
        a folder, ``./`` the note's folder, ``./sub`` a subfolder of it; unset or ``/``:
        anywhere, as vaults with the default keep them in folders of their own)."""
        setting = (self.attachment_folder or "").strip()
        if setting.startswith("./"):
            sub = setting[2:].strip("/").lower()
            parent = path.rpartition("/")[0].rpartition("/")[2].lower()
            return not sub or parent == sub
        folder = setting.strip("/").lower()
        return not folder or path.lower().startswith(folder + "/")

    def templates_folder_for(self, path: str) -> str | None:
        lower = path.lower()
        for folder in self.templates_folders:
            if lower.startswith(folder.lower() + "/"):
                return folder
        return None


@dataclass
class Config:
    root: Path
    file: Path | None = None
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)
    shipped_schemas: bool = True  # ``schemas: []`` turns the shipped ones off
    overrides: list[Override] = field(default_factory=list)
    obsidian: ObsidianSettings = field(default_factory=ObsidianSettings)
    presets: list[str] = field(default_factory=list)  # the presets applied, outermost last
    strict: bool = False  # warnings fail the run too (errors always do)
    # With --fix and staged renames, links to the old paths are rewritten (else: unsafe).
    fix_renamed_links: bool = False
    # What was read but not used, one line each naming the file (a malformed types.json).
    warnings: list[str] = field(default_factory=list)
    _exclude_spec: Any = None
    _by_overrides: dict[tuple[int, ...], tuple[dict[str, RuleSetting], frozenset[str]]] = field(
        default_factory=dict
    )

    def exclusion(self, path: str) -> str | None:
        """Why the note at ``path`` is not checked, or None when it is."""
        if self.exclude:
            if self._exclude_spec is None:
                import pathspec

                self._exclude_spec = pathspec.GitIgnoreSpec.from_lines(self.exclude)
            if self._exclude_spec.match_file(path):
                return "matches `exclude`"
        if self.obsidian.skip_templates:
            folder = self.obsidian.templates_folder_for(path)
            if folder is not None:
                return f"in Obsidian's templates folder {folder!r}"
        if self.obsidian.skip_excluded_files:
            pattern = self.obsidian.ignore_filter_for(path)
            if pattern is not None:
                return f"in Obsidian's Excluded files ({pattern!r})"
        return None

    def is_excluded(self, path: str) -> bool:
        return self.exclusion(path) is not None

    def overrides_for(self, path: str) -> tuple[int, ...]:
        """The indices of the overrides that apply to ``path``, in order."""
        return tuple(i for i, o in enumerate(self.overrides) if o.matches(path))

    def settings_for(
        self, matched: tuple[int, ...]
    ) -> tuple[dict[str, RuleSetting], frozenset[str]]:
        """Rule settings after the given overrides, and the rules they touched."""
        cached = self._by_overrides.get(matched)
        if cached is None:
            settings = dict(self.rules)
            touched: set[str] = set()
            for i in matched:
                override = self.overrides[i]
                for name, value in override.rules.items():
                    rule = get_rule(name)
                    assert rule is not None  # validated when loaded
                    settings[name] = _rule_setting(rule, value, settings[name], override.where)
                    touched.add(name)
            cached = (settings, frozenset(touched))
            self._by_overrides[matched] = cached
        return cached

    def settings_for_path(self, path: str) -> dict[str, RuleSetting]:
        return self.settings_for(self.overrides_for(path))[0]

    def digest(self) -> str:
        """A stable hash of everything that changes findings."""
        state = {
            "rules": _settings_state(self.rules),
            "exclude": self.exclude,
            "schemas": self.schemas,
            "shipped-schemas": self.shipped_schemas,
            "overrides": [[o.paths, o.rules] for o in self.overrides],
            "obsidian": [
                self.obsidian.skip_templates,
                self.obsidian.skip_excluded_files,
                self.obsidian.templates_folders,
                self.obsidian.ignore_filters,
                self.obsidian.attachment_folder,
                sorted(self.obsidian.property_types.items()),
                self.obsidian.markdown_links,
                self.obsidian.link_format,
            ],
        }
        return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _settings_state(settings: Mapping[str, RuleSetting]) -> dict[str, Any]:
    return {
        name: [s.severity.value if s.severity else None, s.options]
        for name, s in sorted(settings.items())
    }


def default_settings() -> dict[str, RuleSetting]:
    return {
        rule.name: RuleSetting(rule.severity if rule.enabled else None, dict(rule.options))
        for rule in ALL_RULES
    }


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The effective configuration for the vault at ``root``.

    ``explicit`` is a ``--config`` file; otherwise ``.vaultlint.yaml`` (or
    ``.vaultlint.yml``) at the root is read when it exists. Obsidian's settings
    are read in both cases.
    """
    config = Config(root=root, rules=default_settings())
    path = explicit if explicit is not None else config_file(root)
    if path is not None and (explicit is not None or path.is_file()):
        data = read_yaml(path, "config", ConfigError)
        config.file = path
        _apply(config, data, shown(path), seen=set())
    read_obsidian_settings(config)
    return config


def config_file(root: Path) -> Path | None:
    """The vault's configuration file, if it has one; an error when it has both names."""
    found = [root / name for name in CONFIG_NAMES if (root / name).is_file()]
    if len(found) > 1:
        raise ConfigError(f"{shown(found[0])}: {found[1].name} exists too; keep one of them")
    return found[0] if found else None


def load_yaml_text(text: str, where: str) -> Any:
    return load_yaml(text, where, ConfigError)


def preset_text(name: str) -> str:
    return resources.files("vaultlint.shipped").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _apply(config: Config, data: Any, where: str, seen: set[str]) -> None:
    if data is None:
        return
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: the configuration must be a mapping of keys")
    reject_unknown_keys(data, TOP_LEVEL_KEYS, where, ConfigError)
    extends = data.get("extends")
    if extends is not None:
        if extends not in PRESETS:
            allowed = ", ".join(PRESETS)
            raise ConfigError(f"{where}: extends: unknown preset {extends!r} (allowed: {allowed})")
        if extends in seen:
            raise ConfigError(f"{where}: extends: preset {extends!r} extends itself")
        preset = load_yaml_text(preset_text(extends), f"preset {extends}")
        _apply(config, preset, f"preset {extends}", seen | {extends})
        config.presets.append(extends)
    if "strict" in data:
        if not isinstance(data["strict"], bool):
            raise ConfigError(f"{where}: strict: expected true or false, got {data['strict']!r}")
        config.strict = data["strict"]
    if "fix-renamed-links" in data:
        value = data["fix-renamed-links"]
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: fix-renamed-links: expected true or false, got {value!r}")
        config.fix_renamed_links = value
    for key in ("exclude", "schemas"):
        if key in data:
            getattr(config, key).extend(_string_list(data[key], f"{where}: {key}"))
    if data.get("schemas") == []:
        config.shipped_schemas = False  # said outright: no shipped schema either
    if "exclude" in data:
        _check_globs(config.exclude, f"{where}: exclude")
    if "obsidian" in data:
        _apply_obsidian(config.obsidian, data["obsidian"], f"{where}: obsidian")
    rules = data.get("rules")
    if rules is not None:
        for rule, value in _rule_items(rules, f"{where}: rules"):
            config.rules[rule.name] = _rule_setting(rule, value, config.rules[rule.name], where)
    overrides = data.get("overrides")
    if overrides is not None:
        if not isinstance(overrides, list):
            raise ConfigError(
                f"{where}: overrides: expected a list of mappings with paths and rules"
            )
        for n, item in enumerate(overrides):
            config.overrides.append(_override(config, item, f"{where}: overrides[{n}]"))


def _string_list(value: Any, at: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{at}: expected a list of strings")
    return value


def _rule_items(rules: Any, at: str) -> list[tuple[type[Rule], Any]]:
    if not isinstance(rules, Mapping):
        raise ConfigError(f"{at}: expected a mapping of rule names to settings")
    items = []
    for key, value in rules.items():
        rule = get_rule(str(key))
        if rule is None:
            raise ConfigError(f"{at}: unknown rule {key!r} (see `vaultlint rule --all`)")
        items.append((rule, value))
    return items


def _check_globs(patterns: list[str], at: str) -> None:
    """A one-line error for a glob that cannot match anything (``[z-a]``)."""
    import pathspec

    for pattern in patterns:
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except (ValueError, re.error) as exc:
            raise ConfigError(f"{at}: invalid glob {pattern!r}: {exc}") from None


def _override(config: Config, item: Any, where: str) -> Override:
    if not isinstance(item, Mapping):
        raise ConfigError(f"{where}: expected a mapping with paths and rules")
    reject_unknown_keys(item, OVERRIDE_KEYS, where, ConfigError)
    for key in OVERRIDE_KEYS:
        if key not in item:
            raise ConfigError(f"{where}: missing key {key!r}")
    paths = _string_list(item["paths"], f"{where}: paths")
    if not paths:
        raise ConfigError(f"{where}: paths: expected at least one glob")
    _check_globs(paths, f"{where}: paths")
    rules: dict[str, Any] = {}
    for rule, value in _rule_items(item["rules"], f"{where}: rules"):
        _rule_setting(rule, value, config.rules[rule.name], where)  # validates it
        rules[rule.name] = value
    return Override(paths=list(paths), rules=rules, where=where)


def _apply_obsidian(settings: ObsidianSettings, value: Any, at: str) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{at}: expected a mapping (keys: {', '.join(OBSIDIAN_KEYS)})")
    reject_unknown_keys(value, OBSIDIAN_KEYS, at, ConfigError)
    for key, option in value.items():
        if key == "config-folder":
            if not isinstance(option, str) or not option.startswith(".") or "/" in option:
                raise ConfigError(
                    f"{at}: config-folder: expected a folder name starting with '.', got {option!r}"
                )
            settings.config_folder = option
            continue
        if not isinstance(option, bool):
            raise ConfigError(f"{at}: {key}: expected true or false, got {option!r}")
        setattr(settings, key.replace("-", "_"), option)


def read_obsidian_settings(config: Config) -> None:
    """Read the templates folders, Excluded files and property types (``types.json``)
    from Obsidian's config folder.

    Missing or malformed files count as "not set": they are Obsidian's, and a
    linter must not fail on them.
    """
    folder = config.root / config.obsidian.config_folder
    templates = []
    for name, key in (("templates.json", "folder"), (TEMPLATER_DATA, "templates_folder")):
        value = _json_key(folder / name, key)
        if isinstance(value, str):
            clean = value.strip().strip("/")
            if clean and clean not in templates:
                templates.append(clean)
    config.obsidian.templates_folders = templates
    filters = _json_key(folder / "app.json", "userIgnoreFilters")
    if isinstance(filters, list):
        config.obsidian.ignore_filters = [f for f in filters if isinstance(f, str) and f.strip()]
    attachments = _json_key(folder / "app.json", "attachmentFolderPath")
    config.obsidian.attachment_folder = attachments if isinstance(attachments, str) else None
    types, warning = read_types(folder)
    config.obsidian.property_types = types
    if warning is not None:
        config.warnings.append(warning)
    config.obsidian.markdown_links = _json_key(folder / "app.json", "useMarkdownLinks") is True
    link_format = _json_key(folder / "app.json", "newLinkFormat")
    if link_format in ("shortest", "relative", "absolute"):
        config.obsidian.link_format = link_format


def _json_key(path: Path, key: str) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data.get(key) if isinstance(data, dict) else None


def _rule_setting(rule: type[Rule], value: Any, current: RuleSetting, where: str) -> RuleSetting:
    at = f"{where}: rules: {rule.name}"
    if value is False:
        value = "off"
    if isinstance(value, str):
        if value not in LEVELS:
            raise ConfigError(f"{at}: unknown level {value!r} (allowed: {', '.join(LEVELS)})")
        severity = None if value == "off" else Severity(value)
        return RuleSetting(severity, dict(current.options))
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{at}: expected a level ({', '.join(LEVELS)}) or a mapping of options, got {value!r}"
        )
    options = dict(current.options)
    severity = current.severity if current.severity is not None else rule.severity
    for key, option in value.items():
        if key == "severity":
            if option is False:
                option = "off"
            if option not in LEVELS:
                allowed = ", ".join(LEVELS)
                raise ConfigError(f"{at}: severity: unknown level {option!r} (allowed: {allowed})")
            severity = None if option == "off" else Severity(option)
            continue
        if key not in rule.options:
            allowed = ", ".join(["severity", *rule.options])
            raise ConfigError(f"{at}: unknown option {key!r} (allowed: {allowed})")
        options[key] = _check_option_type(rule.options[key], option, f"{at}: {key}")
        if key in rule.limits:
            _check_limits(option, rule.limits[key], f"{at}: {key}")
        if key in rule.choices and option not in rule.choices[key]:
            allowed = ", ".join(rule.choices[key])
            raise ConfigError(f"{at}: {key}: unknown value {option!r} (allowed: {allowed})")
    return RuleSetting(severity, options)


def _check_option_type(default: Any, value: Any, at: str) -> Any:
    expected: type | tuple[type, ...] = type(default)
    if isinstance(default, bool):
        expected = bool
    elif isinstance(default, (int, float)):
        expected = (int, float)
    elif isinstance(default, (list, tuple)):
        expected = (list, tuple)
    wrong_bool = isinstance(value, bool) and not isinstance(default, bool)
    if not isinstance(value, expected) or wrong_bool:
        raise ConfigError(
            f"{at}: expected {_type_name(default)}, got {type(value).__name__} {value!r}"
        )
    if isinstance(value, (list, tuple)) and not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{at}: expected a list of strings, got {value!r}")
    return value


def _check_limits(value: Any, limits: tuple[int, int], at: str) -> None:
    low, high = limits
    if not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{at}: expected a whole number from {low} to {high}, got {value!r}")


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a number"
    if isinstance(default, (list, tuple)):
        return "a list"
    if isinstance(default, str):
        return "a string"
    return type(default).__name__


# --- showing the effective configuration (``vaultlint config``) -------------------------


def _yaml_value(value: Any) -> str:
    """A scalar or list in YAML flow style (JSON is valid YAML)."""
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False)


def _setting_text(setting: RuleSetting, rule: type[Rule]) -> str:
    level = setting.severity.value if setting.severity else "off"
    if not setting.options:
        return level
    parts = [f"severity: {level}"]
    parts += [f"{key}: {_yaml_value(setting.options[key])}" for key in rule.options]
    return "{" + ", ".join(parts) + "}"


def render_config(config: Config, path: str | None = None, schema_lines: Sequence[str] = ()) -> str:
    """The effective configuration as YAML, usable as a ``.vaultlint.yaml``.

    With ``path`` (a note's vault path) the overrides matching it are applied
    and the comments say whether the note is checked. ``schema_lines`` are
    comments shown under ``schemas:`` (the schemas in effect).
    """
    out = [f"# vault: {config.root}"]
    out.append(f"# config file: {config.file if config.file else '(none: built-in defaults)'}")
    if config.presets:
        out.append(f"# presets: {', '.join(reversed(config.presets))}")
    obsidian = config.obsidian
    templates = ", ".join(obsidian.templates_folders) or "(none set)"
    filters = ", ".join(obsidian.ignore_filters) or "(none set)"
    out.append(f"# Obsidian templates folders: {templates}")
    out.append(f"# Obsidian excluded files: {filters}")
    matched: tuple[int, ...] = ()
    touched: frozenset[str] = frozenset()
    settings = config.rules
    if path is not None:
        reason = config.exclusion(path)
        out.append(f"# path: {path} ({'not checked: ' + reason if reason else 'checked'})")
        matched = config.overrides_for(path)
        settings, touched = config.settings_for(matched)
        for i in matched:
            o = config.overrides[i]
            out.append(f"# applied: overrides[{i}] (paths: {', '.join(o.paths)})")
    out.append(f"strict: {_yaml_value(config.strict)}")
    out.append(f"exclude: {_yaml_value(config.exclude)}")
    if config.schemas or not config.shipped_schemas:
        out.append(f"schemas: {_yaml_value(config.schemas)}")
    else:
        out.append(_UNSET_SCHEMAS)
    out.extend(f"# {line}" for line in schema_lines)
    out.append("obsidian:")
    out.append(f"  config-folder: {_yaml_value(obsidian.config_folder)}")
    out.append(f"  skip-templates: {_yaml_value(obsidian.skip_templates)}")
    out.append(f"  skip-excluded-files: {_yaml_value(obsidian.skip_excluded_files)}")
    out.append("rules:")
    for rule in sorted(ALL_RULES, key=lambda r: r.name):
        line = f"  {rule.name}: {_setting_text(settings[rule.name], rule)}"
        if rule.name in touched:
            line += "  # set by an override"
        out.append(line)
    if path is None and config.overrides:
        out.append("overrides:")
        for o in config.overrides:
            out.append(f"  - paths: {_yaml_value(o.paths)}")
            rules = ", ".join(f"{k}: {_yaml_value(v)}" for k, v in o.rules.items())
            out.append(f"    rules: {{{rules}}}")
    return "\n".join(out) + "\n"


def init_text(rules: Sequence[type[Rule]], schemas: Sequence[str] = ()) -> str:
    """The commented ``.vaultlint.yaml`` that ``vaultlint init`` writes."""
    rule_lines = []
    for r in rules:
        setting = f"{r.name}: {r.severity.value if r.enabled else 'off'}"
        rule_lines.append(f"  # {setting:<36} # {r.code} {r.summary}")
    schema_line = f"schemas: {_yaml_value(list(schemas))}" if schemas else _UNSET_SCHEMAS
    return INIT_TEMPLATE.format(rules="\n".join(rule_lines), schemas=schema_line)


# ``schemas:`` left unset: the shipped schemas apply (``schemas: []`` turns them off).
_UNSET_SCHEMAS = "# schemas: []  # unset: the shipped schemas apply; [] turns them off"

INIT_TEMPLATE = """\
# vaultlint configuration for this vault. `vaultlint config` prints the effective
# settings; `vaultlint rule NAME` explains a rule.

# Start from a preset shipped with vaultlint: default or strict.
extends: default

# Errors always fail a run; warnings are shown, and fail it only when this is true
# (or with `vaultlint check --strict`). Unfinished notes are normal work in progress.
strict: false

# Notes never checked: gitignore-style globs relative to the vault root.
# Links to them still resolve (the link index always holds every file).
exclude: []

# Note-type schemas: YAML files relative to the vault root (globs allowed).
{schemas}

# Obsidian's own settings are read, never written.
obsidian:
  skip-templates: true        # do not check the templates folder (Templates, Templater)
  skip-excluded-files: true   # do not check Obsidian's "Excluded files" (Files and links)

# Per rule: off | error | warning | info, or a mapping {{severity: ..., option: value}}.
# Defaults are shown commented out.
rules:
{rules}

# Settings for some paths only, applied in order after `rules` (later entries win).
overrides: []
#  - paths: [Daily/**]
#    rules: {{emoji-heading: off}}

# In a note: %% vaultlint-disable-next-line RULE %%, %% vaultlint-disable-line RULE %%,
# %% vaultlint-disable RULE %% ... %% vaultlint-enable RULE %% (or <!-- ... --> comments),
# and frontmatter `vaultlint-disable: [RULE, ...]` or `vaultlint-disable: all`.
"""
