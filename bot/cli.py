"""`partnerbot`: the command line mirrors the library, one sub-command per capability."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot import LANGUAGES
from bot.knowledgebase import KnowledgeBase, KnowledgeError, load

LANG = click.Choice(LANGUAGES)


def load_or_exit(root: Path | None = None) -> KnowledgeBase:
    """The knowledge base, or a list of its problems and exit code 1."""
    try:
        return load(root)
    except KnowledgeError as exc:
        click.echo(f"The knowledge base has {len(exc.problems)} problem(s):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)


@click.group()
@click.version_option(package_name="partner-program-assistant")
def cli() -> None:
    """Partner Program Assistant: answers about IT vendors' partner programs in ru/fr/pl."""


@cli.group()
def knowledge() -> None:
    """Validate, show, export and import the knowledge base."""


@knowledge.command("lint")
@click.option("--root", type=click.Path(path_type=Path), help="Another knowledge folder.")
@click.option("--warnings/--no-warnings", default=False, help="List long answers too.")
def knowledge_lint(root: Path | None, warnings: bool) -> None:
    """Validate everything and print counts per program and language."""
    kb = load_or_exit(root)
    counts = kb.counts()
    click.echo(f"{'program':<14}{'entries':>8}")
    for program in kb.programs:
        click.echo(f"{program:<14}{counts['programs'][program]:>8}")
    click.echo(f"{'total':<14}{len(kb.entries):>8}")
    click.echo("questions and paraphrases per language: "
               + ", ".join(f"{lang} {counts['phrases'][lang]}" for lang in LANGUAGES))
    complete = sum(1 for e in kb.entries.values() if set(e.texts) == set(LANGUAGES))
    click.echo(f"entries complete in {'/'.join(LANGUAGES)}: {complete}/{len(kb.entries)}")
    click.echo(f"answers over 600 characters: {len(kb.warnings)}")
    click.echo(f"out-of-scope topics (out_of_scope.yaml): {len(kb.declines)}")
    if warnings:
        for w in kb.warnings:
            click.echo(f"  {w}")
    click.echo("OK")


@knowledge.command("overlaps")
@click.option("--root", type=click.Path(path_type=Path), help="Another knowledge folder.")
@click.option("--top", default=30, show_default=True, help="How many entry pairs to list.")
@click.option("--entry", "only", help="Only the paraphrases of this entry, one per line.")
def knowledge_overlaps(root: Path | None, top: int, only: str | None) -> None:
    """Entries worded so alike that their own paraphrases go to each other."""
    from bot.overlaps import confusions, pairs

    kb = load_or_exit(root)
    asked, missed = confusions(kb)
    click.echo(f"paraphrases asked with their fold left out: {asked}; "
               f"back to their own entry: {1 - len(missed) / max(asked, 1):.1%}")
    if only:
        for c in missed:
            if c.entry == only:
                click.echo(f"  [{c.lang}] {c.phrase}  ->  {c.got}")
        return
    for (entry, got), n in pairs(missed)[:top]:
        click.echo(f"{n:>4}  {entry}  ->  {got}")


@knowledge.command("show")
@click.argument("entry_id")
@click.option("--lang", type=LANG, help="Only this language.")
def knowledge_show(entry_id: str, lang: str | None) -> None:
    """Print one entry."""
    kb = load_or_exit()
    entry = kb.entries.get(entry_id)
    if entry is None:
        click.echo(f"No entry {entry_id!r}.", err=True)
        sys.exit(2)
    click.echo(f"{entry.id}  [{entry.program} / {entry.topic}]  tags: {', '.join(entry.tags)}")
    click.echo(f"source: {entry.source_file}: «{entry.passage}»")
    if entry.related:
        click.echo(f"related: {', '.join(entry.related)}")
    for code in [lang] if lang else LANGUAGES:
        text = entry.text(code)
        click.echo(f"\n[{code}] {text.question}")
        for p in text.paraphrases:
            click.echo(f"  ~ {p}")
        click.echo(text.plain_answer)


@knowledge.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def knowledge_export(fmt: str, output) -> None:
    """Write the whole base, one entry per line (jsonl) or row (csv)."""
    from bot import sheet

    kb = load_or_exit()
    if fmt == "jsonl":
        sheet.write_jsonl(kb, output)
    else:
        sheet.write_csv(kb, output)


