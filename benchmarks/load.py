"""Load: the real bot process under N simulated Telegram users, through its HTTP layer.

    python benchmarks/load.py [--users 100 1000] [--mode paced|burst|both] [--rate 300]

`partnerbot run` runs as a subprocess pinned to one core, with BOT_API_URL pointing to
the Bot API emulator of tests/telegram, a fresh PARTNERBOT_DB and the real knowledge/;
this process runs the emulator and the users on another core. Each user holds a
conversation in ru, fr or pl (see `loadusers.py`) and sends its next update only once the
bot has answered the previous one, as a person would.

* paced: the users think between messages, and send on a shared clock of `--rate` slots a
  second, so the bot gets a steady `--rate` updates a second, not random bursts above it
  (the target: 300/s with p99 under 100 ms, in under 150 MB);
* burst: no thinking, everyone at once: the most the bot sustains on its core.

Before timing, each distinct conversation is played once (the warm-up) to learn how many
replies each step gets (sendMessage, editMessageText, answerCallbackQuery) and what they
say. In the timed run an update whose replies do not all arrive within `--timeout` is
lost; one whose replies say something else (an error message, say) is wrong. Latency runs
from the update being queued for getUpdates to the arrival of its last reply. Exit code 1
when any update is lost or wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import platform
import random
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "telegram"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadusers  # noqa: E402
from bot_api_emulator import TOKEN  # noqa: E402
from loadusers import Expected, LoadEmulator, Script  # noqa: E402

QUIET = 0.3  # seconds without a bot call that end a warm-up step: the bot is idle
STOP_WAIT = 30.0


@dataclass
class Result:
    users: int
    mode: str
    updates: int = 0
    replies: int = 0
    lost: int = 0
    wrong: int = 0
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    sends: list[float] = field(default_factory=list)  # when each update was sent
    bot_cpu: float = 0.0  # seconds of CPU the bot used during the timed run
    harness_cpu: float = 0.0
    peak_rss_mb: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.wall if self.wall else 0.0

    @property
    def busiest_second(self) -> int:
        """Updates sent in the busiest second: the load the latencies were measured
        under, which the average over a run with a ramp and a tail understates."""
        sends, best, lo = sorted(self.sends), 0, 0
        for hi, t in enumerate(sends):
            while t - sends[lo] >= 1.0:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


# -- the bot process ------------------------------------------------------------------------
def bot_command() -> list[str]:
    """The installed console script next to this interpreter, else its module."""
    script = Path(sys.executable).with_name("partnerbot")
    return [str(script), "run"] if script.exists() else [sys.executable, "-m", "bot", "run"]


def _status_kb(pid: int, field_name: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found += [int(child), *_descendants(int(child))]
    return found


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of the process and of any children it started."""
    return sum(_status_kb(p, "VmHWM") for p in [pid, *_descendants(pid)]) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BotProcess:
    """`partnerbot run` against the emulator, on a fresh database in `workdir`."""

    def __init__(self, emulator: LoadEmulator, workdir: Path, core: int | None,
                 knowledge: Path):
        self.emulator = emulator
        self.workdir = workdir
        self.core = core
        self.knowledge = knowledge
        self.process: asyncio.subprocess.Process | None = None
        self.log_path = workdir / "bot.log"

    async def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "BOT_TOKEN": TOKEN, "LOG_LEVEL": "INFO",
               "BOT_API_URL": f"http://127.0.0.1:{self.emulator.port}",
               "PARTNERBOT_DB": str(self.workdir / "bot.sqlite3"),
               "PARTNERBOT_KNOWLEDGE": str(self.knowledge)}
        for name in ("ADMIN_IDS", "STAFF_CHAT_ID", "WEBHOOK_URL", "LOG_FORMAT"):
            env.pop(name, None)
        core = self.core
        pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
        self.log = self.log_path.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            *bot_command(), env=env, stdout=self.log, stderr=self.log, preexec_fn=pin)
        deadline = time.monotonic() + timeout
        while not self.emulator.calls_to("getUpdates"):
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not start polling:\n{self.log_tail()}")
            await asyncio.sleep(0.05)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def stop(self) -> int:
        process = self.process
        if process is None:
            return 0
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), STOP_WAIT)
            except TimeoutError:
                process.kill()
                await process.wait()
        self.log.close()
        return process.returncode or 0

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


