"""The specialization look-up as a conversation: ask for a name, answer with the table."""

from __future__ import annotations

from html import escape

from bot.dialogue.replies import Button, Reply
from bot.dialogue.session import Session
from bot.i18n import translations
from bot.mapping import FORWARD, REVERSE, UNKNOWN, Lookup, MappingTable


class MapFlow:
    def __init__(self, table: MappingTable):
        self.table = table

    def prompt(self, session: Session) -> list[Reply]:
        _ = translations(session.lang).gettext
        session.mode = "map"
        text = _("Type the name of an old Symantec specialization or program (for example "
                 "“High Availability”), or of a new competency to see what led to it.")
        return [Reply(text, [[Button(_("Show the whole table"), "map:*")],
                             [Button(_("Menu"), "m")]], kind="map")]

    def lookup(self, session: Session, text: str) -> list[Reply]:
        session.mode = None
        if text.strip() == "*":
            return [self.whole_table(session.lang)]
        return [self.render(self.table.lookup(text), text, session.lang)]

    def answer(self, text: str, entry: str | None, lang: str) -> Reply | None:
        """A question that names a row or a competency of the table gets the table's
        answer when the matcher took it for "what did specializations become?"; so does
        an old specialization named bare, or called a specialization. Anything else is
        left to the FAQ answer (None)."""
        found, bare, as_specialization = self.table.mentioned(text)
        old = found.kind == FORWARD and (bare or as_specialization)
        if old or (found.kind != UNKNOWN and entry in self.table.questions):
            return self.render(found, text, lang)
        return None

    def _competency_line(self, cid: str, lang: str) -> str:
        _ = translations(lang).gettext
        comp = self.table.competencies[cid]
        line = f"• <b>{escape(comp.name)}</b>"
        if comp.launching_soon:
            line += " — " + _("launching soon")
        return line

    def render(self, result: Lookup, query: str, lang: str) -> Reply:
        _ = translations(lang).gettext
        region = self.table.notes.get("region_dependent", {}).get(lang, "")
        menu = [Button(_("Look up another"), "map"), Button(_("Menu"), "m")]
        if result.kind == FORWARD:
            row = result.rows[0]
            lines = [_("Old: <b>{old}</b>").format(old=escape(row.old or "")),
                     _("New competency in the 2014 program:") if len(row.competencies) == 1
                     else _("New competencies in the 2014 program:")]
            lines += [self._competency_line(cid, lang) for cid in row.competencies]
            buttons = [[Button(self.table.competencies[cid].name, f"a:{entry}")]
                       for cid in row.competencies
                       if (entry := self.table.competencies[cid].entry)]
            lines += ["", f"<i>{escape(region)}</i>"]
            return Reply("\n".join(lines), [*buttons, menu], kind="map")
        if result.kind == REVERSE and result.competency:
            comp = result.competency
            lines = [_("Competency: <b>{name}</b>").format(name=escape(comp.name))]
            if comp.launching_soon:
                lines.append(_("launching soon"))
            old = [r.old for r in result.rows if r.old]
            if old:
                lines.append(_("It replaces these old specializations and programs:"))
                lines += [f"• {escape(o)}" for o in old]
            elif result.rows:  # the table's own "N/A" row
                lines.append(_("It has no predecessor: it is new in the 2014 program."))
            else:
                lines.append(_("The transition table names no old specialization or program "
                               "that leads to it."))
            lines += ["", f"<i>{escape(region)}</i>"]
            buttons = [[Button(comp.name, f"a:{comp.entry}")]] if comp.entry else []
            return Reply("\n".join(lines), [*buttons, menu], kind="map")
        text = _("I could not find “{query}” among the old specializations or the new "
                 "competencies. Check the spelling, or see the whole table.").format(
            query=escape(query[:100]))
        return Reply(text, [[Button(_("Show the whole table"), "map:*")], menu], kind="map")

    def whole_table(self, lang: str) -> Reply:
        _ = translations(lang).gettext
        lines = [_("<b>Old specializations and programs → 2014 competencies</b>"), ""]
        for row in self.table.rows:
            names = ", ".join(self.table.competencies[c].name
                              + (" *" if self.table.competencies[c].launching_soon else "")
                              for c in row.competencies)
            old = escape(row.old) if row.old else _("(no predecessor)")
            lines.append(f"• {old} → {escape(names)}")
        soon = self.table.notes.get("launching_soon", {}).get(lang, "")
        region = self.table.notes.get("region_dependent", {}).get(lang, "")
        lines += ["", f"* {escape(soon)}", f"<i>{escape(region)}</i>"]
        return Reply("\n".join(lines), [[Button(_("Menu"), "m")]], kind="map")