@knowledge.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report the changes, write nothing.")
def knowledge_import(csv_file: Path, dry_run: bool) -> None:
    """Take a sheet edited by staff back into the YAML files."""
    from bot import sheet

    kb = load_or_exit()
    report = sheet.import_csv(kb, csv_file, write=not dry_run)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    for change in report.changes:
        click.echo(f"changed: {change}")
    if report.errors:
        click.echo(f"{len(report.errors)} error(s); nothing was written.", err=True)
        sys.exit(2)
    if not report.changes:
        click.echo("No changes.")
    elif dry_run:
        click.echo(f"{len(report.changes)} change(s) found; nothing written (--dry-run).")
    else:
        click.echo(f"{len(report.changes)} change(s) written.")


def _ask_one(core, text: str, lang: str | None, after: str | None = None) -> dict:
    match = core.matcher.match(text, lang, after=after)
    reply_lang = lang or (match.lang if match.lang in LANGUAGES else "ru")
    reply = core.assistant.reply_for(match, reply_lang)
    kind = "answer" if match.kind == "smalltalk" else match.kind

    def listed(candidates: list) -> list[dict]:
        return [{"entry": c.entry, "question": core.kb.entries[c.entry].text(reply_lang).question}
                for c in candidates]

    result = {
        "kind": kind, "lang": reply_lang, "detected": match.lang,
        "entry": match.entry if match.kind == "answer" else None,
        "score": match.score100, "text": reply.plain,
        "suggestions": listed(match.suggestions),
    }
    if match.kind == "clarify":
        result["best"] = match.entry
    if match.kind == "smalltalk":
        result["smalltalk"] = match.smalltalk
    if match.decline:
        result["out_of_scope"] = match.decline
    if match.hints:
        result["hints"] = listed(match.hints)
    return result


@cli.command()
@click.option("--lang", type=LANG, help="Reply language (default: the question's own).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question.")
@click.option("--after", metavar="ENTRY",
              help="The entry answered just before: read the question as a follow-up "
                   "(\"and for Platinum?\").")
@click.argument("text", nargs=-1, required=True)
def ask(lang: str | None, as_json: bool, after: str | None, text: tuple[str, ...]) -> None:
    """Answer one question; with - read one question per line from standard input."""
    import json

    core = _build_or_exit()
    questions = ([line.rstrip("\n") for line in sys.stdin] if text == ("-",)
                 else [" ".join(text)])
    for question in questions:
        result = _ask_one(core, question, lang, after)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            click.echo(result["text"])
            for i, s in enumerate(result["suggestions"], 1):
                click.echo(f"  {i}. {s['question']}")


def _build_or_exit(journal=None):
    from bot.core import build
    from bot.knowledgebase import KnowledgeError

    try:
        return build(journal=journal)
    except KnowledgeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@cli.command("map")
@click.option("--lang", type=LANG, default="ru", show_default=True, help="Reply language.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("text", nargs=-1, required=True)
def map_command(lang: str, as_json: bool, text: tuple[str, ...]) -> None:
    """Old Symantec specialization -> new competency, or a competency -> its predecessors."""
    import json

    core = _build_or_exit()
    if core.mapping is None:
        click.echo("The knowledge base has no mapping table.", err=True)
        sys.exit(1)
    query = " ".join(text)
    result = core.mapping.lookup(query)
    reply = core.assistant.mapflow.render(result, query, lang)
    if not as_json:
        click.echo(reply.plain)
        sys.exit(0 if result.kind != "unknown" else 3)

    def competency(cid: str) -> dict:
        c = core.mapping.competencies[cid]
        return {"id": c.id, "name": c.name, "business_model": c.business_model,
                "launching_soon": c.launching_soon}

    out = {"query": query, "kind": result.kind, "score": result.score, "lang": lang,
           "text": reply.plain,
           "region_dependent": core.mapping.notes.get("region_dependent", {}).get(lang)}
    if result.kind == "forward":
        out["old"] = result.rows[0].old
        out["competencies"] = [competency(c) for c in result.rows[0].competencies]
    elif result.kind == "reverse" and result.competency:
        out["competency"] = competency(result.competency.id)
        out["predecessors"] = [r.old for r in result.rows if r.old]
        out["no_predecessor"] = any(r.old is None for r in result.rows)
    click.echo(json.dumps(out, ensure_ascii=False))


@cli.command()
@click.option("--lang", type=LANG, help="Interface language (default: as last time, or ru).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The database file (default: PARTNERBOT_DB, else the user's data folder).")
def chat(lang: str | None, db_path: Path | None) -> None:
    """Talk to the assistant in this terminal; the conversation is kept like in Telegram."""
    from bot import chat as terminal
    from bot.storage.records import SqliteJournal, SqliteSessions

    db = _open_db(db_path)
    core = _build_or_exit(SqliteJournal(db))
    sessions = SqliteSessions(db)
    session = sessions.load("terminal", lang or "ru")
    if lang:
        session.lang, session.lang_chosen = lang, True
    terminal.run(core, session, save=sessions.save)


@cli.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """Start the assistant: the Telegram bot if BOT_TOKEN is set, else the terminal chat."""
    import os

    if not os.environ.get("BOT_TOKEN"):
        click.echo("BOT_TOKEN is not set: starting the terminal chat.", err=True)
        ctx.invoke(chat)
        return
    from bot.telegram.app import run_from_env

    run_from_env()


DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                         help="The database file (default: PARTNERBOT_DB, else the user's "
                              "data folder).")


