"""What the assistant returns: an answer, a draft, and the conversation a follow-up leans on."""

from __future__ import annotations

import io
import zipfile

from pydantic import BaseModel, ConfigDict

from .facts import Fact
from .grounding import Citations
from .handlers.base import Attachment, Chart, Table
from .plan.model import QuestionPlan
from .writer import FactOut, NumberWarning, SourceItem


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    intent: str  # the handler that answered
    ente: str | None = None
    year: int | None = None
    answer: str  # Markdown body; numbers carry footnote references [^n]
    footnotes: str = ""
    verified: bool
    unverified_numbers: list[str] = []
    # numbers to check by hand, each with why ('letto da scansione: da verificare')
    warnings: list[NumberWarning] = []
    sources: list[SourceItem] = []
    facts: list[FactOut] = []
    table: Table | None = None
    chart: Chart | None = None  # bars of the numbers the answer compares (the app draws them)
    attachments: list[Attachment] = []  # drafts and exported chapters, as files to download
    plan: QuestionPlan | None = None  # how the question was read (the next follow-up completes it)
    used_llm: bool = False
    note: str | None = None

    def markdown(self) -> str:
        return self.answer.rstrip() + (f"\n\n### Fonti\n\n{self.footnotes}\n" if self.footnotes else "\n")


class Draft(BaseModel):
    model_config = ConfigDict(frozen=True)

    section: str
    title: str
    ente: str
    year: int
    markdown: str  # body and sources appendix
    verified: bool
    unverified_numbers: list[str] = []
    problems: list[str] = []
    warnings: list[NumberWarning] = []
    sources: list[SourceItem] = []
    citations: Citations
    facts: list[Fact] = []  # what the footnotes cite (and what those were computed from)
    used_llm: bool = False
    note: str | None = None
    synthetic: bool = False


class Session(BaseModel):
    """A conversation: the plans of the questions asked so far (the last one completes a
    follow-up). Kept by the app per browser session and by `relazione ask --session FILE`."""

    turns: list[QuestionPlan] = []

    @property
    def last(self) -> QuestionPlan | None:
        return self.turns[-1] if self.turns else None

    def add(self, plan: QuestionPlan | None, keep: int = 20) -> None:
        if plan is not None:
            self.turns = (self.turns + [plan])[-keep:]


def files_zip(attachments: list[Attachment], folder: str) -> bytes:
    """An answer's files (exported chapters) in one .zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for a in attachments:
            zf.writestr(f"{folder}/{a.name}", a.markdown)
    return buffer.getvalue()
