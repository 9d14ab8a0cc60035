"""Builds the assistant once: knowledge, matcher and conversation, shared by every front end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.dialogue.assistant import Assistant
from bot.dialogue.journal import Journal
from bot.knowledgebase import KnowledgeBase, load
from bot.mapping import MappingTable
from bot.matcher import Matcher


@dataclass
class Core:
    kb: KnowledgeBase
    matcher: Matcher
    assistant: Assistant
    mapping: MappingTable | None = None


def build(root: Path | None = None, journal: Journal | None = None) -> Core:
    """Raises KnowledgeError on a broken base: better no assistant than half of one."""
    kb = load(root)
    matcher = Matcher(kb)
    doc = kb.mapping.get("symantec2014")
    mapping = MappingTable(doc, matcher.analyzer) if doc else None
    return Core(kb, matcher, Assistant(kb, matcher, journal, mapping), mapping)
