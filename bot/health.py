"""`partnerbot health`: can this installation serve? No token and no network needed.

Three checks, each independent of the others:

* knowledge: the knowledge base loads and validates (PARTNERBOT_KNOWLEDGE, else the
  bundled one); reports its entry count;
* database: the SQLite file (PARTNERBOT_DB, else the user's data folder) opens and
  takes a write: a table is created and a row inserted inside a transaction that is
  then rolled back, so nothing stays behind;
* config: the environment settings parse (ADMIN_IDS, webhook settings...), as
  `partnerbot run` would check them at start.

Healthy when all pass: exit code 0; else 1. The Docker HEALTHCHECK runs it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

DB_TIMEOUT = 5.0  # seconds to wait for a writer holding the lock before failing


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    checks: list[Check]

    @property
    def healthy(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"healthy": self.healthy,
                "checks": {c.name: {"ok": c.ok, "detail": c.detail, **c.data}
                           for c in self.checks}}

    def as_text(self) -> str:
        lines = [f"{c.name:<10} {'ok' if c.ok else 'FAIL':<5} {c.detail}" for c in self.checks]
        lines.append("healthy" if self.healthy else "unhealthy")
        return "\n".join(lines)


def check_knowledge(root: Path | None = None) -> Check:
    from bot.knowledgebase import KnowledgeError, load
    from bot.paths import knowledge_dir

    where = Path(root) if root else knowledge_dir()
    try:
        kb = load(where)
    except KnowledgeError as exc:
        first = "; ".join(str(p) for p in exc.problems[:3])
        more = f" (and {len(exc.problems) - 3} more)" if len(exc.problems) > 3 else ""
        return Check("knowledge", False, f"{len(exc.problems)} problem(s) in {where}: "
                                         f"{first}{more}",
                     {"path": str(where), "problems": len(exc.problems)})
    except Exception as exc:  # unreadable files and the like
        return Check("knowledge", False, f"cannot load {where}: {exc}", {"path": str(where)})
    return Check("knowledge", True, f"{len(kb.entries)} entries ({where})",
                 {"path": str(where), "entries": len(kb.entries)})


def check_database(path: Path | None = None) -> Check:
    from bot.storage.db import default_path

    path = Path(path) if path else default_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=DB_TIMEOUT, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # the write lock, as the bot takes it
            try:
                conn.execute("CREATE TABLE _health_probe (x INTEGER)")
                conn.execute("INSERT INTO _health_probe (x) VALUES (1)")
            finally:
                conn.execute("ROLLBACK")
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        return Check("database", False, f"not writable: {path}: {exc}", {"path": str(path)})
    return Check("database", True, f"writable ({path})", {"path": str(path)})


def check_config() -> Check:
    from bot.telegram.settings import ConfigError, Settings

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        return Check("config", False, str(exc))
    mode = "webhook" if settings.webhook else "polling"
    return Check("config", True, f"settings valid ({mode} mode if BOT_TOKEN is set)",
                 {"mode": mode})


def run_checks(kb_root: Path | None = None, db_path: Path | None = None) -> Report:
    return Report([check_knowledge(kb_root), check_database(db_path), check_config()])


@click.command("health")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The database file (default: PARTNERBOT_DB, else the user's data folder).")
@click.option("--root", "kb_root", type=click.Path(path_type=Path),
              help="The knowledge folder (default: PARTNERBOT_KNOWLEDGE, else the bundled one).")
def health_command(as_json: bool, db_path: Path | None, kb_root: Path | None) -> None:
    """Whether the knowledge base loads and the database is writable; exit 0 or 1."""
    import json
    import sys

    report = run_checks(kb_root, db_path)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        click.echo(report.as_text())
    sys.exit(0 if report.healthy else 1)
