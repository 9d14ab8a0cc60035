"""`partnerbot check`: the rules from the terminal, as text in ru/fr/pl or as JSON.

Registered on the main command group by `bot.cli` (`cli.add_command(check)`). Bad input
(an unknown program, version or fact, a value that cannot be read) is a usage error:
a message on stderr and exit code 2.
"""

from __future__ import annotations

import json
from typing import Any

import click

from bot import LANGUAGES
from eligibility import programs
from eligibility.errors import EligibilityError
from eligibility.programs.base import Program


def _pairs(items: tuple[str, ...]) -> dict[str, str]:
    """FACT=VALUE arguments as a dict; a malformed or repeated one is a usage error."""
    facts: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.UsageError(f"expected FACT=VALUE, got {item!r}")
        if name in facts:
            raise click.UsageError(f"fact {name!r} is given twice")
        facts[name] = value
    return facts


def _explain(program: Program, version: str | None, langs: tuple[str, ...]) -> list[dict]:
    from bot.eligibility_text import question_text

    rows = []
    for spec in program.fact_specs(version).values():
        rows.append({
            "fact": spec.name, "type": spec.kind,
            "unit": spec.unit,
            "min": None if spec.minimum is None else int(spec.minimum),
            "max": None if spec.maximum is None else int(spec.maximum),
            "optional": spec.optional,
            "questions": {lang: question_text(program.name, spec.name, lang) for lang in langs},
        })
    return rows


def _explain_text(program: Program, rows: list[dict[str, Any]]) -> str:
    versions = ", ".join(v + (" (default)" if v == program.default_version else "")
                         for v in program.versions())
    lines = [f"{program.name}: rules versions {versions}", ""]
    for row in rows:
        kind = row["type"] + (f" ({row['unit']})" if row["unit"] else "")
        limits = [f"{k} {row[k]}" for k in ("min", "max") if row[k] is not None]
        extra = ", ".join([*limits, *(["optional"] if row["optional"] else [])])
        lines.append(f"{row['fact']}: {kind}" + (f"; {extra}" if extra else ""))
        lines += [f"  {lang}: {q}" for lang, q in row["questions"].items()]
    return "\n".join(lines)


@click.command()
@click.argument("program")
@click.argument("facts", nargs=-1, metavar="FACT=VALUE...")
@click.option("--rules-version", "version", metavar="NAME",
              help="A rules version other than the current one (e.g. sophos: previous).")
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the text (default ru).")
@click.option("--explain-facts", is_flag=True,
              help="List the program's facts, their types and questions, and exit.")
def check(program: str, facts: tuple[str, ...], version: str | None, as_json: bool,
          lang: str | None, explain_facts: bool) -> None:
    """Which tier PROGRAM gives for these facts, why, and what is missing for the next.

    PROGRAM is sophos, symantec, smartsheet-vertical or smartsheet-brandfolder. Facts not
    given are unknown: the answer says what they would settle. Example:

        partnerbot check sophos turnover_eur="45 000"
    """
    from bot.eligibility_text import render_decision

    try:
        prog = programs.get(program)
        if explain_facts:
            rows = _explain(prog, version, (lang,) if lang else LANGUAGES)
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json
                       else _explain_text(prog, rows))
            return
        decision = prog.evaluate(_pairs(facts), version)
    except EligibilityError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_decision(decision, lang or "ru", plain=True))
