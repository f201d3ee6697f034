"""Configuration: presets, ``.vaultlint.yaml``, validation with one-line errors."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from vaultlint.model import Severity
from vaultlint.rules import ALL_RULES, Rule, get_rule

CONFIG_NAME = ".vaultlint.yaml"
PRESETS = ("default", "strict")
TOP_LEVEL_KEYS = ("extends", "exclude", "schemas", "rules")
LEVELS = ("off", "error", "warning", "info")


class ConfigError(Exception):
    """An invalid configuration; the message is one line naming file and key."""


@dataclass
class RuleSetting:
    severity: Severity | None  # None: the rule is off
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    root: Path
    file: Path | None = None
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)
    _exclude_spec: Any = None

    def is_excluded(self, path: str) -> bool:
        if not self.exclude:
            return False
        if self._exclude_spec is None:
            import pathspec

            self._exclude_spec = pathspec.GitIgnoreSpec.from_lines(self.exclude)
        return bool(self._exclude_spec.match_file(path))

    def digest(self) -> str:
        """A stable hash of everything that changes findings."""
        state = {
            "rules": {
                name: [s.severity.value if s.severity else None, s.options]
                for name, s in sorted(self.rules.items())
            },
            "exclude": self.exclude,
            "schemas": self.schemas,
        }
        return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def default_settings() -> dict[str, RuleSetting]:
    return {
        rule.name: RuleSetting(rule.severity if rule.enabled else None, dict(rule.options))
        for rule in ALL_RULES
    }


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The effective configuration for the vault at ``root``.

    ``explicit`` is a ``--config`` file; otherwise ``.vaultlint.yaml`` at the
    root is read when it exists.
    """
    config = Config(root=root, rules=default_settings())
    path = explicit if explicit is not None else root / CONFIG_NAME
    if explicit is None and not path.is_file():
        return config
    data = _read_yaml_file(path)
    config.file = path
    _apply(config, data, str(path), seen=set())
    return config


def _read_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    return load_yaml_text(text, str(path))


def load_yaml_text(text: str, where: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}: invalid YAML{at}: {problem}") from None


def _preset(name: str) -> Any:
    text = resources.files("vaultlint.shipped").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return load_yaml_text(text, f"preset {name}")


def _apply(config: Config, data: Any, where: str, seen: set[str]) -> None:
    if data is None:
        return
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: the configuration must be a mapping of keys")
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            allowed = ", ".join(TOP_LEVEL_KEYS)
            raise ConfigError(f"{where}: unknown key {key!r} (allowed: {allowed})")
    extends = data.get("extends")
    if extends is not None:
        if extends not in PRESETS:
            raise ConfigError(f"{where}: extends: unknown preset {extends!r} (allowed: {', '.join(PRESETS)})")
        if extends in seen:
            raise ConfigError(f"{where}: extends: preset {extends!r} extends itself")
        _apply(config, _preset(extends), f"preset {extends}", seen | {extends})
    for key in ("exclude", "schemas"):
        if key in data:
            value = data[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}: {key}: expected a list of strings")
            getattr(config, key).extend(value)
    rules = data.get("rules")
    if rules is not None:
        if not isinstance(rules, Mapping):
            raise ConfigError(f"{where}: rules: expected a mapping of rule names to settings")
        for key, value in rules.items():
            rule = get_rule(str(key))
            if rule is None:
                raise ConfigError(f"{where}: rules: unknown rule {key!r} (see `vaultlint rule --all`)")
            config.rules[rule.name] = _rule_setting(rule, value, config.rules[rule.name], where)


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
        raise ConfigError(f"{at}: expected a level ({', '.join(LEVELS)}) or a mapping of options")
    options = dict(current.options)
    severity = current.severity if current.severity is not None else rule.severity
    for key, option in value.items():
        if key == "severity":
            if option not in LEVELS:
                raise ConfigError(f"{at}: severity: unknown level {option!r} (allowed: {', '.join(LEVELS)})")
            severity = None if option == "off" else Severity(option)
            continue
        if key not in rule.options:
            allowed = ", ".join(["severity", *rule.options]) or "severity"
            raise ConfigError(f"{at}: unknown option {key!r} (allowed: {allowed})")
        options[key] = _check_option_type(rule.options[key], option, f"{at}: {key}")
    return RuleSetting(severity, options)


def _check_option_type(default: Any, value: Any, at: str) -> Any:
    expected: type | tuple[type, ...] = type(default)
    if isinstance(default, bool):
        expected = bool
    elif isinstance(default, (int, float)):
        expected = (int, float)
    elif isinstance(default, (list, tuple)):
        expected = (list, tuple)
    ok = isinstance(value, expected) and not (expected != bool and isinstance(value, bool) and not isinstance(default, bool))
    if not ok:
        raise ConfigError(f"{at}: expected {type(default).__name__}, got {type(value).__name__} {value!r}")
    return value
