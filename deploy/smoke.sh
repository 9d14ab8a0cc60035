#!/usr/bin/env bash
# The Docker image's steps without Docker: build the wheel (which compiles the gettext
# catalogs), install it into a fresh virtual environment, probe `partnerbot health`,
# start the bot against the local Bot API emulator (tests/telegram/run_emulator.py)
# with the image's environment variables, send one question, wait for the reply,
# stop the bot with SIGTERM and check it exits cleanly. Then the same in webhook mode.
# Exits non-zero on any failure. Needs Python 3.11+ and the package registry (pip).
#
#   bash deploy/smoke.sh              PYTHON=python3.12 bash deploy/smoke.sh
#   KEEP=1 bash deploy/smoke.sh       keeps the temporary folder (printed) for a look
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
TOKEN="123:TEST"
WAIT=30  # seconds for each bounded wait
WORK=$(mktemp -d "${TMPDIR:-/tmp}/partnerbot-smoke.XXXXXX")
EMU_PID=""
BOT_PID=""

cleanup() {
    for pid in "$BOT_PID" "$EMU_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "${KEEP:-}" ]; then echo "smoke: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

step() { echo "== smoke: $*"; }
fail() {
    echo "smoke: FAIL: $*" >&2
    for log in "$WORK"/bot-*.err "$WORK/emulator.log"; do
        [ -f "$log" ] && { echo "--- $log (last lines)" >&2; tail -n 30 "$log" >&2; }
    done
    exit 1
}

# waits (bounded) for process $1 to end; sets RC to its exit code
wait_exit() {
    local pid=$1 i
    for i in $(seq 1 $((WAIT * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && fail "process $pid still running ${WAIT} s after SIGTERM"
    RC=0
    wait "$pid" || RC=$?
}

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || fail "$PYTHON is older than Python 3.11"

step "a fresh virtual environment in $WORK"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
BIN="$WORK/venv/bin"

step "building the wheel"
"$VPY" -m pip wheel --quiet --no-deps -w "$WORK/dist" "$ROOT" || fail "wheel build"
WHEEL=$(ls "$WORK"/dist/partner_program_assistant-*.whl)
"$VPY" - "$WHEEL" <<'EOF' || fail "the wheel lacks compiled catalogs or the knowledge base"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for lang in ("ru", "fr", "pl"):
    assert any(n.startswith(f"bot/_data/locales/{lang}/LC_MESSAGES/") and n.endswith(".mo")
               for n in names), f"no compiled {lang} catalog"
assert any(n.startswith("bot/_data/knowledge/faq/") for n in names), "no knowledge base"
EOF

step "installing $(basename "$WHEEL")"
"$VPY" -m pip install --quiet "$WHEEL" || fail "install"

# the image's environment (deploy/Dockerfile); the checkout must not shadow the install
cd "$WORK"
unset PARTNERBOT_KNOWLEDGE PARTNERBOT_LOCALES BOT_API_LOCAL ADMIN_IDS STAFF_CHAT_ID \
    WEBHOOK_URL WEBHOOK_SECRET WEBHOOK_LISTEN WEBHOOK_PORT PYTHONPATH
export PARTNERBOT_DB="$WORK/data/partnerbot.sqlite3" LOG_FORMAT=json LOG_LEVEL=INFO \
    PYTHONUNBUFFERED=1
"$VPY" -c 'import bot, sys; sys.exit(not bot.__file__.startswith(sys.prefix))' \
    || fail "bot is imported from outside the fresh environment"

step "partnerbot health"
"$BIN/partnerbot" health --json > "$WORK/health.json" \
    || { cat "$WORK/health.json" >&2; fail "health says unhealthy"; }
"$VPY" - "$WORK/health.json" <<'EOF' || fail "health report"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["healthy"] and report["checks"]["knowledge"]["entries"] > 0, report
print(f"   {report['checks']['knowledge']['detail']}; {report['checks']['database']['detail']}")
EOF

step "the Bot API emulator"
"$VPY" "$ROOT/tests/telegram/run_emulator.py" serve --token "$TOKEN" \
    --port-file "$WORK/emulator.port" > "$WORK/emulator.log" 2>&1 &
EMU_PID=$!
for _ in $(seq 1 $((WAIT * 10))); do
    [ -s "$WORK/emulator.port" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || fail "the emulator did not start"
    sleep 0.1
done
[ -s "$WORK/emulator.port" ] || fail "the emulator gave no port in ${WAIT} s"
PORT=$(cat "$WORK/emulator.port")
EMU=("$VPY" "$ROOT/tests/telegram/run_emulator.py")

# one run of the bot: start, wait until it listens, ask, read the reply, SIGTERM
run_bot() {
    local mode=$1 user=$2
    shift 2
    step "partnerbot run ($mode)"
    env "$@" BOT_TOKEN="$TOKEN" BOT_API_URL="http://127.0.0.1:$PORT" \
        "$BIN/partnerbot" run > "$WORK/bot-$mode.out" 2> "$WORK/bot-$mode.err" &
    BOT_PID=$!
    "${EMU[@]}" ready --port "$PORT" --mode "$mode" --timeout "$WAIT" || fail "$mode: the bot is not listening"
    "${EMU[@]}" send --port "$PORT" --user "$user" --lang pl "sophos gold" > /dev/null \
        || fail "$mode: could not deliver the question"
    "${EMU[@]}" reply --port "$PORT" --user "$user" --timeout "$WAIT" > "$WORK/reply-$mode.txt" \
        || fail "$mode: no reply"
    echo "   reply: $(head -n 1 "$WORK/reply-$mode.txt")"
    grep -q "Sophos" "$WORK/reply-$mode.txt" || fail "$mode: the reply is not the answer"
    kill -TERM "$BOT_PID"
    wait_exit "$BOT_PID"
    BOT_PID=""
    [ "$RC" -eq 0 ] || fail "$mode: exit code $RC after SIGTERM"
    "$VPY" - "$WORK/bot-$mode.err" "$TOKEN" "$user" <<'EOF' || fail "$mode: logs or database"
import json, os, sqlite3, sys
path, token, user = sys.argv[1:]
text = open(path, encoding="utf-8").read()
assert token not in text, "the token is in the log"
records = [json.loads(line) for line in text.splitlines() if line.strip()]  # JSON lines
messages = [r["message"] for r in records]
assert any(m.startswith("starting the Telegram bot") for m in messages), messages
assert messages[-1] == "stopped", messages[-3:]
db = sqlite3.connect(os.environ["PARTNERBOT_DB"])
assert db.execute("SELECT count(*) FROM sessions WHERE user_id = ?", (user,)).fetchone()[0]
print(f"   {len(records)} JSON log lines, no token; session saved; clean exit")
EOF
}

run_bot polling 401

WEBHOOK_PORT=$("$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_bot webhook 402 BOT_API_LOCAL=1 WEBHOOK_URL="http://127.0.0.1:$WEBHOOK_PORT/telegram" \
    WEBHOOK_SECRET="smoke-$RANDOM-secret" WEBHOOK_LISTEN=127.0.0.1 WEBHOOK_PORT="$WEBHOOK_PORT"

echo "smoke: OK"
