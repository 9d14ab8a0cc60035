"""deploy/smoke.sh: the Docker image's steps without Docker, end to end (about 30 s)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.skipif(os.environ.get("CI_SKIP_SMOKE") == "1", reason="CI_SKIP_SMOKE=1")
def test_smoke_script_builds_installs_answers_and_stops_cleanly(tmp_path):
    # the base interpreter of this venv: the script makes its own fresh environment
    python = getattr(sys, "_base_executable", None) or sys.executable
    env = {**os.environ, "PYTHON": python, "TMPDIR": str(tmp_path)}
    done = subprocess.run(["bash", str(ROOT / "deploy" / "smoke.sh")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "smoke: OK" in done.stdout
    for step in ("partnerbot health", "partnerbot run (polling)", "partnerbot run (webhook)"):
        assert f"== smoke: {step}" in done.stdout
    assert not list(tmp_path.glob("partnerbot-smoke.*"))  # cleaned up


def test_deploy_files_name_every_variable_the_code_reads():
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for name in ("BOT_TOKEN", "BOT_API_URL", "BOT_API_LOCAL", "ADMIN_IDS", "STAFF_CHAT_ID",
                 "STAFF_LANG", "PARTNERBOT_DB", "PARTNERBOT_RETENTION_DAYS",
                 "PARTNERBOT_KNOWLEDGE", "PARTNERBOT_LOCALES", "LOG_LEVEL", "LOG_FORMAT",
                 "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "WEBHOOK_PORT"):
        assert f"| `{name}` |" in readme, name
    example = (ROOT / "deploy" / "partnerbot.env.example").read_text(encoding="utf-8")
    token = next(line for line in example.splitlines() if line.startswith("BOT_TOKEN="))
    assert "replace" in token  # a placeholder, never a real token
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "PARTNERBOT_DB=/data/partnerbot.sqlite3" in dockerfile
    assert 'CMD ["partnerbot", "health"]' in dockerfile and "USER partnerbot" in dockerfile
