"""The first-run path for a new reseller: short steps from knowledge/onboarding.yaml."""

from __future__ import annotations

from bot.dialogue.replies import Button, Reply, shorten
from bot.dialogue.session import Session
from bot.i18n import translations
from bot.knowledgebase import KnowledgeBase


class Onboarding:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.steps = kb.onboarding

    def step(self, session: Session, arg: str) -> list[Reply]:
        """ob -> the first step; ob:N -> step N; ob:done -> leave the path."""
        lang = session.lang
        _ = translations(lang).gettext
        if arg == "done" or not self.steps:
            session.onboarded = True
            return [Reply(_("You can come back to this path any time from the menu."),
                          [[Button(_("Menu"), "m")]], kind="menu")]
        index = int(arg) if arg.isdigit() else 0
        if index >= len(self.steps):
            index = len(self.steps) - 1
        step = self.steps[index]
        rows = [[Button(shorten(self.kb.entries[eid].text(lang).question), f"a:{eid}")]
                for eid in step["entries"] if eid in self.kb.entries]
        last = index == len(self.steps) - 1
        if last:
            session.onboarded = True
            rows.append([Button(_("Check my eligibility"), "ck")])
            rows.append([Button(_("Menu"), "m")])
        else:
            rows.append([Button(_("Next »"), f"ob:{index + 1}"),
                         Button(_("Skip"), "ob:done")])
        counter = _("Step {n} of {total}").format(n=index + 1, total=len(self.steps))
        return [Reply(f"{step['text'][lang]}\n\n<i>{counter}</i>", rows, kind="onboarding")]
