"""The rules' numbers, read from `eligibility/rules/*.yaml`: the one source of every figure."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent / "rules"


@cache
def rule_files() -> dict[str, dict[str, Any]]:
    """Every rules file by name (`sophos`, `symantec`, ...), parsed once."""
    paths = sorted(RULES_DIR.glob("*.yaml"))
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths}


def version(name: str, version: str | None = None) -> dict[str, Any]:
    """One version's parameters; the file's default version when none is named."""
    doc = rule_files()[name]
    key = version or doc["default_version"]
    try:
        return doc["versions"][key]
    except KeyError:
        known = ", ".join(doc["versions"])
        raise KeyError(f"{name} has no rules version {key!r} (known: {known})") from None
