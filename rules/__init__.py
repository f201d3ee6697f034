"""Shipped declarative rules: note-type schemas and configuration presets (YAML)."""
