"""Where the data folders are: beside the code in a wheel, at the repo root in a checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent


def _data_dir(name: str, env: str) -> Path:
    if override := os.environ.get(env):
        return Path(override)
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _REPO / name


def knowledge_dir() -> Path:
    return _data_dir("knowledge", "PARTNERBOT_KNOWLEDGE")


def locales_dir() -> Path:
    return _data_dir("locales", "PARTNERBOT_LOCALES")
