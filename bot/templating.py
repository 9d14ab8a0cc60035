"""Answers are jinja2 templates over the rules' figures, formatted for each language.

Only staff-written templates are ever rendered here; user text never is.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent
from jinja2 import StrictUndefined, pass_context
from jinja2.sandbox import SandboxedEnvironment

from eligibility import data as rules_data

_TAG = re.compile(r"<[^>]*>")
_ALLOWED_TAGS = {"<b>", "</b>", "<i>", "</i>"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def _number(value: Any) -> Decimal:
    return Decimal(str(value))


@pass_context
def _eur(ctx, value: Any) -> str:
    return format_currency(_number(value), "EUR", format="#,##0\u00a0¤", locale=ctx["lang"],
                           currency_digits=False)


@pass_context
def _pct(ctx, value: Any) -> str:
    return format_percent(_number(value) / 100, locale=ctx["lang"])


@pass_context
def _num(ctx, value: Any) -> str:
    return format_decimal(_number(value), locale=ctx["lang"])


def make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters.update(eur=_eur, pct=_pct, num=_num)
    return env


def rules_context() -> dict[str, Any]:
    """`sophos` is the default version of sophos.yaml; `rules.sophos.previous` any other."""
    files = rules_data.rule_files()
    context: dict[str, Any] = {name: rules_data.version(name) for name in files}
    context["rules"] = {name: doc["versions"] for name, doc in files.items()}
    return context


class AnswerRenderer:
    """Renders answer templates; one environment and context for the whole base."""

    def __init__(self) -> None:
        self.env = make_environment()
        self.context = rules_context()

    def render(self, source: str, lang: str) -> str:
        return self.env.from_string(source).render(self.context, lang=lang).strip()


def markup_problems(text: str) -> list[str]:
    """What in a rendered answer is not the small Telegram HTML subset answers may use."""
    problems = []
    stack: list[str] = []
    for tag in _TAG.findall(text):
        if tag not in _ALLOWED_TAGS:
            problems.append(f"tag {tag} is not allowed (only <b> and <i>)")
        elif tag.startswith("</"):
            if not stack or stack.pop() != tag[2:-1]:
                problems.append(f"{tag} closes nothing open")
        else:
            stack.append(tag[1:-1])
    if stack:
        problems.append("unclosed " + ", ".join(f"<{t}>" for t in stack))
    bare = _TAG.sub("", text)
    if "<" in bare or ">" in bare:
        problems.append("a bare < or > (write it in words)")
    if "&" in _ENTITY.sub("", bare):
        problems.append("a bare & (write 'and' in words)")
    return problems


def to_plain(text: str) -> str:
    """Telegram HTML answer -> the plain text a reader sees."""
    return html.unescape(_TAG.sub("", text))