THINK_SLACK = 0.8  # users think a little faster than the clock, so its slots are used


class Pacer:
    """Send slots at a steady rate: the next one 1/rate after the last, never in the past
    (a clock that fell behind does not catch up with a burst)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate
        self.next = 0.0

    async def wait(self) -> None:
        now = time.perf_counter()
        slot = self.next = max(self.next + self.interval, now)
        if slot > now:
            await asyncio.sleep(slot - now)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection in the harness while it times: its full collections, up to
    280 ms over a thousand users' inboxes, stalled the emulator and the users' clocks, and
    were counted as the bot's latency (Telegram's servers do not pause for our heap)."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


# -- one run ---------------------------------------------------------------------------------
async def warm_up(emulator: LoadEmulator, scripts: list[Script],
                  timeout: float) -> list[list[Expected]]:
    """Play every distinct conversation once, all of them a step at a time; a step ends
    when each user has a reply and the bot has made no call for QUIET seconds."""
    players = [loadusers.Player(emulator, 900_000_000 + i, script)
               for i, script in enumerate(scripts)]
    active = list(players)
    while active:
        starts = {p: p.send() for p in active}
        deadline = time.perf_counter() + timeout
        while not (all(len(emulator.inbox[p.chat]) > starts[p] for p in active)
                   and time.perf_counter() - emulator.last_activity >= QUIET):
            if time.perf_counter() > deadline:
                silent = [p.chat for p in active if len(emulator.inbox[p.chat]) == starts[p]]
                raise RuntimeError(f"warm-up: no reply in {timeout:g} s for users {silent}")
            await asyncio.sleep(0.05)
        for player in active:
            player.expected.append(player.learn(starts[player]))
        active = [p for p in active if not p.done]
    return [p.expected for p in players]


async def timed(emulator: LoadEmulator, scripts: list[Script], expected: list[list[Expected]],
                users: int, think_mean: float, timeout: float, seed: int, result: Result
                ) -> None:
    rng = random.Random(seed)
    players = []
    for i in range(users):
        k = i % len(scripts)
        players.append(loadusers.Player(emulator, 1_000_000 + i, scripts[k], expected[k]))
    start = time.perf_counter()
    pacer = Pacer(THINK_SLACK * users / think_mean) if think_mean else None  # = --rate
    await asyncio.gather(*(p.play(think_mean, timeout, random.Random(rng.random()), result,
                                  pacer) for p in players))
    ends = [r.at for p in players for r in emulator.inbox[p.chat]]
    result.wall = (max(ends) if ends else time.perf_counter()) - start
    await asyncio.sleep(QUIET)  # anything more the bot sends now was never expected
    for player in players:
        extra = len(emulator.inbox[player.chat]) - player.replies_expected
        if extra > 0:
            result.wrong += 1
            result.problems.append(f"user {player.chat}: {extra} unexpected replies")
    result.replies = sum(len(emulator.inbox[p.chat]) for p in players)


async def run_once(users: int, mode: str, *, rate: float = 300.0, seed: int = 7,
                   timeout: float = 30.0, core: int | None = None, scripts: int = 100,
                   knowledge: Path = ROOT / "knowledge") -> Result:
    """Start a bot, warm it up, time `users` users in `mode` (paced or burst), stop it."""
    result = Result(users, mode)
    conversations = loadusers.scripts(min(users, scripts), seed)
    emulator = LoadEmulator()
    await emulator.start()
    with tempfile.TemporaryDirectory(prefix="partnerbot-load-") as tmp:
        bot = BotProcess(emulator, Path(tmp), core, knowledge)
        try:
            await bot.start()
            expected = await warm_up(emulator, conversations, timeout)
            think = THINK_SLACK * users / rate if mode == "paced" else 0.0
            cpu0, harness0 = cpu_seconds(bot.pid), time.process_time()
            with collector_paused():
                await timed(emulator, conversations, expected, users, think, timeout, seed,
                            result)
            result.bot_cpu = cpu_seconds(bot.pid) - cpu0
            result.harness_cpu = time.process_time() - harness0
            result.peak_rss_mb = peak_rss_mb(bot.pid)
        finally:
            code = await bot.stop()
            await emulator.stop()
            if code != 0:
                result.problems.append(f"the bot exited with {code}:\n{bot.log_tail()}")
    return result


# -- report ----------------------------------------------------------------------------------
def how_run(bot_core: int | None, harness_core: int | None) -> list[str]:
    import telegram

    model = next((line.split(":", 1)[1].strip()
                  for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "?")
    where = (f"bot pinned to core {bot_core}, emulator and users on core {harness_core}"
             if bot_core is not None else "bot and harness not pinned (one core available)")
    return [f"{where}; {os.cpu_count()} cores, {model}",
            f"Python {platform.python_version()}, python-telegram-bot {telegram.__version__}, "
            f"{platform.system()} {platform.release()}"]


def table(results: list[Result], rate: float) -> str:
    head = ("| users | mode | updates | replies | lost | wrong | wall s | updates/s "
            "| busiest s | p50 ms | p99 ms | max ms | bot CPU | CPU ms/update | peak RSS MB |")
    rows = [head, "| ---: | --- |" + " ---: |" * 13]
    for r in results:
        mode = f"paced {rate:g}/s" if r.mode == "paced" else r.mode
        rows.append(
            f"| {r.users:,} | {mode} | {r.updates:,} | {r.replies:,} | {r.lost} | {r.wrong} "
            f"| {r.wall:.1f} | {r.rate:,.0f} | {r.busiest_second:,} "
            f"| {r.percentile(50):.1f} | {r.percentile(99):.1f} "
            f"| {max(r.latencies, default=0) * 1000:.1f} | {r.bot_cpu / r.wall:.0%} "
            f"| {r.bot_cpu / r.updates * 1000:.1f} | {r.peak_rss_mb:.0f} |"
            if r.wall else f"| {r.users:,} | {mode} | failed |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--mode", choices=["paced", "burst", "both"], default="both")
    parser.add_argument("--rate", type=float, default=300.0,
                        help="updates a second all paced users offer together (default 300)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds an update may wait for its replies before it is lost")
    parser.add_argument("--scripts", type=int, default=100,
                        help="distinct conversations, shared round-robin by the users")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # refusals are counted

    cores = sorted(os.sched_getaffinity(0))
    bot_core = harness_core = None
    if len(cores) >= 2:
        bot_core, harness_core = cores[0], cores[1]
        os.sched_setaffinity(0, {harness_core})
    modes = ["paced", "burst"] if args.mode == "both" else [args.mode]
    results = []
    for mode in modes:
        for users in args.users:
            result = asyncio.run(run_once(users, mode, rate=args.rate, seed=args.seed,
                                          timeout=args.timeout, core=bot_core,
                                          scripts=args.scripts))
            results.append(result)
            print(f"{users} users, {mode}: {result.updates} updates, {result.lost} lost, "
                  f"{result.wrong} wrong, harness CPU {result.harness_cpu / result.wall:.0%}"
                  if result.wall else f"{users} users, {mode}: failed", file=sys.stderr)
            for problem in result.problems[:5]:
                print("  " + problem, file=sys.stderr)
    print("\n".join(how_run(bot_core, harness_core)))
    print()
    print(table(results, args.rate))
    failed = any(r.lost or r.wrong or not r.wall for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