def _open_db(db_path: Path | None):
    from bot.storage.db import default_path, open_database

    path = db_path or default_path()
    try:
        return open_database(path)
    except Exception as exc:  # unreadable, locked for long, not a database
        click.echo(f"Cannot open the database {path}: {exc}", err=True)
        sys.exit(1)


@cli.command()
@DB_OPTION
@click.option("--since", help="Only from this date on (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
def stats(db_path: Path | None, since: str | None, as_json: bool) -> None:
    """Questions per day and language, outcome rates, top and worst-rated entries."""
    import json
    from datetime import date

    from bot.storage.reports import stats as compute

    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            click.echo(f"--since must be a date like 2026-01-31, not {since!r}", err=True)
            sys.exit(2)
    report = compute(_open_db(db_path), since)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rates = report["rates"]
    click.echo(f"questions: {report['questions']}   users: {report['users']}   "
               f"feedback: {report['feedback']}")
    click.echo(f"answered {rates['answer']:.0%}   clarified {rates['clarify']:.0%}   "
               f"unknown {rates['unknown']:.0%}")
    click.echo("\nper day:")
    for day, langs in report["per_day"].items():
        click.echo(f"  {day}  " + "  ".join(f"{k} {v}" for k, v in sorted(langs.items())))
    click.echo("\ntop entries:")
    for row in report["top_entries"]:
        click.echo(f"  {row['count']:>5}  {row['entry']}")
    click.echo("\nworst rated:")
    for row in report["worst_rated"]:
        click.echo(f"  👍 {row['up']:<4} 👎 {row['down']:<4} {row['entry']}")


@cli.command()
@DB_OPTION
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of a table.")
@click.option("--limit", default=20, show_default=True)
def unanswered(db_path: Path | None, as_csv: bool, limit: int) -> None:
    """The most frequent questions the assistant could not answer, near-duplicates grouped."""
    import csv

    from bot.storage.reports import unanswered as groups

    found = groups(_open_db(db_path), limit=limit)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["count", "question", "langs", "last_asked", "wordings"])
        for g in found:
            writer.writerow([g.count, g.text, " ".join(g.langs), g.last_asked,
                             " | ".join(g.wordings)])
        return
    for g in found:
        click.echo(f"{g.count:>5}  [{','.join(g.langs)}]  {g.text}")


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl")
@click.argument("table", type=click.Choice(["users", "questions", "feedback", "eligibility",
                                            "handoffs", "paraphrase_proposals"]))
def export(db_path: Path | None, fmt: str, table: str) -> None:
    """Write one table, a row per line (jsonl) or a CSV sheet."""
    import csv
    import json

    db = _open_db(db_path)
    rows = db[table].rows
    columns = list(db[table].columns_dict)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@cli.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def suggest(db_path: Path | None, as_json: bool) -> None:
    """For frequent unanswered or clarified questions, the entry each most likely belongs to."""
    import json

    from bot.storage.reports import suggest as propose

    core = _build_or_exit()
    for item in propose(_open_db(db_path), core.matcher):
        if as_json:
            click.echo(json.dumps(item, ensure_ascii=False))
        else:
            target = item["entry"] or "(no likely entry: a new one is needed)"
            click.echo(f"{item['count']:>4}× {item['question']!r}\n      -> {target} "
                       f"({item['score']})")


def _register_check() -> None:
    from eligibility.cli import check

    cli.add_command(check)


_register_check()


def _register_health() -> None:
    from bot.health import health_command

    cli.add_command(health_command)


_register_health()


def main() -> None:
    cli(prog_name="partnerbot")


if __name__ == "__main__":
    main()
